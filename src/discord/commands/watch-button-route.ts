import { guildOnly, type InteractionRoute } from '../interactions/interaction-route';
import { parseMediaCustomId } from '../render/custom-ids';
import { discordTime } from '../render/meeting-labels';
import { mediaOf } from './media-of';

/**
 * The video card's Watch button: a personal, single-use link to the player page (`/v/<token>`),
 * only for the member who pressed it. Whether they may see the video is checked in Kaltura and
 * against the meeting's channel: defer first.
 */
export const watchButtonRoute: InteractionRoute = {
  name: 'watch button',
  matches: (r) => r.kind === 'component' && parseMediaCustomId(r.customId)?.action === 'watch',
  preconditions: [guildOnly],
  defer: { ephemeral: true },
  async run({ request, services }) {
    const media = mediaOf(services);
    const link = await media.issueWatchLink(request.actor, request.guildId!, parseMediaCustomId(request.customId)!.entryId);
    return {
      ephemeral: true,
      content: `Here is your personal link to this video. It works once and expires ${discordTime(link.expiresAt.getTime(), 'R')}; press Watch again for a new one. It is yours: do not share it.`,
      components: [{ type: 1, components: [{ type: 2, style: 5, label: 'Open the video', url: link.url }] }],
    };
  },
};
