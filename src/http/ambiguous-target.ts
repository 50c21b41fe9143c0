/**
 * Why a request target is refused before routing, or undefined when it is plain. A reverse proxy
 * that allows `/j/*` and blocks `/metrics` decides on the path as it sees it; if this server then
 * normalised `/j/../metrics` (or `/j/%2e%2e/metrics`, `/j/..\metrics`) into `/metrics`, the proxy's
 * rule would be bypassed. So only a target that is already in normal form is served: origin-form,
 * no dot segments (raw or percent-encoded), no backslash, no empty segment, no encoded slash or
 * NUL. Absolute-form (`GET http://host/metrics`) is for proxies, not for an origin server.
 * @see https://www.rfc-editor.org/rfc/rfc9112#section-3.2 (request-target forms)
 * @see https://www.rfc-editor.org/rfc/rfc3986#section-5.2.4 (remove_dot_segments)
 */
export function ambiguousTarget(target: string): string | undefined {
  if (target === '*') return 'asterisk-form request target';
  if (!target.startsWith('/')) return 'absolute-form request target (only a path is accepted)';
  const q = target.search(/[?#]/);
  const path = q === -1 ? target : target.slice(0, q);
  if (path.includes('\\')) return 'backslash in the path';
  if (/%(2f|5c|00)/i.test(path)) return 'encoded slash, backslash or NUL in the path';
  const segments = path.split('/').slice(1);
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment === '' && i < segments.length - 1) return 'empty path segment (//)';
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return 'malformed percent-encoding in the path';
    }
    if (decoded === '.' || decoded === '..') return 'dot segment in the path';
  }
  return undefined;
}
