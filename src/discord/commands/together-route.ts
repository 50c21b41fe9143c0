import { guildOnly, type InteractionRoute } from '../interactions/interaction-route';
import { parseMediaCustomId } from '../render/custom-ids';
import { ACTIVITY_NOT_SET_UP, mediaOf } from './media-of';

/**
 * Watch together: opens the Activity for the member in this channel (LAUNCH_ACTIVITY, callback
 * type 12) on this video. A launch cannot follow a defer, so nothing here touches the network:
 * the intent is written to SQLite (the Activity picks it up when it opens its session, where the
 * video and the member's right to see it are checked), then Discord is answered at once.
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-response-object-interaction-callback-type
 */
export const togetherButtonRoute: InteractionRoute = {
  name: 'watch together button',
  matches: (r) => r.kind === 'component' && parseMediaCustomId(r.customId)?.action === 'together',
  preconditions: [guildOnly],
  defer: false,
  async run({ request, services }) {
    const media = mediaOf(services);
    if (!media.activityEnabled) return { ephemeral: true, content: ACTIVITY_NOT_SET_UP };
    await media.rememberLaunch(request.actor, request.guildId!, request.channelId!, parseMediaCustomId(request.customId)!.entryId);
    return { launchActivity: true };
  },
};
