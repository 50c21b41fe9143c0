/**
 * `http.public-url`: does `GET <http.publicUrl>/healthz` reach this bot, through DNS, TLS and the
 * reverse proxy? The bot answers `{"status":"ok","version":…}`; anything else names its likely cause.
 */
import type { Config } from '../config/config-types';
import type { CheckResult } from '../core/health-check';
import { VERSION } from '../version';

export const PUBLIC_URL_CHECK_ID = 'http.public-url';
const TITLE = 'Public URL reaches the bot';

/** Names reserved for documentation and tests (RFC 2606, RFC 6761): a placeholder, not a deployment. */
const PLACEHOLDER_HOST = /(^|\.)(example\.(com|net|org)|example|invalid|test)$/i;

export function networkCause(err: unknown): string {
  const name = err instanceof Error ? err.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') return 'no answer in time';
  let code = '';
  for (let e: unknown = err, depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    const rec = e as { code?: unknown; cause?: unknown };
    if (typeof rec.code === 'string') {
      code = rec.code;
      break;
    }
    e = rec.cause;
  }
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `the host name does not resolve (${code})`;
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|EPROTO|HOSTNAME_MISMATCH/.test(code)) return `TLS handshake failed (${code})`;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return `the connection was closed without an answer (${code})`;
  return `network error (${code || (err as Error).message})`;
}

export async function checkPublicUrl(config: Config, timeoutMs = 10_000): Promise<CheckResult> {
  const base = { id: PUBLIC_URL_CHECK_ID, title: TITLE };
  const url = `${config.http.publicUrl}/healthz`;
  const host = new URL(config.http.publicUrl).hostname;
  if (PLACEHOLDER_HOST.test(host)) {
    return { ...base, status: 'warn', detail: `not checked: ${host} is a placeholder name (reserved for examples)`, fix: 'set http.publicUrl to the HTTPS address your reverse proxy serves for the bot' };
  }
  const reach = `check that \`kaltura-discord serve\` is running, that DNS for ${host} points at the reverse proxy, that the proxy forwards to http.listen (${config.http.listen}) and that the firewall lets the port in (docs/operations.md has Caddy and nginx examples)`;
  let res: Response;
  try {
    res = await fetch(url, { redirect: 'manual', headers: { 'user-agent': 'kaltura-discord (doctor)' }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const cause = networkCause(err);
    const fix = cause.startsWith('TLS') ? `the proxy's certificate for ${host} is missing, expired or for another name; fix it (Caddy gets one automatically)` : reach;
    return { ...base, status: 'fail', detail: `GET ${url} failed: ${cause}`, fix };
  }
  const text = (await res.text().catch(() => '')).slice(0, 2000);
  if (res.status >= 300 && res.status < 400) {
    return { ...base, status: 'fail', detail: `GET ${url} was redirected (HTTP ${res.status} to ${res.headers.get('location') ?? '?'})`, fix: 'http.publicUrl must be the final address: use the https:// URL the proxy serves, without a redirect or a login in front of the bot' };
  }
  if (res.status === 502 || res.status === 503 || res.status === 504) {
    return { ...base, status: 'fail', detail: `GET ${url} answered HTTP ${res.status}: the proxy answers but cannot reach the bot`, fix: `start the bot (\`systemctl start kaltura-discord\`) and make the proxy forward to http.listen (${config.http.listen})` };
  }
  if (res.status === 404) {
    return { ...base, status: 'fail', detail: `GET ${url} answered HTTP 404`, fix: 'the reverse proxy does not forward /healthz to the bot (forward /j/, /v/, /activity/ with WebSocket upgrades, /webhooks/, /healthz and /readyz), or another site answers at this address' };
  }
  let body: { status?: unknown; version?: unknown; uptimeSeconds?: unknown } | undefined;
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = undefined;
  }
  if (res.status !== 200 || body?.status !== 'ok' || typeof body.version !== 'string') {
    return { ...base, status: 'fail', detail: `GET ${url} answered HTTP ${res.status}, but not as the bot does (${(res.headers.get('content-type') ?? 'no content type').split(';')[0]}: ${text.slice(0, 80).replace(/\s+/g, ' ')})`, fix: `something else answers at ${config.http.publicUrl}; point the proxy for that name at http.listen (${config.http.listen})` };
  }
  if (body.version !== VERSION) {
    return { ...base, status: 'warn', detail: `${url} reaches a bot running version ${body.version}; this program is ${VERSION}`, fix: 'restart the service after an upgrade (`systemctl restart kaltura-discord`), or check that the URL reaches this installation' };
  }
  return { ...base, status: 'ok', detail: `GET ${url} reached the bot (version ${body.version}, up ${String(body.uptimeSeconds)} s)` };
}

/**
 * A 404 on /healthz when the signed webhook self-test got through the same URL only means the
 * proxy does not forward /healthz: the bot is reachable, so this is a warning.
 */
export function reconcileWithSelfTest(publicUrl: CheckResult, selfTest: CheckResult | undefined): CheckResult {
  if (publicUrl.status !== 'fail' || selfTest?.status !== 'ok' || !publicUrl.detail.endsWith('HTTP 404')) return publicUrl;
  return { ...publicUrl, status: 'warn', detail: `${publicUrl.detail}, although the webhook self-test reached the bot through the same URL`, fix: 'forward /healthz and /readyz to the bot too, so monitoring through the proxy works' };
}
