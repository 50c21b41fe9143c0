/** Anything shaped like a Kaltura KS v2 (base64 of `v2|`), a Discord bot token, or an Authorization value. */
const SECRET_SHAPES: readonly RegExp[] = [
  /djJ8[A-Za-z0-9_\-+/]{16,}={0,2}/g,
  /[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,40}/g,
  /(Bot|Bearer) [A-Za-z0-9._~+/-]{16,}=*/g,
];

export const REDACTED = '[REDACTED]';

/**
 * Removes known secret values and secret-shaped strings from a piece of text. Used on every
 * log line and on error messages shown to people, as the last line of defence behind
 * key-based redaction.
 */
export function createSecretRedactor(secrets: readonly (string | undefined)[]): (text: string) => string {
  // Longest first, so a secret that contains another is replaced whole. Short values are not
  // secrets worth matching (and would shred ordinary text).
  const known = [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= 8))].sort(
    (a, b) => b.length - a.length,
  );
  const jsonEscaped = known.map((s) => JSON.stringify(s).slice(1, -1)).filter((s, i) => s !== known[i]);
  return (text) => {
    let out = text;
    for (const s of [...known, ...jsonEscaped]) if (out.includes(s)) out = out.split(s).join(REDACTED);
    for (const re of SECRET_SHAPES) out = out.replace(re, REDACTED);
    return out;
  };
}
