import { VERSION } from '../version';

/** Where the bot's code and documentation live; Discord asks for a URL in the User-Agent. */
export const PROJECT_URL = 'https://github.com/kaltura/kaltura-discord';

/**
 * `User-Agent: DiscordBot ($url, $versionNumber)`: Discord requires it on every HTTP API
 * request and may block requests without it (a Cloudflare error). discord.js's REST client
 * sends its own; every raw `fetch` to Discord uses these headers.
 * @see https://discord.com/developers/docs/reference#user-agent
 */
export const DISCORD_USER_AGENT = `DiscordBot (${PROJECT_URL}, ${VERSION})`;

/** Headers for a raw request to Discord's REST API: the User-Agent, and the bot token when given. */
export function discordHeaders(token?: string): Record<string, string> {
  return { 'user-agent': DISCORD_USER_AGENT, ...(token !== undefined ? { authorization: `Bot ${token}` } : {}) };
}
