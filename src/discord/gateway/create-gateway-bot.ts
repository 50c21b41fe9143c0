import { Client, Events, GatewayIntentBits, type Interaction } from 'discord.js';
import type { Logger } from '../../core/logger';
import { UserError } from '../../core/user-error';
import type { Dispatcher } from '../interactions/create-dispatcher';
import { gatewayResponder } from './gateway-responder';
import { toInteractionRequest } from './to-interaction-request';

export type GatewayState = 'stopped' | 'connecting' | 'ready' | 'reconnecting';

export interface GatewayBot {
  readonly client: Client;
  state(): GatewayState;
  /**
   * Logs in and resolves on the first READY. Rejects with a UserError when Discord refuses the
   * token (nothing will work until the operator fixes it); if Discord cannot be reached it keeps
   * retrying in the background and resolves, with `/readyz` saying the gateway is connecting.
   */
  start(): Promise<void>;
  stop(): Promise<void>;
}

const RETRY_MS = 15_000;

/**
 * The discord.js client in gateway mode: REST (and so the gateway URL, from `GET /gateway/bot`)
 * under `apiBaseUrl`, the `Guilds` intent only (interactions carry the member's roles and
 * permissions). discord.js reconnects and resumes by itself; an error in a handler is logged,
 * never allowed to crash the process (an unhandled 'error' event would).
 */
export function createGatewayBot(options: { token: string; apiBaseUrl: string; dispatcher: Dispatcher; logger: Logger; now?: () => number }): GatewayBot {
  const { logger, dispatcher } = options;
  const now = options.now ?? Date.now;
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: options.apiBaseUrl } });
  let state: GatewayState = 'stopped';
  let retry: NodeJS.Timeout | undefined;

  client.on(Events.Error, (err) => logger.error({ err }, 'Discord client error'));
  client.on(Events.Warn, (message) => logger.warn({ message }, 'Discord client warning'));
  client.on(Events.ShardDisconnect, (event) => {
    if (state === 'stopped') return;
    state = 'reconnecting';
    logger.warn({ code: event.code }, 'Discord gateway disconnected');
  });
  client.on(Events.ShardReconnecting, () => {
    if (state !== 'stopped') state = 'reconnecting';
  });
  client.on(Events.ShardResume, () => {
    state = 'ready';
    logger.info('Discord gateway resumed');
  });
  client.on(Events.ShardReady, () => {
    state = 'ready';
  });
  client.on(Events.ClientReady, (c) => {
    state = 'ready';
    logger.info({ bot: c.user.tag, guilds: c.guilds.cache.size }, 'connected to the Discord gateway');
  });
  client.on(Events.InteractionCreate, (interaction: Interaction) => {
    const receivedAt = now();
    if (!interaction.isChatInputCommand() && !interaction.isButton() && !interaction.isAutocomplete()) return;
    void (async () => {
      try {
        await dispatcher.dispatch(toInteractionRequest(interaction, receivedAt), gatewayResponder(interaction));
      } catch (err) {
        logger.error({ err, interaction: interaction.id }, 'interaction could not be handled');
      }
    })();
  });

  const login = async (): Promise<void> => {
    state = 'connecting';
    try {
      await client.login(options.token);
    } catch (err) {
      if (isTokenRejected(err)) {
        state = 'stopped';
        throw new UserError('discord.token', 'Discord rejected the bot token; reset it in the Developer Portal and run `kaltura-discord config set discord.token -`', { cause: err });
      }
      if ((state as GatewayState) === 'stopped') return; // stopped while logging in
      logger.warn({ err, retryInMs: RETRY_MS }, 'could not connect to Discord; retrying');
      retry = setTimeout(() => void login().catch((e: unknown) => logger.error({ err: e }, 'Discord login failed')), RETRY_MS);
      retry.unref();
    }
  };

  return {
    client,
    state: () => state,
    start: login,
    async stop() {
      state = 'stopped';
      if (retry) clearTimeout(retry);
      await client.destroy();
    },
  };
}

function isTokenRejected(err: unknown): boolean {
  const e = err as { code?: unknown; status?: unknown };
  return e.code === 'TokenInvalid' || e.status === 401;
}
