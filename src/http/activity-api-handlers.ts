/**
 * The Activity's JSON API (under `/activity/api/`): input validated here, decisions made by the
 * core's ActivityService, every media URL rewritten to its proxy-relative form (Discord's CSP
 * blocks any other host). Handlers throw ApiError; the route group turns that into the answer.
 */
import type { H3Event } from 'h3';
import type { Logger } from '../core/logger';
import type { ActivityService, ActivitySession } from '../core/media/media-service';
import { ApiError, ENTRY_ID, INSTANCE_ID, OPAQUE, readJsonObject, stringField } from './activity-api-json';
import { mediaHostOf, toActivityUrl, type ActivityUrlMapping } from './activity-url-mappings';

/** The core's Activity use cases (E2) and the session they verify. */
export type ActivityApi = ActivityService;
export type ActivityApiSession = ActivitySession;

export interface ActivityApiContext {
  readonly api: ActivityApi;
  readonly mappings: readonly ActivityUrlMapping[];
  readonly logger: Logger;
}

const MAX_QUERY_CHARS = 100;
const MEETING_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** `Authorization: Bearer <session>` → the verified session; 401 otherwise (missing, forged, expired alike). */
export function sessionOf(event: H3Event, api: ActivityApi): ActivityApiSession {
  const header = event.req.headers.get('authorization') ?? '';
  const match = /^Bearer ([A-Za-z0-9._~+/=-]{1,2048})$/.exec(header.trim());
  const session = match ? api.verifySession(match[1]!) : undefined;
  if (!session) throw new ApiError(401, 'session-invalid', 'Your session is missing or has expired. Reopen the Activity.', {}, { 'www-authenticate': 'Bearer' });
  return session;
}

/** Logs each unmapped host once per process: the operator fixes the portal's URL mappings (doctor says which). */
function mediaUrl(ctx: ActivityApiContext & { readonly unmappedSeen: Set<string> }, absUrl: string): string {
  const mapped = toActivityUrl(absUrl, ctx.mappings);
  if (mapped !== undefined) return mapped;
  const host = mediaHostOf(absUrl);
  if (!ctx.unmappedSeen.has(host) && ctx.unmappedSeen.size < 100) {
    ctx.unmappedSeen.add(host);
    ctx.logger.warn({ host }, `media host ${host} has no Activity URL mapping: add it to activity.mediaMappings and to the Discord developer portal (kaltura-discord doctor lists them)`);
  }
  throw new ApiError(502, 'unmapped-media-host', 'This video is served from a host the Activity cannot reach yet; the server admins need to add a URL mapping.', { host });
}

export function createActivityApiHandlers(ctx: ActivityApiContext) {
  const { api } = ctx;
  const full = { ...ctx, unmappedSeen: new Set<string>() };
  return {
    async token(event: H3Event) {
      const body = await readJsonObject(event.req);
      const code = stringField(body, 'code', 512, OPAQUE);
      const { accessToken } = await api.exchangeCode(code);
      return { access_token: accessToken };
    },
    async session(event: H3Event) {
      const body = await readJsonObject(event.req);
      const accessToken = stringField(body, 'access_token', 512, OPAQUE);
      const instanceId = stringField(body, 'instance_id', 128, INSTANCE_ID);
      const opened = await api.openSession({ accessToken, instanceId });
      const s = opened.session;
      return {
        session: opened.token,
        expiresAt: s.expiresAt,
        user: { id: s.userId, name: s.displayName },
        guildId: s.guildId,
        ...(s.channelId !== undefined && { channelId: s.channelId }),
        instanceId: s.instanceId,
        ...(opened.launchedEntryId !== undefined && { launchedEntryId: opened.launchedEntryId }),
      };
    },
    async library(event: H3Event) {
      const session = sessionOf(event, api);
      const q = (event.url.searchParams.get('q') ?? '').trim();
      // characters as a member counts them (code points, like the core), not UTF-16 units: an emoji is one
      if (q.length > 2 * MAX_QUERY_CHARS || [...q].length > MAX_QUERY_CHARS) throw new ApiError(400, 'bad-query', `"q" is at most ${MAX_QUERY_CHARS} characters.`);
      const rawLimit = event.url.searchParams.get('limit');
      if (rawLimit !== null && !/^(?:[1-9]|[1-4]\d|50)$/.test(rawLimit)) throw new ApiError(400, 'bad-query', '"limit" must be a whole number from 1 to 50.');
      const found = await api.search(session, q, rawLimit === null ? undefined : Number(rawLimit));
      return {
        entries: found.entries.map((e) => ({
          id: e.id,
          name: e.name,
          ...(e.description !== undefined && { description: e.description }),
          durationSeconds: e.durationSeconds,
          thumbnailUrl: mediaUrl(full, e.thumbnailUrl),
          ...(e.ownerId !== undefined && { ownerId: e.ownerId }),
        })),
        totalCount: found.totalCount,
      };
    },
    async playback(event: H3Event) {
      const session = sessionOf(event, api);
      const body = await readJsonObject(event.req);
      const entryId = stringField(body, 'entryId', 64, ENTRY_ID);
      const { entry, playback } = await api.playback(session, entryId);
      return {
        entryId: entry.id,
        name: entry.name,
        durationSeconds: entry.durationSeconds,
        sources: playback.sources.map((s) => ({ src: mediaUrl(full, s.url), type: s.mimeType })),
        poster: mediaUrl(full, playback.posterUrl),
        expiresAt: playback.expiresAt.toISOString(),
      };
    },
    async meetings(event: H3Event) {
      const session = sessionOf(event, api);
      const live = await api.liveMeetings(session);
      return { meetings: live.map((m) => ({ id: m.id, title: m.title, kind: m.kind, ...(m.startedAt !== undefined && { startedAt: m.startedAt }) })) };
    },
    async meetingLink(event: H3Event) {
      const session = sessionOf(event, api);
      const id = event.context.params?.id ?? '';
      if (!MEETING_ID.test(id)) throw new ApiError(404, 'meeting.unknown', 'No such meeting.');
      return { url: (await api.joinLink(session, id)).url };
    },
  };
}
