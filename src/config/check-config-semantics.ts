import { parseDuration } from '../shared/duration';
import { weakLinkSecretReason } from './secret-strength';

export interface SemanticProblem {
  readonly segments: readonly string[];
  readonly message: string;
}

const LINK_TTL_MIN = 30_000;
const LINK_TTL_MAX = 3_600_000;
const TIMEOUT_MIN = 1_000;
const TIMEOUT_MAX = 300_000;

/**
 * Rules the JSON Schema cannot express clearly. Runs only on a schema-valid value,
 * so the shapes can be trusted here.
 */
export function checkConfigSemantics(value: Record<string, unknown>): SemanticProblem[] {
  const problems: SemanticProblem[] = [];
  const kaltura = value.kaltura as { adminSecret?: string; appToken?: unknown; requestTimeout: string; joinRoleId?: string };
  if (kaltura.adminSecret === undefined && kaltura.appToken === undefined) {
    problems.push({ segments: ['kaltura'], message: 'set either kaltura.adminSecret or kaltura.appToken (the bot needs one way to start Kaltura sessions)' });
  }
  if (kaltura.adminSecret !== undefined && kaltura.appToken !== undefined) {
    problems.push({ segments: ['kaltura', 'appToken'], message: 'set either kaltura.adminSecret or kaltura.appToken, not both (remove one so it is clear which is used)' });
  }
  if (kaltura.joinRoleId !== undefined && kaltura.appToken !== undefined) {
    // kaltura/server kSessionUtils::retrieveAllowedAppSessionPrivileges drops server privileges such as setrole
    problems.push({ segments: ['kaltura', 'joinRoleId'], message: 'needs kaltura.adminSecret: Kaltura ignores setrole when a session is started with an app token, so the role would silently not apply' });
  }
  const discord = value.discord as { mode?: string; publicKey?: string };
  if (discord.mode === 'http' && discord.publicKey === undefined) {
    problems.push({ segments: ['discord', 'publicKey'], message: 'is needed when discord.mode is http: Discord signs every interaction it POSTs, and the bot verifies it with this key (Developer Portal → General Information → Public Key)' });
  }
  const storage = value.storage as { driver: string; url?: string };
  if (storage.driver === 'postgres' && storage.url === undefined) {
    problems.push({ segments: ['storage', 'url'], message: 'is needed when storage.driver is postgres (set KALTURA_DISCORD_STORAGE__URL to keep the password out of the file)' });
  }
  if (storage.driver !== 'postgres' && storage.url !== undefined) {
    problems.push({ segments: ['storage', 'url'], message: 'is only used with storage.driver: postgres (set the driver, or remove the URL so it is clear the SQLite file is used)' });
  }
  const timeout = parseDuration(kaltura.requestTimeout);
  if (timeout === undefined || timeout < TIMEOUT_MIN || timeout > TIMEOUT_MAX) {
    problems.push({ segments: ['kaltura', 'requestTimeout'], message: 'must be between 1s and 5m' });
  }
  // A member must hear back within 15 s (Discord's round trips included), so at most 12s.
  const interactive = parseDuration((value.kaltura as { interactiveTimeout: string }).interactiveTimeout);
  if (interactive === undefined || interactive < 1_000 || interactive > 12_000) {
    problems.push({ segments: ['kaltura', 'interactiveTimeout'], message: 'must be between 1s and 12s (a member waiting on /kaltura start or End must hear back within 15 s)' });
  }
  const links = value.links as { ttl: string; secret: string };
  const weakSecret = weakLinkSecretReason(links.secret);
  if (weakSecret) problems.push({ segments: ['links', 'secret'], message: weakSecret });
  const ttl = parseDuration(links.ttl);
  if (ttl === undefined || ttl < LINK_TTL_MIN || ttl > LINK_TTL_MAX) {
    problems.push({ segments: ['links', 'ttl'], message: 'must be between 30s and 1h (join links are meant to be short-lived)' });
  }
  const recordings = value.recordings as { pollEvery: string; pollWindow: string };
  const every = parseDuration(recordings.pollEvery);
  if (every === undefined || every < 30_000 || every > 3_600_000) problems.push({ segments: ['recordings', 'pollEvery'], message: 'must be between 30s and 1h' });
  const window = parseDuration(recordings.pollWindow);
  if (window === undefined || window < 600_000 || window > 48 * 3_600_000) problems.push({ segments: ['recordings', 'pollWindow'], message: 'must be between 10m and 48h' });
  const retire = parseDuration((value.recordings as { retireAfter: string }).retireAfter);
  if (retire === undefined || retire < 3_600_000 || retire > 2_160 * 3_600_000) {
    problems.push({ segments: ['recordings', 'retireAfter'], message: 'must be between 1h and 2160h (90 days)' });
  } else if (window !== undefined && retire < window) {
    problems.push({ segments: ['recordings', 'retireAfter'], message: 'must be at least recordings.pollWindow (the room and template are needed until the recordings are found)' });
  }
  // One category for every server would list one server's media in another (the library's tenancy boundary).
  if ((value.defaults as { kaltura?: { categoryId?: number } } | undefined)?.kaltura?.categoryId !== undefined) {
    problems.push({ segments: ['defaults', 'kaltura', 'categoryId'], message: "is a per-server choice: here it would put every Discord server's media in one category. Remove it, and set it per server with `/kaltura-admin settings set` or `kaltura-discord config set --guild <id> kaltura.categoryId <id>`" });
  }
  problems.push(...mediaMappingProblems((value.activity as { mediaMappings?: { prefix: string }[] } | undefined)?.mediaMappings ?? []));
  const http = value.http as { listen: string; publicUrl: string };
  const port = Number(http.listen.slice(http.listen.lastIndexOf(':') + 1));
  if (port > 65535) problems.push({ segments: ['http', 'listen'], message: 'port must be between 0 and 65535 (0 picks a free port)' });
  for (const [segments, url] of [
    [['http', 'publicUrl'], http.publicUrl],
    [['kaltura', 'serviceUrl'], (value.kaltura as { serviceUrl: string }).serviceUrl],
    [['discord', 'apiBaseUrl'], (value.discord as { apiBaseUrl: string }).apiBaseUrl],
  ] as const) {
    if (!URL.canParse(url)) problems.push({ segments, message: `"${url}" is not a valid URL` });
    else if (new URL(url).search || new URL(url).hash) problems.push({ segments, message: 'must not contain a query string or fragment' });
  }
  return problems;
}

/**
 * Paths the Activity itself uses under its root mapping (`/` → <publicUrl>/activity): Discord's proxy
 * picks the longest matching prefix, so a media mapping named like one would hide the Activity's own
 * API, assets or sync socket; `/kaltura-cdn` is the CDN mapping the bot always implies.
 */
const RESERVED_PREFIXES: Readonly<Record<string, string>> = {
  '/kaltura-cdn': 'is always mapped to the host of kaltura.cdnUrl; pick another prefix',
  '/api': "is the Activity's own API (under the / mapping); pick another prefix",
  '/assets': "is the Activity's own scripts and styles (under the / mapping); pick another prefix",
  '/ws': "is the Activity's sync connection (under the / mapping); pick another prefix",
};

function mediaMappingProblems(mappings: readonly { prefix: string }[]): SemanticProblem[] {
  const problems: SemanticProblem[] = [];
  const seen = new Set<string>();
  mappings.forEach((m, i) => {
    const segments = ['activity', 'mediaMappings', String(i), 'prefix'];
    const reserved = RESERVED_PREFIXES[m.prefix];
    if (reserved) problems.push({ segments, message: `"${m.prefix}" ${reserved}` });
    else if (seen.has(m.prefix)) problems.push({ segments, message: `"${m.prefix}" is mapped twice; a prefix maps to one target` });
    seen.add(m.prefix);
  });
  return problems;
}
