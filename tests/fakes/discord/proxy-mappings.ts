/**
 * The portal's URL Mappings as Discord's Activity proxy applies them: a request path is matched
 * against each prefix on a path-segment boundary and forwarded to the target directory with the rest
 * of the path. Longer prefixes win (the portal needs them listed first — "you must place the shortest
 * of the prefix paths last" — so a correctly configured app behaves as longest-first). `/.proxy/x` and
 * `/x` are the same request (the prefix became optional on 2025-07-30).
 * Targets are `host[:port][/dir]` without protocol as in the portal; the fake also accepts
 * `http://…`/`https://…` (plain http is assumed without one, since test servers are plain http).
 * Parameter mappings (`/g/{sub}`) are not modelled.
 * @see https://discord.com/developers/docs/activities/development-guides/local-development#url-mapping
 * @see /work/shared/reference/discord-api.md §7.2
 */

export interface ActivityProxyMapping {
  /** `/`, or `/name[/more]` (no trailing slash). */
  readonly prefix: string;
  /** `127.0.0.1:8080/activity`, or `http://127.0.0.1:8080/activity`. */
  readonly target: string;
}

export interface ResolvedMapping {
  readonly prefix: string;
  readonly target: URL;
}

export function parseMappings(mappings: readonly ActivityProxyMapping[]): ResolvedMapping[] {
  return mappings
    .map((m) => {
      if (!/^\/([A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*)?$/.test(m.prefix)) throw new Error(`fake Activity proxy: bad mapping prefix ${JSON.stringify(m.prefix)} (want "/" or "/name")`);
      if (m.prefix.startsWith('/__fake-discord')) throw new Error('fake Activity proxy: /__fake-discord is reserved for the fake client page');
      const target = new URL(/^https?:\/\//.test(m.target) ? m.target : `http://${m.target}`);
      if (target.search || target.hash) throw new Error(`fake Activity proxy: a target is a directory, without query or fragment: ${m.target}`);
      return { prefix: m.prefix, target };
    })
    .sort((a, b) => b.prefix.length - a.prefix.length);
}

/**
 * How a request for a mapping's own root (`/` under the `/` mapping, or exactly `/x`) reaches the
 * target directory: with a trailing slash (`<dir>/`) or without (`<dir>`). Discord does not document
 * it; `bare` is the stricter reading (an app that redirects `/activity` to `/activity/` then breaks,
 * since the browser's URL is the proxy root), and the default.
 */
export type MappingRoot = 'bare' | 'slash';

/** The upstream URL for a proxied path (with its query), or undefined when no mapping covers it. */
export function resolve(mappings: readonly ResolvedMapping[], pathAndQuery: string, root: MappingRoot = 'bare'): URL | undefined {
  const q = pathAndQuery.indexOf('?');
  let path = q < 0 ? pathAndQuery : pathAndQuery.slice(0, q);
  const query = q < 0 ? '' : pathAndQuery.slice(q);
  if (path === '/.proxy' || path.startsWith('/.proxy/')) path = path.slice('/.proxy'.length) || '/';
  for (const m of mappings) {
    const own = m.prefix === '/' ? path === '/' : path === m.prefix;
    const rest = own ? '' : m.prefix === '/' ? path : path.startsWith(`${m.prefix}/`) ? path.slice(m.prefix.length) : undefined;
    if (rest === undefined) continue;
    const dir = m.target.pathname.replace(/\/+$/, '');
    const tail = own ? (root === 'slash' || dir === '' ? '/' : '') : rest;
    return new URL(`${dir}${tail}${query}`, m.target.origin);
  }
  return undefined;
}
