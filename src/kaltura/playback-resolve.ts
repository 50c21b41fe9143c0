/**
 * Follows playManifest's redirects on the server, so a browser gets the final flavor URL.
 * Why: inside a Discord Activity every request goes through Discord's proxy, which passes a
 * `Location` to another host through unchanged, and the browser's CSP then blocks it; only a
 * URL we can map to a proxy prefix up front works (see docs/activity.md).
 *
 * Each hop is a GET with `redirect: 'manual'` and `Range: bytes=0-0` (the last hop is the
 * video itself: one byte proves it plays without downloading it); bodies are discarded.
 * The URLs carry a KS, so no URL, and nothing upstream said, reaches an error message.
 */
import { KalturaTransportError } from './errors';

export interface ResolveOptions {
  /** Most redirects followed; default 3. */
  readonly maxRedirects?: number;
  /** Bound of the whole resolution; default 3 s. */
  readonly timeoutMs?: number;
  /** Aborts the resolution (the adapter closing). */
  readonly signal?: AbortSignal;
  readonly fetch?: typeof fetch;
}

export interface ResolvedSource {
  readonly url: string;
  /** The final answer's media type when it is audio/* or video/*. */
  readonly mimeType?: string;
  readonly redirects: number;
}

const fail = (failure: 'timeout' | 'network' | 'http', retryable: boolean, status: number | undefined, detail: string) =>
  new KalturaTransportError(failure, 'playManifest', 'resolve', retryable, status, 1, detail);

/** `X-Kaltura: error-7` is how playManifest says why (KExternalErrors::dieError); safe to repeat. */
function kalturaErrorOf(res: Response): string {
  const header = res.headers.get('x-kaltura') ?? '';
  const m = /^\s*(error-\d{1,4})\s*$/.exec(header);
  return m ? ` (${m[1]})` : '';
}

function mediaTypeOf(res: Response): string | undefined {
  const type = (res.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return /^(video|audio)\/[a-z0-9.+-]{1,60}$/.test(type) ? type : undefined;
}

export async function resolvePlayableUrl(start: string, options: ResolveOptions = {}): Promise<ResolvedSource> {
  const maxRedirects = options.maxRedirects ?? 3;
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 3_000);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  const doFetch = options.fetch ?? fetch;
  let url = new URL(start);
  for (let redirects = 0; ; redirects++) {
    let res: Response;
    try {
      res = await doFetch(url, { method: 'GET', redirect: 'manual', signal, headers: { Range: 'bytes=0-0' } });
    } catch {
      // the cause is not kept: undici's errors may quote the request
      if (timeout.aborted) throw fail('timeout', true, undefined, 'the video source did not answer in time');
      if (options.signal?.aborted) throw fail('network', false, undefined, 'stopped: the Kaltura adapter is closing');
      throw fail('network', true, undefined, 'the video source could not be reached');
    }
    await res.body?.cancel().catch(() => undefined);
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location !== null) {
      if (redirects >= maxRedirects) throw fail('http', false, res.status, `more than ${maxRedirects} redirects`);
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw fail('http', false, res.status, 'a redirect to an invalid URL');
      }
      if (next.protocol !== 'https:' && next.protocol !== 'http:') throw fail('http', false, res.status, 'a redirect to a non-HTTP URL');
      url = next;
      continue;
    }
    if (res.status === 200 || res.status === 206) {
      const mimeType = mediaTypeOf(res);
      return { url: url.href, ...(mimeType && { mimeType }), redirects };
    }
    throw fail('http', res.status >= 500 || res.status === 429, res.status, `the video source answered HTTP ${res.status}${kalturaErrorOf(res)}`);
  }
}
