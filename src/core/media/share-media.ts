/**
 * Sharing posts a public card (title, description, thumbnail) that everyone in the channel sees,
 * so a meeting's recording may only be shared where everyone who sees the card could see the
 * meeting: in the meeting's own channel, or anywhere when that channel is open to every member.
 * Elsewhere the sharer (who can see it) is told so; the channel is never named.
 * Stricter than needed: a thread of the meeting's channel is refused too, as the ChannelAccess
 * port cannot tell a thread's parent.
 */
import type { Actor } from '../meetings/actor';
import { isOpenToEveryone } from '../meetings/meeting-visibility';
import type { MediaEntry } from '../ports/media-library';
import { UserError } from '../user-error';
import type { MediaContext } from './media-service-deps';
import { findVisible } from './scoped-media';

export async function shareableMedia(ctx: MediaContext, actor: Actor, guildId: string, entryId: string, channelId: string | undefined): Promise<MediaEntry> {
  const entry = await findVisible(ctx, actor, guildId, entryId);
  for (const id of new Set([entry.id, entry.rootEntryId ?? entry.id])) {
    const meeting = await ctx.store.meetings.findByTemplateEntryId(id);
    if (meeting && meeting.channelId !== channelId && !isOpenToEveryone(ctx.access, meeting)) {
      throw new UserError('media.share-elsewhere', 'This recording belongs to a channel not everyone here can see; share it there.');
    }
  }
  return entry;
}
