/**
 * What a member may do inside the Activity once their session is verified: search the server's
 * library, play an entry of it, see the server's live meetings and get a personal join link
 * (the Activity cannot use the microphone or camera, so a meeting opens in the browser). Each
 * call re-checks the member (see sessionActor) and obeys the same scope and privacy rules as the
 * Discord commands.
 */
import type { MediaEntry, Playback } from '../ports/media-library';
import { sessionActor } from './activity-sessions';
import { within } from './bounded-wait';
import type { ActivitySession, MediaSearchAnswer } from './media-service';
import type { MediaContext } from './media-service-deps';
import { findVisible, kalturaUserOf, playbackTtlSeconds } from './scoped-media';
import { searchMedia } from './search-media';

export async function searchForSession(ctx: MediaContext, session: ActivitySession, query: string, limit?: number): Promise<MediaSearchAnswer> {
  const actor = await sessionActor(ctx, session);
  return searchMedia(ctx, actor, session.guildId, { query, ...(limit !== undefined && { limit }) });
}

export async function playbackForSession(ctx: MediaContext, session: ActivitySession, entryId: string): Promise<{ entry: MediaEntry; playback: Playback }> {
  const actor = await sessionActor(ctx, session);
  const entry = await findVisible(ctx, actor, session.guildId, entryId);
  const playback = await within(
    ctx.library.playback(entry.id, { userId: kalturaUserOf(session.userId), ttlSeconds: playbackTtlSeconds(entry.durationSeconds) }),
    ctx.waitMs,
    'kaltura',
  );
  return { entry, playback };
}

export async function liveMeetingsForSession(ctx: MediaContext, session: ActivitySession): Promise<readonly { id: string; title: string; kind: string; startedAt?: number }[]> {
  const actor = await sessionActor(ctx, session);
  // awaited: the meetings service answers from the database (a promise since the store is asynchronous)
  return (await ctx.meetings.listLive(actor, session.guildId)).map((m) => ({ id: m.id, title: m.title, kind: m.kind, ...(m.startsAt !== undefined && { startedAt: m.startsAt }) }));
}

export async function joinLinkForSession(ctx: MediaContext, session: ActivitySession, meetingId: string): Promise<{ url: string }> {
  const actor = await sessionActor(ctx, session);
  const link = await ctx.meetings.issueJoinLink(actor, session.guildId, meetingId);
  return { url: link.url };
}
