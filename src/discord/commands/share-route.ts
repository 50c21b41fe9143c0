import type { Actor } from '../../core/meetings/actor';
import { UserError } from '../../core/user-error';
import { DiscordUpstreamError } from '../discord-upstream-error';
import { stringOption, type InteractionRequest } from '../interactions/interaction-request';
import { guildOnly, type HandlerServices, type InteractionRoute } from '../interactions/interaction-route';
import type { Reply } from '../interactions/reply';
import { parseMediaCustomId } from '../render/custom-ids';
import { videoTitle } from '../render/video-labels';
import { mediaOf } from './media-of';
import { botCanShareHere, memberCanPostHere, validEntryOption } from './share-preconditions';
import { videoChoices } from './video-choices';

async function shareReply(services: HandlerServices, request: InteractionRequest, actor: Actor, entryId: string): Promise<Reply> {
  const media = mediaOf(services);
  const cards = services.videoCards;
  if (!cards) throw new UserError('media.unavailable', 'Sharing videos is not available on this bot.');
  // UserError 'media.unknown' for another server's, hidden or unknown; 'media.share-elsewhere' for a recording of a meeting
  // whose channel not everyone here can see (the card would show it to them).
  const entry = await media.shareable(actor, request.guildId!, entryId, request.channelId!);
  try {
    // One card per interaction even when discord.js repeats the request (the nonce is ≤ 25 characters).
    await cards.post(request.channelId!, entry, { sharedBy: actor.displayName, watchTogether: media.activityEnabled, nonce: `s${request.id}`.slice(0, 25) });
  } catch (err) {
    if (err instanceof DiscordUpstreamError && err.isPermission) {
      throw new UserError('media.cannot-post', 'Discord did not let me post in this channel (I may have lost my permissions here). Ask a server admin, or share it in another channel.', { cause: err });
    }
    throw err;
  }
  return { ephemeral: true, content: `Shared **${videoTitle(entry, 200)}** in this channel. Everyone here can press **Watch** on it for their own link.` };
}

/**
 * `/kaltura share` and the Share buttons on search results: posts the public video card here
 * (only for a video of this server's library the member may see). Kaltura is asked: defer first.
 */
export const shareCommandRoute: InteractionRoute = {
  name: 'kaltura share',
  matches: (r) => r.kind !== 'component' && r.commandName === 'kaltura' && r.subcommand === 'share',
  preconditions: [guildOnly, validEntryOption, memberCanPostHere, botCanShareHere],
  defer: { ephemeral: true },
  run: ({ request, services }) => shareReply(services, request, request.actor, stringOption(request, 'entry')!.trim()),
  autocomplete: ({ request, services }) => videoChoices(services, request),
};

export const shareButtonRoute: InteractionRoute = {
  name: 'share button',
  matches: (r) => r.kind === 'component' && parseMediaCustomId(r.customId)?.action === 'share',
  preconditions: [guildOnly, memberCanPostHere, botCanShareHere],
  defer: { ephemeral: true },
  run: ({ request, services }) => shareReply(services, request, request.actor, parseMediaCustomId(request.customId)!.entryId),
};
