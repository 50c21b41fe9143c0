/**
 * `GET /v/<token>`: redeems a personal watch link (single use) and answers the player page.
 * The URL carries a credential and the page's sources carry a KS: nothing is cached, no Referer
 * leaves the page, robots are told off, and neither the token nor a source URL is ever logged.
 * Link previewers (Discord unfurling a pasted link) get a neutral page and never use the link up.
 */
import { randomBytes } from 'node:crypto';
import type { H3, H3Event } from 'h3';
import type { Logger } from '../core/logger';
import type { MediaEntry, Playback } from '../core/ports/media-library';
import { createRateLimitedLog } from '../logging/rate-limited-log';
import type { RouteGroup } from './create-http-app';
import { isLinkPreviewAgent } from './link-preview-agents';
import { renderWatchPage, renderWatchRefusal, watchPageCsp, watchRefusalPage, type WatchRefusal } from './watch-page';

export type WatchLinkFailure = 'invalid' | 'expired' | 'used' | 'gone';

export interface WatchRoutesOptions {
  /** `MediaService.redeemWatchLink`: throws a `WatchLinkError` (`reason`) for a refused link. */
  readonly redeem: (token: string) => Promise<{ readonly entry: MediaEntry; readonly playback: Playback }>;
  readonly logger: Logger;
  /** `links.ttl`, to tell members how long links last. */
  readonly linkTtlMs: number;
  /** Refusal lines written per kind and minute before they are only counted; default 10. */
  readonly refusalLogLimit?: number;
}

const PRIVATE = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-robots-tag': 'noindex, nofollow',
  'x-content-type-options': 'nosniff',
  'content-type': 'text/html; charset=utf-8',
} as const;
const REFUSAL_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const STATUS: Record<WatchRefusal, number> = { invalid: 400, expired: 410, used: 410, gone: 404, unavailable: 503, preview: 200 };
const FAILURES: ReadonlySet<string> = new Set<WatchLinkFailure>(['invalid', 'expired', 'used', 'gone']);

/** The reason of E2's `WatchLinkError` (matched by shape: the route must not depend on the core's class identity). */
export function watchLinkFailureOf(err: unknown): WatchLinkFailure | undefined {
  if (!(err instanceof Error) || err.name !== 'WatchLinkError') return undefined;
  const reason = (err as { reason?: unknown }).reason;
  return typeof reason === 'string' && FAILURES.has(reason) ? (reason as WatchLinkFailure) : undefined;
}

/** Tokens are URL-safe text of modest length; anything else is refused without asking the core. */
const TOKEN = /^[A-Za-z0-9_.~-]{1,2048}$/;

export function watchRoutes(options: WatchRoutesOptions): RouteGroup {
  const { logger } = options;
  const refusals = createRateLimitedLog({ logger, ...(options.refusalLogLimit !== undefined && { limit: options.refusalLogLimit }) });

  const refusal = (kind: WatchRefusal, reference?: string): Response =>
    new Response(renderWatchRefusal(watchRefusalPage(kind, { linkTtlMs: options.linkTtlMs, ...(reference && { reference }) })), {
      status: STATUS[kind],
      headers: { ...PRIVATE, 'content-security-policy': REFUSAL_CSP, ...(kind === 'unavailable' && { 'retry-after': '60' }) },
    });

  async function handle(event: H3Event, token: string | undefined): Promise<Response> {
    // HEAD and link previews only look; using the link up is for the member's own browser.
    if (event.req.method !== 'GET' || isLinkPreviewAgent(event.req.headers.get('user-agent'))) return refusal('preview');
    if (token === undefined || !TOKEN.test(token)) {
      refusals('info', 'watch link refused (invalid)', { failure: 'invalid' }, 'watch link refused');
      return refusal('invalid');
    }
    try {
      const { entry, playback } = await options.redeem(token);
      const page = {
        title: entry.name,
        ...(entry.description && { description: entry.description }),
        sources: playback.sources,
        ...(playback.posterUrl && { posterUrl: playback.posterUrl }),
      };
      return new Response(renderWatchPage(page), { status: 200, headers: { ...PRIVATE, 'content-security-policy': watchPageCsp(page) } });
    } catch (err) {
      const failure = watchLinkFailureOf(err);
      if (failure) {
        refusals('info', `watch link refused (${failure})`, { failure }, 'watch link refused');
        return refusal(failure);
      }
      const reference = randomBytes(4).toString('hex');
      logger.error({ err, reference }, 'watch link could not be redeemed');
      return refusal('unavailable', reference);
    }
  }

  return (app: H3) => {
    const token = (event: H3Event) => handle(event, event.context.params?.token);
    // A token never contains `/`; anything deeper is a damaged link, answered the same way.
    const damaged = (event: H3Event) => handle(event, undefined);
    // HEAD explicitly: the app's catch-all would otherwise take it before falling back to GET.
    app.get('/v/:token', token);
    app.head('/v/:token', token);
    app.get('/v/**', damaged);
    app.head('/v/**', damaged);
  };
}
