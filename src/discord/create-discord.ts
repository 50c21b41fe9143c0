import { REST } from 'discord.js';
import type { DiscordConfig } from '../config/config-types';
import { abortableRequest } from './abortable-request';

/**
 * The Discord adapter's entry points for the composition root, in one module so it can be
 * imported lazily (discord.js is the heaviest dependency).
 */
export { createDispatcher } from './interactions/create-dispatcher';
export { createDiscordChannelSender } from './discord-channel-sender';
export { createDiscordChannelAccess } from './discord-channel-access';
export { createDiscordMeetingCards } from './discord-meeting-cards';
export { createDiscordVideoCards } from './discord-video-cards';
export { createGatewayBot } from './gateway/create-gateway-bot';

/**
 * Bot-token REST client under `discord.apiBaseUrl`, for messages the bot sends on its own.
 * `signal` (the app stopping) abandons every request in flight or queued after it aborts.
 */
export function createRest(config: DiscordConfig, signal?: AbortSignal): REST {
  return new REST({ api: config.apiBaseUrl, makeRequest: abortableRequest(signal) }).setToken(config.token);
}
