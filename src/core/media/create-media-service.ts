/**
 * The video library and the Activity's server-side rules over their ports; built once by the
 * composition root (src/app.ts).
 */
import { randomBytes } from 'node:crypto';
import { joinLinkForSession, liveMeetingsForSession, playbackForSession, searchForSession } from './activity-library';
import { exchangeCode, openSession, verifySession } from './activity-sessions';
import { rememberLaunch } from './launch-intents';
import type { MediaService } from './media-service';
import type { MediaContext, MediaServiceDeps } from './media-service-deps';
import { autocompleteMedia, searchMedia } from './search-media';
import { shareableMedia } from './share-media';
import { sessionTokenKey } from './session-tokens';
import { issueWatchLink, redeemWatchLink } from './watch-links';
import { watchTokenKey } from './watch-tokens';

export type { MediaServiceDeps } from './media-service-deps';
export type { ActivityService, ActivitySession, MediaSearchAnswer, MediaService } from './media-service';
export { ActivityAuthError, WatchLinkError } from './media-errors';

export function createMediaService(deps: MediaServiceDeps): MediaService {
  const ctx: MediaContext = {
    ...deps,
    random: deps.random ?? ((size) => randomBytes(size)),
    waitMs: deps.waitMs ?? 15_000,
    autocompleteWaitMs: deps.autocompleteWaitMs ?? 2_500,
    watchKey: watchTokenKey(deps.links.secret),
    sessionKey: sessionTokenKey(deps.links.secret),
    members: new Map(),
  };
  return {
    search: (actor, guildId, input) => searchMedia(ctx, actor, guildId, input),
    shareable: (actor, guildId, entryId, channelId) => shareableMedia(ctx, actor, guildId, entryId, channelId),
    autocomplete: (actor, guildId, typed) => autocompleteMedia(ctx, actor, guildId, typed),
    issueWatchLink: (actor, guildId, entryId) => issueWatchLink(ctx, actor, guildId, entryId),
    redeemWatchLink: (token) => redeemWatchLink(ctx, token),
    rememberLaunch: (actor, guildId, channelId, entryId) => rememberLaunch(ctx, actor, guildId, channelId, entryId),
    activityEnabled: deps.platform !== undefined,
    activity: {
      exchangeCode: (code) => exchangeCode(ctx, code),
      openSession: (input) => openSession(ctx, input),
      verifySession: (token) => verifySession(ctx, token),
      search: (session, query, limit) => searchForSession(ctx, session, query, limit),
      playback: (session, entryId) => playbackForSession(ctx, session, entryId),
      liveMeetings: (session) => liveMeetingsForSession(ctx, session),
      joinLink: (session, meetingId) => joinLinkForSession(ctx, session, meetingId),
    },
  };
}
