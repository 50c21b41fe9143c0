import { REST } from 'discord.js';
import type { DiscordConfig } from '../config/config-types';

/**
 * The Discord adapter's entry points for the composition root, in one module so it can be
 * imported lazily (discord.js is the heaviest dependency).
 */
export { createDispatcher } from './interactions/create-dispatcher';
export { createDiscordChannelSender } from './discord-channel-sender';
export { createDiscordMeetingCards } from './discord-meeting-cards';
export { createGatewayBot } from './gateway/create-gateway-bot';
export { interactionRoutes } from './routes';

/** Bot-token REST client under `discord.apiBaseUrl`, for messages the bot sends on its own. */
export function createRest(config: DiscordConfig): REST {
  return new REST({ api: config.apiBaseUrl }).setToken(config.token);
}
