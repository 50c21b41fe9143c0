/**
 * Removes secrets and session tokens from text that may reach a log line or an error
 * message. Kaltura echoes the KS back in INVALID_KS errors (message and `KSID` arg), and
 * the client library's own errors carry the request body, so nothing from upstream is
 * copied into our errors without passing through here.
 */
const REDACTED = '[redacted]';
/** v2 KSs are URL-safe base64 of `v2|…`, so they always start with `djJ8`. */
const KS_V2_PATTERN = /djJ8[A-Za-z0-9_\-+/]+=*/g;
/** Remember at most this many KSs seen at run time (v1 KSs have no fixed prefix). */
const MAX_REMEMBERED = 256;

export interface Redactor {
  (text: string): string;
  /** Adds a value (a KS we minted or received) to redact from now on. */
  remember(secret: string): void;
}

export function createRedactor(secrets: ReadonlyArray<string | undefined>): Redactor {
  const fixed = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
  const seen = new Set<string>();
  const redact = ((text: string): string => {
    let out = text.replace(KS_V2_PATTERN, REDACTED);
    for (const s of [...fixed, ...seen]) if (out.includes(s)) out = out.split(s).join(REDACTED);
    return out;
  }) as Redactor;
  redact.remember = (secret: string) => {
    if (secret.length < 8 || secret.startsWith('djJ8')) return;
    if (seen.size >= MAX_REMEMBERED) seen.delete(seen.values().next().value as string);
    seen.add(secret);
  };
  return redact;
}
