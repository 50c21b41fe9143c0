import { Client, Events, GatewayIntentBits, SimpleShardingStrategy, type Interaction } from 'discord.js';
import type { Logger } from '../../core/logger';
import { UserError } from '../../core/user-error';
import { describeNetworkError } from '../../logging/describe-network-error';
import { abortableRequest, DiscordStoppedError } from '../abortable-request';
import type { Dispatcher } from '../interactions/create-dispatcher';
import { backoffDelay, createBackoffIdentifyThrottler, DEFAULT_RECONNECT_BACKOFF, type ReconnectBackoff } from './backoff-identify-throttler';
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
  /** Abandons every request in flight and closes the gateway; resolves within `STOP_BOUND_MS`. */
  stop(): Promise<void>;
}

export interface GatewayBotOptions {
  readonly token: string;
  readonly apiBaseUrl: string;
  readonly dispatcher: Dispatcher;
  readonly logger: Logger;
  readonly now?: () => number;
  /** Backoff of login retries and of IDENTIFYs (defaults: 5 s doubling to a 10 min ceiling, with jitter). */
  readonly reconnect?: Partial<ReconnectBackoff>;
  readonly random?: () => number;
}

/** discord.js REST defaults: 15 s per attempt, 3 retries; a login that never gets an answer gives up after this. */
const LOGIN_NO_ANSWER_MS = 4 * 15_000;
/** Gateway connection retries after a network failure back off to at most this. */
const CONNECT_RETRY_CAP_MS = 60_000;
/** Login retries (REST, not IDENTIFY: the throttler paces those) back off to at most this. */
const LOGIN_RETRY_CAP_MS = 2 * 60_000;
/** How long stop() waits for the gateway to close politely before leaving it. */
const STOP_BOUND_MS = 1_000;

/**
 * The discord.js client in gateway mode: REST (and so the gateway URL, from `GET /gateway/bot`)
 * under `apiBaseUrl`, the `Guilds` intent only (interactions carry the member's roles and
 * permissions). discord.js reconnects and resumes by itself; an error in a handler is logged,
 * never allowed to crash the process (an unhandled 'error' event would).
 *
 * Failures are logged as one line each with the cause, never a stack: logins are retried with
 * exponential backoff and jitter, IDENTIFYs are paced the same way (`createBackoffIdentifyThrottler`),
 * and the connection errors discord.js retries every half second are logged on the 1st, 2nd, 4th,
 * 8th… failure in a row.
 */
export function createGatewayBot(options: GatewayBotOptions): GatewayBot {
  const { logger, dispatcher } = options;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const backoff = { ...DEFAULT_RECONNECT_BACKOFF, ...options.reconnect };
  const stopping = new AbortController();
  const throttler = createBackoffIdentifyThrottler({
    backoff,
    random,
    onWait: ({ attempt, waitMs }) => logger.warn({ attempt, waitMs }, `Discord gateway: new session ${attempt} in a row; identifying again in ${seconds(waitMs)}`),
  });
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: options.apiBaseUrl, makeRequest: abortableRequest(stopping.signal) },
    ws: {
      // @discordjs/ws reconnects 0.5 s after a failed connection, for ever: the next connection attempt
      // (which starts by reading the session) waits out an exponential backoff first.
      buildStrategy: (manager) => {
        const options = manager.options as { retrieveSessionInfo: typeof manager.options.retrieveSessionInfo };
        const retrieve = options.retrieveSessionInfo;
        options.retrieveSessionInfo = async (shardId) => {
          if (connectBackoffDue) {
            connectBackoffDue = false;
            await sleepUnlessStopped(backoffDelay(connectionFailures, { ...backoff, capMs: Math.min(backoff.capMs, CONNECT_RETRY_CAP_MS) }, random));
          }
          return retrieve(shardId);
        };
        return new SimpleShardingStrategy(manager);
      },
      buildIdentifyThrottler: () => ({
        waitForIdentify: (shardId: number, signal: AbortSignal) => throttler.waitForIdentify(shardId, AbortSignal.any([signal, stopping.signal])),
      }),
    },
  });
  let state: GatewayState = 'stopped';
  let retry: NodeJS.Timeout | undefined;
  let loginAttempt = 0;
  let connectionFailures = 0;
  /** Set by a failed gateway connection; the next attempt waits out a backoff first. */
  let connectBackoffDue = false;
  /** Resolves after `ms`; once the bot stops it never resolves, so a destroyed shard does not connect again. */
  const sleepUnlessStopped = (ms: number) =>
    new Promise<void>((resolve) => {
      if (stopping.signal.aborted) return;
      const timer = setTimeout(() => {
        stopping.signal.removeEventListener('abort', onStop);
        if (!stopping.signal.aborted) resolve();
      }, ms);
      const onStop = () => clearTimeout(timer);
      stopping.signal.addEventListener('abort', onStop, { once: true });
    });

  client.on(Events.Error, (err) => logger.error({ err }, 'Discord client error'));
  client.on(Events.Warn, (message) => logger.warn({ message }, 'Discord client warning'));
  const connectionFailed = (cause: string) => {
    if (state === 'stopped') return;
    connectionFailures++;
    connectBackoffDue = true;
    // 1st, 2nd, 4th, 8th… failure in a row, so a long outage stays a few lines
    if ((connectionFailures & (connectionFailures - 1)) === 0) {
      logger.warn({ cause, failures: connectionFailures }, `Discord gateway connection failed (${cause}); retrying with backoff`);
    }
  };
  client.on(Events.ShardError, (err) => connectionFailed(describeNetworkError(err)));
  // @discordjs/ws reports ECONNRESET, ECONNREFUSED, ETIMEDOUT and EAI_AGAIN only as a debug line, without the error (WebSocketShard#onError)
  client.on(Events.Debug, (message) => {
    if (message.includes('Failed to connect to the gateway URL specified due to a network error')) connectionFailed('refused, reset, timed out or DNS failed');
  });
  client.on(Events.ShardDisconnect, (event) => {
    if (state === 'stopped') return;
    state = 'reconnecting';
    logger.warn({ code: event.code }, `Discord gateway closed the connection (code ${event.code}) and will not reconnect by itself`);
  });
  client.on(Events.ShardReconnecting, () => {
    if (state !== 'stopped') state = 'reconnecting';
  });
  const connected = (how: string) => {
    if (connectionFailures > 0) logger.info({ failures: connectionFailures }, `Discord gateway ${how} after ${connectionFailures} failed connection attempt(s)`);
    else if (how === 'resumed') logger.info('Discord gateway resumed');
    connectionFailures = 0;
    connectBackoffDue = false;
    state = 'ready';
  };
  client.on(Events.ShardResume, () => connected('resumed'));
  client.on(Events.ShardReady, () => connected('connected'));
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
      loginAttempt = 0;
    } catch (err) {
      if (isTokenRejected(err)) {
        state = 'stopped';
        throw new UserError('discord.token', 'Discord rejected the bot token; reset it in the Developer Portal and run `kaltura-discord config set discord.token -`', { cause: err });
      }
      if ((state as GatewayState) === 'stopped' || err instanceof DiscordStoppedError) return; // stopped while logging in
      loginAttempt++;
      const retryInMs = backoffDelay(loginAttempt, { ...backoff, capMs: Math.min(backoff.capMs, LOGIN_RETRY_CAP_MS) }, random);
      const cause = describeNetworkError(err, { timeoutMs: LOGIN_NO_ANSWER_MS });
      logger.warn({ cause, attempt: loginAttempt, retryInMs }, `could not connect to Discord (${cause}); retrying in ${seconds(retryInMs)}`);
      retry = setTimeout(() => void login().catch((e: unknown) => logger.error({ cause: describeNetworkError(e) }, 'Discord login failed for good')), retryInMs);
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
      stopping.abort();
      // a gateway that never answers would hold the close handshake for up to 30 s: do not wait for it
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, STOP_BOUND_MS);
      });
      await Promise.race([client.destroy().catch((err: unknown) => logger.debug({ cause: describeNetworkError(err) }, 'closing the Discord gateway failed')), gaveUp]);
      clearTimeout(timer);
    },
  };
}

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

function isTokenRejected(err: unknown): boolean {
  const e = err as { code?: unknown; status?: unknown };
  return e.code === 'TokenInvalid' || e.status === 401;
}
