/** The Activity checks that ask Discord or the public URL (each bounded by doctor's --timeout). */
import type { Config } from '../config/config-types';
import type { CheckResult } from '../core/health-check';
import { discordHeaders } from '../discord/discord-headers';

const ID = { secret: 'activity.client-secret', served: 'activity.served', embedded: 'activity.embedded' } as const;

/** Application flag EMBEDDED: "the app is embedded within the Discord client" (Activities enabled). @see https://discord.com/developers/docs/resources/application#application-object-application-flags */
const EMBEDDED_FLAG = 1 << 17;

function reason(err: unknown, timeoutMs: number): string {
  const name = (err as Error).name;
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${Math.round(timeoutMs / 1000)} s`;
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message;
}

/**
 * Does Discord accept discord.clientSecret? A client-credentials grant (POST /oauth2/token, client
 * id and secret in HTTP Basic as RFC 6749 §2.3.1 has it) proves the pair without any member:
 * 401 invalid_client means a wrong secret; any other refusal still authenticated the client.
 * The token Discord returns is dropped unread.
 * @see https://discord.com/developers/docs/topics/oauth2#client-credentials-grant
 */
export async function checkClientSecret(config: Config, timeoutMs: number): Promise<CheckResult> {
  const base = { id: ID.secret, title: 'Activity client secret' };
  const url = `${config.discord.apiBaseUrl}/v10/oauth2/token`;
  const form = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  const basic = Buffer.from(`${form(config.discord.applicationId)}:${form(config.discord.clientSecret ?? '')}`).toString('base64');
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'kaltura-discord (doctor)' },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'identify' }).toString(),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    return { ...base, status: 'fail', detail: `could not reach Discord at ${new URL(url).origin} (${reason(err, timeoutMs)})`, fix: `check that this machine can reach ${config.discord.apiBaseUrl} (firewall, proxy, DNS)` };
  }
  const body = (await res.json().catch(() => undefined)) as { error?: unknown } | undefined;
  if (res.status === 401 || body?.error === 'invalid_client') {
    return { ...base, status: 'fail', detail: `Discord refused the client secret of application ${config.discord.applicationId} (invalid_client), so no member can open the Activity`, fix: 'copy the Client Secret again (Developer Portal → OAuth2 → Reset Secret) and run `kaltura-discord config set discord.clientSecret -`' };
  }
  if (res.status === 429) return { ...base, status: 'warn', detail: 'not checked: Discord is rate-limiting this machine (429)', fix: 'run doctor again in a minute' };
  if (res.ok) return { ...base, status: 'ok', detail: `Discord accepted the OAuth2 client secret of application ${config.discord.applicationId}` };
  if (res.status === 400) return { ...base, status: 'ok', detail: `Discord authenticated the client (it refused only the test grant: ${typeof body?.error === 'string' ? body.error : 'HTTP 400'})` };
  return { ...base, status: 'warn', detail: `not checked: Discord answered HTTP ${res.status} for the token request`, fix: 'run doctor again later' };
}

/** The first `limit` bytes of a body as text: a page that streams for ever (or a huge one) is not read whole. */
async function readCapped(res: Response, limit: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } catch {
    // a body cut off (or timed out) half-way: judge what arrived
  } finally {
    void reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

/** Does `<publicUrl>/activity/` serve this application's Activity? (Only asked when the bot answers at the public URL.) */
export async function checkActivityServed(config: Config, publicUrl: CheckResult, timeoutMs: number): Promise<CheckResult> {
  const base = { id: ID.served, title: 'Activity served at the public URL' };
  const url = `${config.http.publicUrl}/activity/`;
  if (publicUrl.status === 'fail' || /not checked/.test(publicUrl.detail)) {
    return { ...base, status: 'warn', detail: `not checked: ${config.http.publicUrl} does not reach the bot (see "${publicUrl.title}")`, fix: `fix "${publicUrl.title}" first` };
  }
  const forward = 'the reverse proxy must forward /activity/ to the bot, WebSocket upgrades for /activity/ws included, and /v/ (docs/operations.md)';
  let res: Response;
  try {
    res = await fetch(url, { redirect: 'manual', headers: { 'user-agent': 'kaltura-discord (doctor)' }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    return { ...base, status: 'fail', detail: `GET ${url} failed (${reason(err, timeoutMs)})`, fix: forward };
  }
  const text = await readCapped(res, 64 * 1024);
  if (res.status >= 300 && res.status < 400) return { ...base, status: 'fail', detail: `GET ${url} was redirected (HTTP ${res.status})`, fix: `${forward}, without a redirect or a login in front of it` };
  if (res.status === 404) return { ...base, status: 'fail', detail: `GET ${url} answered HTTP 404`, fix: forward };
  if (res.status !== 200) {
    const said = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 160);
    return { ...base, status: 'fail', detail: `GET ${url} answered HTTP ${res.status}${said ? `: ${said}` : ''}`, fix: res.status === 503 ? 'the bot has no Activity files: rebuild it (`npm run build`) or reinstall the release executable, then restart it' : forward };
  }
  const clientId = /<meta\s+name="kd-client-id"\s+content="([0-9]*)"/i.exec(text)?.[1];
  if (clientId === undefined) {
    return { ...base, status: 'fail', detail: `GET ${url} answered, but not with the Activity's page (${(res.headers.get('content-type') ?? 'no content type').split(';')[0]})`, fix: forward };
  }
  if (clientId !== config.discord.applicationId) {
    return { ...base, status: 'fail', detail: `${url} serves the Activity of application ${clientId}, not ${config.discord.applicationId}`, fix: 'the URL reaches another installation of the bot: point the proxy for this name at this one (http.listen)' };
  }
  return { ...base, status: 'ok', detail: `GET ${url} serves the Activity` };
}

/** Is the application an Activity at all (flag EMBEDDED)? Discord documents the flag as not always public, so this only warns. */
export async function checkEmbeddedFlag(config: Config, botToken: CheckResult, timeoutMs: number): Promise<CheckResult> {
  const base = { id: ID.embedded, title: 'Activities enabled for the application' };
  if (botToken.status !== 'ok') return { ...base, status: 'warn', detail: 'not checked: no working bot token', fix: 'fix the Discord bot token check first' };
  let flags: unknown;
  try {
    const res = await fetch(`${config.discord.apiBaseUrl}/v10/applications/@me`, { headers: discordHeaders(config.discord.token), signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return { ...base, status: 'warn', detail: `not checked: Discord answered HTTP ${res.status} for the application`, fix: 'run doctor again later' };
    flags = ((await res.json()) as { flags?: unknown }).flags;
  } catch (err) {
    return { ...base, status: 'warn', detail: `not checked: could not ask Discord (${reason(err, timeoutMs)})`, fix: `check that this machine can reach ${config.discord.apiBaseUrl}` };
  }
  if (typeof flags !== 'number') return { ...base, status: 'warn', detail: 'not checked: Discord did not say which flags the application has', fix: 'check in the Developer Portal that Activities → Settings → Enable Activities is on' };
  if ((flags & EMBEDDED_FLAG) === 0) {
    return { ...base, status: 'warn', detail: 'the application does not have the EMBEDDED flag: Activities look disabled, so Watch together cannot open', fix: 'Developer Portal → your application → Activities → Settings → Enable Activities; then run `kaltura-discord register-commands` (it keeps the Activity\'s entry point command)' };
  }
  return { ...base, status: 'ok', detail: 'Activities are enabled (EMBEDDED flag)' };
}
