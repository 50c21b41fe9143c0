/**
 * The doctor's end-to-end webhook check: a notification signed exactly as Kaltura signs one
 * (`X-KALTURA-SIGNATURE: hex(sha256(adminSecret . body))`, `X-KALTURA-HASH-ALGO: sha256`),
 * POSTed to the public URL, so it passes DNS, TLS, the reverse proxy and the bot's signature
 * check on its way. The endpoint answers a verified `{"kalturaDiscordSelfTest":"<nonce>"}`
 * with `200 {"status":"self-test","nonce":"<nonce>"}` and does nothing else with it.
 * Every failure names its likely cause. Nothing secret is printed: not the secret, not the
 * signature, and the response is shown only as a short scrubbed excerpt.
 */
import { randomBytes } from 'node:crypto';
import type { CheckResult } from '../core/health-check';
import { signWebhookBody } from '../kaltura/webhook-verify';

export const SELF_TEST_ID = 'webhooks.self-test';
const TITLE = 'Webhook self-test through the public URL';
/** The most the doctor waits for the answer (connect, TLS, proxy, bot). */
export const SELF_TEST_MAX_TIMEOUT_MS = 10_000;
const MAX_BODY_BYTES = 16 * 1024;

export interface SelfTestOptions {
  /** `<http.publicUrl>/webhooks/kaltura`. */
  readonly url: string;
  readonly adminSecret: string;
  /** `http.listen`, named in the reachability fix. */
  readonly listen: string;
  /** Default (and at most) 10 s. */
  readonly timeoutMs?: number;
  /** For tests; default the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** For tests; default 16 random bytes as hex. */
  readonly nonce?: () => string;
}

type NetworkFailure = 'refused' | 'timeout' | 'dns' | 'reset' | 'tls' | 'network';

function errorCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const rec = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof rec.code === 'string') return rec.code;
    current = rec.cause ?? (Array.isArray(rec.errors) ? rec.errors[0] : undefined);
  }
  return undefined;
}

function innermostMessage(err: unknown): string {
  let message = 'no details';
  for (let current = err, depth = 0; current instanceof Error && depth < 4; current = current.cause, depth++) message = current.message;
  return message;
}

function classify(err: unknown): [NetworkFailure, string] {
  const name = err instanceof Error ? err.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') return ['timeout', 'no answer in time'];
  const code = errorCode(err) ?? '';
  if (code === 'ECONNREFUSED') return ['refused', 'connection refused'];
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return ['dns', `the host name does not resolve (${code})`];
  if (code === 'ETIMEDOUT' || code.startsWith('UND_ERR_CONNECT_TIMEOUT') || code === 'UND_ERR_HEADERS_TIMEOUT') return ['timeout', `no answer in time (${code})`];
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|EPROTO|HOSTNAME_MISMATCH/.test(code)) return ['tls', `TLS handshake failed (${code})`];
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') return ['reset', `the connection was closed without an answer (${code})`];
  return ['network', `network error (${code || innermostMessage(err)})`];
}

/** Reads at most MAX_BODY_BYTES of the answer: a wrong target may send anything. */
async function readSome(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_BODY_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const excerpt = (text: string) => {
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > 100 ? `${flat.slice(0, 100)}…` : flat || '(empty body)';
};

/** The answer as a JSON object, if it is one (`{status, nonce}` from the bot, `{status, reason}` on a refusal). */
function parseAnswer(text: string): { status?: unknown; nonce?: unknown; reason?: unknown } | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as { status?: unknown; nonce?: unknown; reason?: unknown }) : undefined;
  } catch {
    return undefined;
  }
}

export async function runWebhookSelfTest(options: SelfTestOptions): Promise<CheckResult> {
  const base = { id: SELF_TEST_ID, title: TITLE };
  const { url } = options;
  if (!URL.canParse(url)) return { ...base, status: 'fail', detail: `${url} is not a valid URL`, fix: 'Correct http.publicUrl (e.g. https://bot.example.org).' };
  const target = new URL(url);
  const hostPort = `${target.hostname}:${target.port || (target.protocol === 'https:' ? '443' : '80')}`;
  const timeoutMs = Math.min(options.timeoutMs ?? SELF_TEST_MAX_TIMEOUT_MS, SELF_TEST_MAX_TIMEOUT_MS);
  const nonce = (options.nonce ?? (() => randomBytes(16).toString('hex')))();
  const body = JSON.stringify({ kalturaDiscordSelfTest: nonce });
  const signature = signWebhookBody(options.adminSecret, Buffer.from(body, 'utf8'), 'sha256');
  const reachFix =
    `The public URL does not reach the bot. Check that \`kaltura-discord serve\` is running, that DNS for ${target.hostname} points at the machine in front of the bot, ` +
    `that the reverse proxy forwards ${target.origin}/webhooks/ to the bot (http.listen ${options.listen}), and that the firewall lets port ${target.port || (target.protocol === 'https:' ? 443 : 80)} in.`;
  const started = performance.now();

  let res: Response;
  let text: string;
  try {
    res = await (options.fetch ?? fetch)(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-kaltura-signature': signature, 'x-kaltura-hash-algo': 'sha256', 'user-agent': 'kaltura-discord-doctor' },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await readSome(res);
  } catch (err) {
    const [failure, what] = classify(err);
    const detail = `POST ${url} failed: ${what}${failure === 'timeout' ? ` (waited ${timeoutMs / 1000} s)` : failure === 'refused' ? ` by ${hostPort}` : ''}`;
    if (failure === 'tls') {
      return {
        ...base,
        status: 'fail',
        detail,
        fix:
          `HTTPS to ${hostPort} does not work: the certificate is not trusted (expired, self-signed, or issued for another name) or that port does not speak TLS. ` +
          'Kaltura will fail the same way. Fix the certificate at the reverse proxy (e.g. let Caddy or certbot manage it), or correct http.publicUrl.',
      };
    }
    if (failure === 'dns') {
      return { ...base, status: 'fail', detail, fix: `Create the DNS record for ${target.hostname} (pointing at the machine in front of the bot), or correct http.publicUrl.` };
    }
    return { ...base, status: 'fail', detail, fix: reachFix };
  }
  const ms = Math.round(performance.now() - started);
  const status = res.status;
  const got = `HTTP ${status}`;

  if (status === 200) {
    const answer = parseAnswer(text);
    if (answer?.status === 'self-test' && answer.nonce === nonce) {
      return { ...base, status: 'ok', detail: `POST ${url} reached the bot and passed its signature check (${got}, nonce echoed, ${ms} ms)` };
    }
    const detail =
      answer?.status === 'self-test'
        ? `POST ${url} got a self-test answer with another nonce: a cache in front of the bot replays old answers`
        : `POST ${url} answered ${got}, but not as the bot does (${res.headers.get('content-type') ?? 'no content type'}: ${excerpt(text)})`;
    return {
      ...base,
      status: 'fail',
      detail,
      fix: `Something else answers at ${url}: http.publicUrl, DNS or the reverse proxy route for /webhooks/ points at another service (or a cache). Route ${target.origin}/webhooks/ to this bot, uncached.`,
    };
  }
  if (status === 401 || status === 403) {
    return {
      ...base,
      status: 'fail',
      detail: `POST ${url} was refused with ${got}: the signature made with this configuration's admin secret was not accepted`,
      fix:
        "The bot answering at that URL verifies with a different kaltura.adminSecret than this configuration: are two configurations (or two bots) in play? Give both the partner's current admin secret and restart the bot. " +
        '(A 401/403 can also come from a reverse proxy that requires a login: exempt /webhooks/ from it.)',
    };
  }
  if (status === 404) {
    return {
      ...base,
      status: 'fail',
      detail: `POST ${url} answered ${got}`,
      fix: 'Either webhooks are disabled in the running bot (set webhooks.enabled: true and restart it), or the reverse proxy does not forward /webhooks/ to the bot (add that path to its routes).',
    };
  }
  if (status >= 300 && status < 400) {
    const location = res.headers.get('location');
    return {
      ...base,
      status: 'fail',
      detail: `POST ${url} was redirected (${got}${location ? ` to ${location}` : ''})`,
      fix: 'Kaltura posts notifications to the exact URL and a redirect loses them. Set http.publicUrl to the final https:// address, or stop the proxy redirecting /webhooks/.',
    };
  }
  if (status === 503 && parseAnswer(text)?.reason === 'WEBHOOKS_UNAVAILABLE') {
    return {
      ...base,
      status: 'fail',
      detail: `POST ${url} answered ${got}: the bot there cannot verify webhooks (WEBHOOKS_UNAVAILABLE)`,
      fix: 'The running bot has no kaltura.adminSecret (it uses an app token), unlike this configuration: are two configurations in play? Give the running bot the admin secret and restart it.',
    };
  }
  if (status === 502 || status === 503 || status === 504) {
    return {
      ...base,
      status: 'fail',
      detail: `POST ${url} answered ${got} (${excerpt(text)})`,
      fix:
        `The reverse proxy answers but cannot reach the bot: check that \`kaltura-discord serve\` is running and that the proxy forwards to http.listen (${options.listen}). ` +
        'If the bot itself answered, look at its log.',
    };
  }
  return {
    ...base,
    status: 'fail',
    detail: `POST ${url} answered ${got} (${excerpt(text)})`,
    fix: "Check that the service at this URL is this version of kaltura-discord (older ones lack the self-test) and look at the bot's log for the request.",
  };
}
