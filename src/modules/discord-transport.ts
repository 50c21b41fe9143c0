import type { REST } from 'discord.js';
import type { Config } from '../config/config-types';
import type { Logger } from '../core/logger';
import type { ChannelAccess } from '../core/ports/channel-access';
import type { Clock } from '../core/ports/clock';
import type { Dispatcher } from '../discord/interactions/create-dispatcher';
import type { RouteGroup } from '../http/create-http-app';
import type { ReadinessCheck } from '../http/health-routes';

/** How interactions reach the bot (`discord.mode`): the gateway, or `POST /interactions`. */
export interface DiscordTransport {
  readonly mode: 'gateway' | 'http';
  /** Who can see which channel: the gateway cache, or REST with a short cache in http mode. */
  readonly channelAccess: ChannelAccess;
  /** Hands the one dispatcher to the transport; returns the HTTP routes it needs (http mode: `/interactions`). */
  connect(dispatcher: Dispatcher): readonly RouteGroup[];
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The gateway's readiness; undefined in http mode (no connection to wait for: Discord calls us). */
  readiness(): ReadinessCheck | undefined;
  /** The gateway state for metrics ('stopped' in http mode). */
  state(): string;
}

/**
 * Gateway mode: the discord.js client logs in, receives interactions and keeps the cache channel
 * visibility is read from. Http mode: no gateway at all (so several instances can answer behind a
 * load balancer); Discord posts interactions to `/interactions`, channel visibility comes from REST.
 */
export async function createDiscordTransport(options: { config: Config; rest: REST; logger: Logger; clock: Clock; instanceId: string }): Promise<DiscordTransport> {
  const { config, rest, logger, clock } = options;
  if (config.discord.mode === 'http') {
    const [{ createRestChannelAccess }, { createHttpInteractions }] = await Promise.all([import('../discord/rest-channel-access'), import('../http/interactions-routes')]);
    const channelAccess = createRestChannelAccess(rest, { logger: logger.child({ component: 'channel-access' }), now: () => clock.now() });
    return {
      mode: 'http',
      channelAccess,
      connect: (dispatcher) => [
        createHttpInteractions({
          dispatcher,
          publicKey: config.discord.publicKey!,
          rest,
          applicationId: config.discord.applicationId,
          channelAccess,
          logger: logger.child({ component: 'interactions' }),
          now: () => clock.now(),
        }).routes,
      ],
      start: async () => undefined,
      stop: async () => undefined,
      readiness: () => undefined,
      state: () => 'stopped',
    };
  }
  const [{ createGatewayBot }, { createDiscordChannelAccess }] = await Promise.all([import('../discord/gateway/create-gateway-bot'), import('../discord/discord-channel-access')]);
  let bot: ReturnType<typeof createGatewayBot> | undefined;
  let gatewayLock: { close(): Promise<void> } | undefined;
  return {
    mode: 'gateway',
    // Read lazily: the client exists once the dispatcher is connected (before any interaction can arrive).
    channelAccess: createDiscordChannelAccess(() => {
      if (!bot) throw new Error('the Discord gateway client is not built yet');
      return bot.client;
    }),
    connect(dispatcher) {
      bot = createGatewayBot({ token: config.discord.token, apiBaseUrl: config.discord.apiBaseUrl, dispatcher, logger: logger.child({ component: 'gateway' }), now: () => clock.now() });
      return [];
    },
    async start() {
      // Several instances share a PostgreSQL database: only one of them may hold the gateway.
      if (config.storage.driver === 'postgres' && config.storage.url !== undefined) {
        const { holdGatewayLock } = await import('./gateway-lock');
        gatewayLock = await holdGatewayLock({ url: config.storage.url, instanceId: options.instanceId, logger: logger.child({ component: 'gateway-lock' }) });
      }
      await bot?.start();
    },
    async stop() {
      try {
        await bot?.stop();
      } finally {
        await gatewayLock?.close();
      }
    },
    readiness() {
      const state = bot?.state() ?? 'stopped';
      return state === 'ready' ? { ok: true } : { ok: false, reason: `gateway ${state}` };
    },
    state: () => bot?.state() ?? 'stopped',
  };
}
