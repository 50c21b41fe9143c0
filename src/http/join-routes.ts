/**
 * `GET /j/<token>`: redeems a personal join link and redirects into the meeting. Every
 * refusal is a small page saying what happened and what to do; nothing unexpected ever
 * becomes a 500, and the token and the Kaltura URL (it carries a KS) are never logged.
 */
import { randomBytes } from 'node:crypto';
import type { H3, H3Event } from 'h3';
import type { Logger } from '../core/logger';
import type { MetricsRecorder } from '../core/ports/metrics';
import { JoinLinkError, type RedeemedJoin } from '../core/meetings/meeting-service';
import type { RouteGroup } from './create-http-app';
import { joinPage, renderJoinPage, type JoinPageKind } from './join-pages';
import { isLinkPreviewAgent } from './link-preview-agents';
import { createRateLimitedLog } from '../logging/rate-limited-log';

export interface JoinRoutesOptions {
  /** `MeetingService.redeemJoinLink`. */
  readonly redeem: (token: string) => Promise<RedeemedJoin>;
  readonly logger: Logger;
  /** `links.ttl`, to tell members how long links last. */
  readonly linkTtlMs: number;
  /** Counts redemptions and refusals by reason; optional. */
  readonly metrics?: Pick<MetricsRecorder, 'joinLinkRedeemed' | 'joinLinkRefused'>;
  /** Refusal lines written per kind and minute before they are only counted; default 10. */
  readonly refusalLogLimit?: number;
}

/** Nothing here may be cached, and the URL (a credential) must not leak as a Referer. */
const PRIVATE = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } as const;
const PAGE_HEADERS = {
  ...PRIVATE,
  'content-type': 'text/html; charset=utf-8',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  'x-robots-tag': 'noindex, nofollow',
} as const;

export function joinRoutes(options: JoinRoutesOptions): RouteGroup {
  const { logger } = options;
  // anyone can send garbage tokens: refusals are rate-limited so a flood cannot fill the disk
  const refusals = createRateLimitedLog({ logger, ...(options.refusalLogLimit !== undefined && { limit: options.refusalLogLimit }) });

  const page = (kind: JoinPageKind, status: number, reference?: string): Response =>
    new Response(renderJoinPage(joinPage(kind, { linkTtlMs: options.linkTtlMs, ...(reference && { reference }) })), {
      status,
      headers: { ...PAGE_HEADERS, ...(status === 503 && { 'retry-after': '60' }) },
    });

  async function handle(event: H3Event, token: string | undefined): Promise<Response> {
    // HEAD and link previews only look; using the link up is for the member's own browser.
    if (event.req.method !== 'GET' || isLinkPreviewAgent(event.req.headers.get('user-agent'))) return page('preview', 200);
    if (token === undefined) {
      options.metrics?.joinLinkRefused('malformed');
      return page('malformed', 400);
    }
    try {
      const joined = await options.redeem(token);
      options.metrics?.joinLinkRedeemed();
      return new Response(null, { status: 302, headers: { ...PRIVATE, location: joined.redirectUrl } });
    } catch (err) {
      if (err instanceof JoinLinkError) {
        refusals('info', `join link refused (${err.failure})`, { failure: err.failure }, 'join link refused');
        options.metrics?.joinLinkRefused(err.failure);
        return page(err.failure, err.status);
      }
      const reference = randomBytes(4).toString('hex');
      logger.error({ err, reference }, 'join link could not be redeemed');
      options.metrics?.joinLinkRefused('unavailable');
      return page('unavailable', 503, reference);
    }
  }

  return (app: H3) => {
    const token = (event: H3Event) => handle(event, event.context.params?.token);
    // A token never contains `/`; anything deeper is a damaged link, answered the same way.
    const damaged = (event: H3Event) => handle(event, undefined);
    // HEAD explicitly: the app's catch-all would otherwise take it before falling back to GET.
    app.get('/j/:token', token);
    app.head('/j/:token', token);
    app.get('/j/**', damaged);
    app.head('/j/**', damaged);
  };
}
