import type { MediaService } from '../../core/media/media-service';
import { UserError } from '../../core/user-error';
import type { HandlerServices } from '../interactions/interaction-route';

/**
 * The video library's service, or a clear refusal: a bot built without it (an older composition,
 * a test app) answers "not available" ephemerally instead of failing.
 */
export function mediaOf(services: HandlerServices): MediaService {
  if (!services.media) throw new UserError('media.unavailable', 'The video library is not available on this bot.');
  return services.media;
}

/** The refusal when the bot's operator has not set up the Activity (no `discord.clientSecret`). */
export const ACTIVITY_NOT_SET_UP =
  'Watch together is not set up on this bot: its operator has to enable the Discord Activity first (see docs/activity.md). ' +
  'Until then, use **Watch** for your own personal link.';
