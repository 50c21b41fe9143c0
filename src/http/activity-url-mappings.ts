/**
 * Media URLs for the Activity. Inside Discord every request the iframe makes goes through
 * Discord's proxy, and its CSP blocks any host that is not URL-mapped in the developer portal
 * (docs: discord.com/developers/docs/activities/development-guides#url-mapping; our notes:
 * /work/shared/reference/discord-api.md §7.2). So the client is never given an absolute Kaltura
 * URL: each one is rewritten to the proxy-relative path of the mapping that covers it,
 * `https://cdnapisec.kaltura.com/p/1/thumbnail/…` → `/kaltura-cdn/p/1/thumbnail/…`.
 */

/** One portal mapping: `prefix` (e.g. `/kaltura-cdn`) → `target` (`host[:port][/path]`, protocol optional). */
export interface ActivityUrlMapping {
  readonly prefix: string;
  readonly target: string;
}

interface ParsedTarget {
  readonly prefix: string;
  /** Only compared when the target names one (Discord's own mappings never do). */
  readonly protocol?: string;
  /** `host[:port]`, lower case, default port dropped. */
  readonly host: string;
  /** Without a trailing slash; '' for the host's root. */
  readonly path: string;
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

function parseTarget(mapping: ActivityUrlMapping): ParsedTarget | undefined {
  const withProtocol = /^[a-z][a-z0-9+.-]*:\/\//i.test(mapping.target);
  let url: URL;
  try {
    url = new URL(withProtocol ? mapping.target : `https://${mapping.target}`);
  } catch {
    return undefined;
  }
  const prefix = `/${mapping.prefix.replace(/^\/+|\/+$/g, '')}`;
  if (prefix === '/') return undefined; // the root mapping is the Activity itself, never a media host
  return {
    prefix,
    ...(withProtocol && { protocol: url.protocol }),
    host: url.host.toLowerCase(),
    path: url.pathname.replace(/\/+$/, ''),
  };
}

function hostOf(url: URL): string {
  const port = url.port && url.port !== DEFAULT_PORTS[url.protocol] ? `:${url.port}` : '';
  return `${url.hostname.toLowerCase()}${port}`;
}

/**
 * The proxy-relative form of `absUrl` under the mapping that covers it (the one with the longest
 * target path when several do), or `undefined` when no mapping covers its host: the caller then
 * refuses with `unmapped-media-host` rather than hand the client a URL Discord's CSP would block.
 */
export function toActivityUrl(absUrl: string, mappings: readonly ActivityUrlMapping[]): string | undefined {
  let url: URL;
  try {
    url = new URL(absUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const host = hostOf(url);
  let best: ParsedTarget | undefined;
  for (const mapping of mappings) {
    const target = parseTarget(mapping);
    if (!target || target.host !== host) continue;
    if (target.protocol !== undefined && target.protocol !== url.protocol) continue;
    if (target.path !== '' && url.pathname !== target.path && !url.pathname.startsWith(`${target.path}/`)) continue;
    if (!best || target.path.length > best.path.length) best = target;
  }
  if (!best) return undefined;
  return `${best.prefix}${url.pathname.slice(best.path.length) || '/'}${url.search}`;
}

/** The host named in an error when `absUrl` is unmapped (never the path or query: they may carry a KS). */
export function mediaHostOf(absUrl: string): string {
  try {
    return hostOf(new URL(absUrl));
  } catch {
    return 'invalid-url';
  }
}

/** `/kaltura-cdn` → the host of `kaltura.cdnUrl` (always), then the operator's `activity.mediaMappings`. */
export function activityMediaMappings(cdnUrl: string, extra: readonly ActivityUrlMapping[] = []): ActivityUrlMapping[] {
  const cdn = new URL(cdnUrl);
  return [{ prefix: '/kaltura-cdn', target: `${hostOf(cdn)}${cdn.pathname.replace(/\/+$/, '')}` }, ...extra];
}
