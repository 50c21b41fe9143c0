/**
 * `GET /j/<token>`: redeems a personal join link and redirects into the meeting. Every
 * refusal is a small page saying what happened and what to do; nothing unexpected ever
 * becomes a 500, and the token and the Kaltura URL (it carries a KS) are never logged.
 *
 * This is the one route strangers can hit at will and members hit all at once when a class
 * starts, so it is answered twice as cheaply as the rest: the pages are rendered once, a token
 * whose shape is wrong is refused before any cryptography or storage, and on a real socket the
 * route answers on Node's own request objects (`addNodeFastPath`), without h3 in between. The h3
 * routes stay (in-process `app.fetch`, targets the fast path leaves alone) and give the same answers.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { H3, H3Event } from 'h3';
import type { Logger } from '../core/logger';
import type { MetricsRecorder } from '../core/ports/metrics';
import { JoinLinkError, type JoinFailure, type RedeemedJoin } from '../core/meetings/meeting-service';
import { joinTokenShapeFailure } from '../core/meetings/join-tokens';
import { addNodeFastPath, type RouteGroup } from './create-http-app';
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

/** One answer of the route, the same whichever way it is written out. */
export interface JoinAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer;
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
const FAILURES: readonly JoinFailure[] = ['malformed', 'bad-signature', 'expired', 'used', 'ended', 'unknown-meeting'];
/** A token segment the fast path may take as it is: no `/`, `\` or `%`, so already in normal form (see ambiguousTarget). */
const PLAIN_SEGMENT = /^[^/\\%]+$/;

export function joinRoutes(options: JoinRoutesOptions): RouteGroup {
  const { logger, metrics } = options;
  // anyone can send garbage tokens: refusals are rate-limited so a flood cannot fill the disk
  const refusals = createRateLimitedLog({ logger, ...(options.refusalLogLimit !== undefined && { limit: options.refusalLogLimit }) });

  const render = (kind: JoinPageKind, status: number, reference?: string): JoinAnswer => {
    const body = Buffer.from(renderJoinPage(joinPage(kind, { linkTtlMs: options.linkTtlMs, ...(reference && { reference }) })));
    return { status, body, headers: { ...PAGE_HEADERS, 'content-length': String(body.length), ...(status === 503 && { 'retry-after': '60' }) } };
  };
  // Rendered once: a refusal costs a lookup, not a page.
  const preview = render('preview', 200);
  const refused = new Map(FAILURES.map((f) => [f, { page: render(f, new JoinLinkError(f).status), kind: `join link refused (${f})`, fields: { failure: f } }] as const));
  const refuse = (failure: JoinFailure, log: boolean): JoinAnswer => {
    const r = refused.get(failure)!;
    if (log) refusals('info', r.kind, r.fields, 'join link refused');
    metrics?.joinLinkRefused(failure);
    return r.page;
  };

  /** The answer when it needs neither the store nor a key (preview, damaged link), else undefined. */
  function answerAtOnce(method: string | undefined, userAgent: string | null | undefined, token: string | undefined): JoinAnswer | undefined {
    // HEAD and link previews only look; using the link up is for the member's own browser.
    if (method !== 'GET' || isLinkPreviewAgent(userAgent ?? null)) return preview;
    if (token === undefined) return refuse('malformed', false);
    if (joinTokenShapeFailure(token) !== undefined) return refuse('malformed', true);
    return undefined;
  }

  async function redeem(token: string): Promise<JoinAnswer> {
    try {
      const joined = await options.redeem(token);
      metrics?.joinLinkRedeemed();
      return { status: 302, headers: { ...PRIVATE, location: joined.redirectUrl } };
    } catch (err) {
      if (err instanceof JoinLinkError) return refuse(err.failure, true);
      const reference = randomBytes(4).toString('hex');
      logger.error({ err, reference }, 'join link could not be redeemed');
      metrics?.joinLinkRefused('unavailable');
      return render('unavailable', 503, reference);
    }
  }

  const toResponse = (a: JoinAnswer): Response => new Response(a.body ?? null, { status: a.status, headers: a.headers });
  const write = (res: ServerResponse, a: JoinAnswer): void => {
    res.writeHead(a.status, a.headers);
    res.end(a.body);
  };

  /** The same route on Node's objects; false (untouched) for anything it does not take as it is. */
  function fastPath(req: IncomingMessage, res: ServerResponse): boolean {
    const url = req.url;
    if (url === undefined || !url.startsWith('/j/') || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
    const q = url.indexOf('?');
    const token = q === -1 ? url.slice(3) : url.slice(3, q);
    if (token === '' || token === '.' || token === '..' || !PLAIN_SEGMENT.test(token)) return false;
    const now = answerAtOnce(req.method, req.headers['user-agent'], token);
    if (now !== undefined) write(res, now);
    else {
      redeem(token).then(
        (a) => write(res, a),
        (err: unknown) => {
          // redeem() answers every failure itself; this is only a last guard against a crash.
          logger.error({ err }, 'join link answer failed');
          if (!res.headersSent) res.writeHead(500, PRIVATE);
          res.end();
        },
      );
    }
    return true;
  }

  async function handle(event: H3Event, token: string | undefined): Promise<Response> {
    return toResponse(answerAtOnce(event.req.method, event.req.headers.get('user-agent'), token) ?? (await redeem(token!)));
  }

  return (app: H3) => {
    addNodeFastPath(app, fastPath);
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
