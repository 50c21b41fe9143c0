import type { REST } from 'discord.js';
import type { Config } from '../config/config-types';
import type { Logger } from '../core/logger';
import type { BotChannelAccess } from '../core/ports/bot-channel-access';
import type { ChannelAccess } from '../core/ports/channel-access';
import type { Clock } from '../core/ports/clock';
import type { ChangeFeed, Leadership } from '../core/ports/leadership';
import type { MetricsRecorder } from '../core/ports/metrics';
import type { Store } from '../core/ports/store';
import type { Kaltura } from '../kaltura/create-kaltura';

/**
 * What every feature module is built from: the adapters and shared state the composition root
 * opened once. Modules take it as their first argument and each other's services as the second
 * (explicitly, so the order they are built in is visible in src/app.ts).
 */
export interface AppContext {
  readonly config: Config;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly store: Store;
  /** Whether this instance runs the leader-only jobs (always, on SQLite). */
  readonly leadership: Leadership;
  /** Invalidation between instances (settings caches). */
  readonly changes: ChangeFeed;
  readonly kaltura: Kaltura;
  /** The bot-token REST client; its requests are abandoned when `signal` aborts. */
  readonly rest: REST;
  /** Who can see which channel (the gateway cache, or REST in `discord.mode: http`). */
  readonly channelAccess: ChannelAccess;
  /** Whether the bot itself can post in a channel (set-channel, status). */
  readonly botChannels: BotChannelAccess;
  readonly metrics: MetricsRecorder;
  /** Aborted when the app stops: work still waiting on Discord is abandoned. */
  readonly signal: AbortSignal;
  /** Watch together (the Discord Activity) is on iff `discord.clientSecret` is set. */
  readonly activityEnabled: boolean;
}

/** The part of the context that exists before the adapters (the metrics module is built from it). */
export type BaseContext = Pick<AppContext, 'config' | 'logger' | 'clock'>;
