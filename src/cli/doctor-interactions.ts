/**
 * `discord.interactions-endpoint` (discord.mode http): does `<http.publicUrl>/interactions` reach
 * this bot and refuse what Discord did not sign? Discord sends deliberately bad signatures when the
 * URL is saved and in routine checks, and removes a URL that accepts them. The doctor can only send
 * that half: a signed PING needs the application's private key, which only Discord holds (the
 * portal sends one when the URL is saved — which is the other half of this check).
 * @see https://discord.com/developers/docs/interactions/overview#validating-security-request-headers
 */
import { randomBytes } from 'node:crypto';
import type { Config } from '../config/config-types';
import type { CheckResult } from '../core/health-check';
import { interactionsEndpointUrl } from '../discord/http-interactions/interactions-endpoint';
import { networkCause } from './doctor-public-url';

export const INTERACTIONS_CHECK_ID = 'discord.interactions-endpoint';
const TITLE = 'Interactions endpoint refuses forged requests';
const NO_KEY = 'we cannot send a correctly signed PING: only Discord holds the private key; the portal sends one when you save the URL';

export async function checkInteractionsEndpoint(config: Config, timeoutMs = 10_000): Promise<CheckResult> {
  const base = { id: INTERACTIONS_CHECK_ID, title: TITLE };
  const url = interactionsEndpointUrl(config.http.publicUrl);
  const body = JSON.stringify({ type: 1 });
  const forged = {
    'content-type': 'application/json',
    'user-agent': 'kaltura-discord (doctor)',
    // Well-formed, current and wrong: random bytes are not a signature of this body by any key we know.
    'x-signature-ed25519': randomBytes(64).toString('hex'),
    'x-signature-timestamp': String(Math.floor(Date.now() / 1000)),
  };
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: forged, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    return { ...base, status: 'fail', detail: `POST ${url} failed: ${networkCause(err)}`, fix: `Discord must reach this URL: check that \`kaltura-discord serve\` runs, that the reverse proxy forwards /interactions to http.listen (${config.http.listen}) and that the certificate is valid` };
  }
  const text = (await res.text().catch(() => '')).slice(0, 200).replace(/\s+/g, ' ');
  if (res.status === 401) return { ...base, status: 'ok', detail: `POST ${url} with a wrong signature was refused (401), as Discord requires (${NO_KEY})` };
  if (res.status === 404 || res.status === 405) {
    return { ...base, status: 'fail', detail: `POST ${url} answered HTTP ${res.status}`, fix: 'the reverse proxy does not forward POST /interactions to the bot, or serve runs in gateway mode (restart it after setting discord.mode: http)' };
  }
  if (res.status >= 300 && res.status < 400) {
    return { ...base, status: 'fail', detail: `POST ${url} was redirected (HTTP ${res.status})`, fix: 'Discord does not follow redirects: http.publicUrl must be the final https:// address' };
  }
  if (res.status >= 502 && res.status <= 504) {
    return { ...base, status: 'fail', detail: `POST ${url} answered HTTP ${res.status}: the proxy answers but cannot reach the bot`, fix: `start the bot and make the proxy forward to http.listen (${config.http.listen})` };
  }
  return {
    ...base, status: 'fail',
    detail: `POST ${url} with a wrong signature was answered HTTP ${res.status} (${text}), not refused with 401: Discord would remove this URL`,
    fix: `something other than this bot answers there; point the proxy for ${new URL(url).host} at http.listen (${config.http.listen})`,
  };
}
