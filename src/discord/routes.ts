import { endButtonRoute, endCommandRoute } from './commands/end-route';
import { joinButtonRoute, joinCommandRoute } from './commands/join-route';
import { listRoute } from './commands/list-route';
import { startRoute } from './commands/start-route';
import type { InteractionRoute } from './interactions/interaction-route';

/** Every interaction the bot answers. An explicit list: what exists is greppable and bundled. */
export const interactionRoutes: readonly InteractionRoute[] = [
  startRoute,
  joinCommandRoute,
  listRoute,
  endCommandRoute,
  joinButtonRoute,
  endButtonRoute,
];
