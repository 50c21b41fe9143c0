/**
 * Everything the Discord Activity loads from the bot, under `/activity/`: the client's files and
 * its JSON API. The developer portal maps `/` to `<publicUrl>/activity`, so the client only ever
 * uses relative URLs and works both behind Discord's proxy and opened directly.
 * @see /tmp/team/CONTRACT.md "HTTP API"; /work/shared/reference/discord-api.md §7.2–7.4
 */
import { getRequestIP, type H3, type H3Event } from 'h3';
import type { Logger } from '../core/logger';
import { createActivityApiHandlers, type ActivityApi } from './activity-api-handlers';
import { toApiError } from './activity-api-errors';
import { ApiError, jsonResponse } from './activity-api-json';
import { createRateLimiter, type RateLimiter } from './activity-api-rate-limit';
import type { ActivityUrlMapping } from './activity-url-mappings';
import type { RouteGroup } from './create-http-app';

/** One file of the built client (E7's loader, src/http/activity-assets.ts, has the same shape). */
export interface ActivityFile {
  readonly body: Uint8Array;
  readonly contentType: string;
  /** Content-hashed name: cacheable for ever. */
  readonly immutable: boolean;
}

export interface ActivityRoutesOptions {
  readonly api: ActivityApi;
  /** `/kaltura-cdn` → kaltura.cdnUrl's host, then `activity.mediaMappings`. */
  readonly mappings: readonly ActivityUrlMapping[];
  /** Keys 'index.html' (client id already filled in) and 'assets/<file>'; `{missing}` = not built (answered 503, reason logged at start). */
  readonly files: ReadonlyMap<string, ActivityFile> | { readonly missing: string };
  readonly logger: Logger;
  /** Code exchanges per address and window; default PER_ADDRESS_LIMIT. */
  readonly tokenLimit?: RateLimit;
  /** Session openings per address and window; default PER_ADDRESS_LIMIT (one per sign-in, like the code). */
  readonly sessionLimit?: RateLimit;
  /** Code exchanges and session openings together, all addresses; default 600 a minute (see SIGN_IN_LIMIT). */
  readonly signInLimit?: RateLimit;
}

type RateLimit = { readonly limit: number; readonly windowMs: number };

/**
 * Each sign-in step asks Discord about something the caller chose (a code, an access token), and a
 * refused token is a 401 from Discord. Discord bans an IP that makes 10,000 invalid requests
 * (401/403/429) in 10 minutes (discord-api.md §4.1), which would take the whole bot off Discord; a
 * per-address limit alone does not stop a caller with many addresses. So all sign-ins share one
 * budget, at most 6,000 Discord calls in 10 minutes, far above a community's launches.
 */
const SIGN_IN_LIMIT: RateLimit = { limit: 600, windowMs: 60_000 };
/**
 * Discord's proxy hides members' addresses (requests come from the proxy's: "to hide the users' IP
 * addresses", discord.com/developers/docs/activities/development-guides/networking), so a whole watch party
 * (up to 100 members, and their hourly renewals all at once) may share one address: the per-address
 * limit only keeps a single direct caller from taking the whole bot-wide budget.
 */
const PER_ADDRESS_LIMIT: RateLimit = { limit: 150, windowMs: 60_000 };

/** The client needs nothing but its own origin (media and the WebSocket included: they are proxy-relative). */
const INDEX_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";
const ASSET_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

export function activityRoutes(options: ActivityRoutesOptions): RouteGroup {
  const { logger } = options;
  const handlers = createActivityApiHandlers({ api: options.api, mappings: options.mappings, logger });
  const tokenLimit = createRateLimiter(options.tokenLimit ?? PER_ADDRESS_LIMIT);
  const sessionLimit = createRateLimiter(options.sessionLimit ?? PER_ADDRESS_LIMIT);
  const signIns = createRateLimiter(options.signInLimit ?? SIGN_IN_LIMIT);
  /** Throws 429 unless this address, and the bot as a whole, may make one more sign-in call to Discord. */
  const admit = (event: H3Event, perAddress: RateLimiter) => {
    const key = getRequestIP(event) ?? 'unknown';
    if (!perAddress.take(key)) throw new ApiError(429, 'rate-limited', 'Too many sign-ins from this address. Wait a minute and try again.', {}, { 'retry-after': String(perAddress.retryAfterS(key)) });
    if (!signIns.take('all')) throw new ApiError(429, 'rate-limited', 'Too many sign-ins on this bot right now. Wait a minute and try again.', {}, { 'retry-after': String(signIns.retryAfterS('all')) });
  };

  const notBuilt = () =>
    new Response('The Activity is not available on this server right now.\n', { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'retry-after': '60' } });
  const notFound = () => new Response('Not found\n', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });

  const file = (key: string): Response => {
    const files = options.files;
    if (!(files instanceof Map)) return notBuilt();
    const found = (files as ReadonlyMap<string, ActivityFile>).get(key);
    if (!found) return notFound();
    const headers: Record<string, string> = {
      'content-type': found.contentType,
      'cache-control': found.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    };
    if (key === 'index.html') headers['content-security-policy'] = INDEX_CSP;
    return new Response(found.body as Uint8Array<ArrayBuffer>, { status: 200, headers });
  };

  /** Runs a handler; refusals and failures become `{error, message}` with the right status, never a 500. */
  const json = (what: string, run: (event: H3Event) => Promise<unknown>) => async (event: H3Event) => {
    try {
      return jsonResponse(200, await run(event));
    } catch (err) {
      return toApiError(err, logger, what).toResponse();
    }
  };

  return (app: H3) => {
    const index = () => file('index.html');
    // index.html loads `assets/…` relative to itself: opened directly without the slash they would
    // resolve to /assets/, hence the redirect. But a launch inside Discord (the SDK's frame_id and
    // instance_id are in the query) is proxied: the browser's URL is the proxy's root whichever upstream
    // path the proxy asks (`/activity` or `/activity/`: not documented), and a redirect to /activity/
    // would land under the root mapping (→ /activity/activity/). So it gets the page itself.
    // (The router matches both spellings with one route, so the path itself decides.)
    app.get('/activity/', (event) => {
      const launched = event.url.searchParams.has('frame_id') && event.url.searchParams.has('instance_id');
      return event.url.pathname === '/activity' && !launched
        ? new Response(null, { status: 308, headers: { location: `/activity/${event.url.search}`, 'cache-control': 'no-store' } })
        : index();
    });
    app.get('/activity/index.html', index);
    app.get('/activity/assets/:name', (event) => {
      const name = event.context.params?.name ?? '';
      return ASSET_NAME.test(name) ? file(`assets/${name}`) : notFound();
    });
    app.get('/activity/assets/**', notFound);

    app.post(
      '/activity/api/token',
      json('exchanging an Activity code', async (event) => {
        admit(event, tokenLimit);
        return handlers.token(event);
      }),
    );
    app.post(
      '/activity/api/session',
      json('opening an Activity session', async (event) => {
        admit(event, sessionLimit);
        return handlers.session(event);
      }),
    );
    app.get('/activity/api/library', json('searching the library for the Activity', handlers.library));
    app.post('/activity/api/playback', json('starting Activity playback', handlers.playback));
    app.get('/activity/api/meetings', json('listing meetings for the Activity', handlers.meetings));
    app.post('/activity/api/meetings/:id/link', json('issuing a join link from the Activity', handlers.meetingLink));
    app.all('/activity/api/**', () => new ApiError(404, 'not-found', 'No such API call.').toResponse());
    // the sync socket is taken on the server's 'upgrade' event; a plain request there is told so
    app.get('/activity/ws', () => new ApiError(426, 'upgrade-required', 'This is a WebSocket endpoint.').toResponse());
  };
}
