import type { BotChannelAccess } from '../core/ports/bot-channel-access';
import type { GuildCategories } from '../core/ports/guild-categories';
import type { ServerStatus, StatusRequest } from '../core/status/server-status';
import { adminStatusRoute } from './commands/admin-status-route';
import type { GuildSettings } from '../core/settings/create-guild-settings';
import { adminSettingsRoutes } from './commands/admin-settings-routes';
import { endButtonRoute, endCommandRoute } from './commands/end-route';
import { joinButtonRoute, joinCommandRoute } from './commands/join-route';
import { listRoute } from './commands/list-route';
import { searchRoute } from './commands/search-route';
import { shareButtonRoute, shareCommandRoute } from './commands/share-route';
import { startRoute } from './commands/start-route';
import { togetherButtonRoute } from './commands/together-route';
import { watchButtonRoute } from './commands/watch-button-route';
import type { InteractionRoute } from './interactions/interaction-route';

/** Every interaction the bot answers. An explicit list: what exists is greppable and bundled. */
export const interactionRoutes: readonly InteractionRoute[] = [
  startRoute,
  joinCommandRoute,
  listRoute,
  endCommandRoute,
  joinButtonRoute,
  endButtonRoute,
  searchRoute,
  shareCommandRoute,
  shareButtonRoute,
  watchButtonRoute,
  togetherButtonRoute,
];

/** The routes above plus `/kaltura-admin`, whose handlers close over the per-server settings they change. */
export function defineInteractionRoutes(deps: {
  settings: GuildSettings;
  categories?: Pick<GuildCategories, 'checkAssignable'>;
  /** Checks a channel an admin chooses (`set-channel`). */
  channels?: BotChannelAccess;
  /** `/kaltura-admin status`. */
  status?: (request: StatusRequest) => Promise<ServerStatus>;
}): readonly InteractionRoute[] {
  return [...interactionRoutes, ...adminSettingsRoutes(deps.settings, deps.categories, deps.channels), ...(deps.status ? [adminStatusRoute(deps.status)] : [])];
}
