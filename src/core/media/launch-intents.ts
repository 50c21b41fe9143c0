/**
 * "Watch together" answers Discord's interaction with LAUNCH_ACTIVITY at once (no defer, no
 * Discord or Kaltura call), so the entry the member picked is only written down here, in the
 * database; the Activity that opens for them a moment later takes it with its session
 * (`takeLaunch`), on whichever instance it lands.
 */
import type { Actor } from '../meetings/actor';
import { UserError } from '../user-error';
import { unknownMedia } from './media-errors';
import type { MediaContext } from './media-service-deps';
import { ENTRY_ID } from './scoped-media';

/** A launch intent is taken only this soon after it was made; older ones are forgotten. */
export const LAUNCH_INTENT_TTL_MS = 5 * 60_000;
const SNOWFLAKE = /^\d{1,20}$/;

export async function rememberLaunch(ctx: MediaContext, actor: Actor, guildId: string, channelId: string, entryId: string): Promise<void> {
  if (!SNOWFLAKE.test(actor.id) || !SNOWFLAKE.test(guildId) || !SNOWFLAKE.test(channelId)) throw new UserError('media.not-here', 'Watch together works in a server channel.');
  // Only the shape can be checked without the network; the entry's scope and visibility are checked
  // when the Activity asks to play it.
  if (typeof entryId !== 'string' || !ENTRY_ID.test(entryId)) throw unknownMedia();
  const now = ctx.clock.now();
  await ctx.store.launches.remember({ userId: actor.id, guildId, channelId, entryId, at: now }, now - LAUNCH_INTENT_TTL_MS);
}

/** The entry this member asked to watch together in this channel within the last 5 minutes; taken once. */
export const takeLaunch = (ctx: MediaContext, userId: string, guildId: string, channelId: string): Promise<string | undefined> =>
  ctx.store.launches.take(userId, guildId, channelId, ctx.clock.now() - LAUNCH_INTENT_TTL_MS);
