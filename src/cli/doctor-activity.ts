/**
 * `doctor`'s checks for the Watch together Activity. Discord loads an Activity only through its
 * proxy, which reaches nothing but the URL mappings the operator typed into the Developer Portal
 * (discord.com/developers/docs/activities/development-guides#url-mapping; our notes:
 * /work/shared/reference/discord-api.md §7.2), and it cannot be asked which mappings are there.
 * So doctor prints the exact table to enter, and checks what can be checked from here: the
 * client secret, the Activity being served at the public URL, and the application's EMBEDDED flag.
 */
import type { Config } from '../config/config-types';
import type { CheckResult } from '../core/health-check';
import { activityMediaMappings } from '../http/activity-url-mappings';
import { DEFAULT_CDN_URL } from '../kaltura/media-urls';
import { checkActivityServed, checkClientSecret, checkEmbeddedFlag } from './doctor-activity-probes';

export const ACTIVITY_CHECK_IDS = {
  mappings: 'activity.url-mappings',
  secret: 'activity.client-secret',
  served: 'activity.served',
  embedded: 'activity.embedded',
} as const;

export interface PortalMapping {
  readonly prefix: string;
  /** `host[:port][/path]`, without the protocol, as the portal takes it. */
  readonly target: string;
}

/** `https://bot.example.org/kd` → `bot.example.org/kd` (the portal's form: no protocol, no trailing slash). */
function withoutProtocol(url: string): string {
  const u = new URL(url);
  return `${u.host}${u.pathname.replace(/\/+$/, '')}`;
}

/**
 * The URL mappings the Developer Portal must hold, longer prefixes first (Discord matches them in
 * order): the operator's media mappings, `/kaltura-cdn` → the CDN host, and `/` → the bot's
 * `/activity`. The media part is the server's own list (activityMediaMappings), so doctor prints
 * exactly what the Activity's API will rewrite media URLs to.
 */
export function activityPortalMappings(config: Config): PortalMapping[] {
  const media = activityMediaMappings(config.kaltura.cdnUrl ?? DEFAULT_CDN_URL, config.activity?.mediaMappings ?? []);
  const all = [...media, { prefix: '/', target: `${withoutProtocol(config.http.publicUrl)}/activity` }];
  return all.map((m, i) => ({ m, i })).sort((a, b) => b.m.prefix.length - a.m.prefix.length || a.i - b.i).map(({ m }) => ({ prefix: m.prefix, target: m.target }));
}

/** The mappings as the table doctor prints. */
export function formatPortalMappings(mappings: readonly PortalMapping[]): string {
  const width = Math.max(...mappings.map((m) => m.prefix.length));
  return mappings.map((m) => `  ${m.prefix.padEnd(width)}  →  ${m.target}`).join('\n');
}

function mappingsCheck(config: Config): CheckResult {
  const mappings = activityPortalMappings(config);
  const title = 'Activity URL mappings';
  const table = `enter these in the Developer Portal → your application → Activities → URL Mappings (in this order):\n${formatPortalMappings(mappings)}\n(the Kaltura API needs no mapping: only the bot calls it, never the Activity)`;
  // Discord's proxy fetches the mapped targets over HTTPS (the portal takes no protocol), so a plain-http
  // public URL can serve members' browsers on this machine, never the Activity.
  const publicUrl = new URL(config.http.publicUrl);
  if (publicUrl.protocol !== 'https:' && !['127.0.0.1', 'localhost', '[::1]'].includes(publicUrl.hostname)) {
    return { id: ACTIVITY_CHECK_IDS.mappings, title, status: 'warn', detail: `${table}\nbut http.publicUrl is plain http: Discord's proxy reaches the bot over HTTPS only`, fix: 'serve the bot over HTTPS behind a reverse proxy (docs/operations.md) and set http.publicUrl to that https:// address' };
  }
  return { id: ACTIVITY_CHECK_IDS.mappings, title, status: 'ok', detail: table };
}

export interface ActivityDoctorInputs {
  /** The public URL check: /activity/ is probed only when the bot answers there. */
  readonly publicUrl: Promise<CheckResult>;
  /** The bot token check: the EMBEDDED flag is read with the token only when it works. */
  readonly botToken: Promise<CheckResult>;
}

/** The Activity's check group. Without discord.clientSecret the Activity is off: one warning, nothing probed. */
export async function runActivityDoctorChecks(config: Config, inputs: ActivityDoctorInputs, timeoutMs: number): Promise<CheckResult[]> {
  const mappings = mappingsCheck(config);
  if (!config.discord.clientSecret) {
    return [{
      id: ACTIVITY_CHECK_IDS.secret, title: 'Watch together Activity', status: 'warn',
      detail: 'off: discord.clientSecret is not set, so Watch together answers with an explanation instead of opening the Activity',
      fix: 'to turn it on, follow docs/activity.md: enable Activities in the Developer Portal, enter the URL mappings doctor prints, and give the OAuth2 Client Secret with `kaltura-discord config set discord.clientSecret -`',
    }, mappings];
  }
  const [secret, served, embedded] = await Promise.all([
    checkClientSecret(config, timeoutMs),
    inputs.publicUrl.then((p) => checkActivityServed(config, p, timeoutMs)),
    inputs.botToken.then((t) => checkEmbeddedFlag(config, t, timeoutMs)),
  ]);
  return [secret, mappings, served, embedded];
}
