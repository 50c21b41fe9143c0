import { hostname } from 'node:os';
import type { Database } from 'better-sqlite3';
import type { Config } from './config/config-types';
import type { Logger } from './core/logger';
import { systemClock, type Clock } from './core/ports/clock';
import type { Store } from './core/ports/store';
import { createHttpApp } from './http/create-http-app';
import { healthRoutes, type ReadinessCheck } from './http/health-routes';
import { startHttpServer, type RunningHttpServer } from './http/start-http-server';
import type { MetricSources } from './metrics/create-app-metrics';
import type { FeatureModule, Job } from './modules/feature-module';
import { settleWithin } from './shared/settle-within';
import { VERSION } from './version';

/** How long in-flight work may go on after a stop begins before its requests are abandoned. */
const STOP_GRACE_MS = 1_500;
/** The whole stop, closing the store excluded. */
const STOP_BOUND_MS = 3_500;
/** Closing the store (SQLite: WAL checkpoint; PostgreSQL: ending the pool and listeners); `serve` exits within 5 s. */
const CLOSE_BOUND_MS = 1_000;
/** A readiness probe that waits longer than this on the database reports it unusable. */
const PING_BOUND_MS = 2_000;

export interface AppOptions {
  readonly config: Config;
  readonly logger: Logger;
  /** The SQLite addon object when running as the single executable. */
  readonly sqliteBinding?: object;
  readonly clock?: Clock;
  /** How often overdue meetings are ended and stale cards fixed. Default 30 s. */
  readonly reconcileEveryMs?: number;
}

export interface App {
  readonly config: Config;
  /** The unit of work every feature uses. */
  readonly store: Store;
  /** The SQLite connection (`storage.driver: sqlite`; tests read it directly). Throws on PostgreSQL. */
  readonly db: Database;
  /** The feature modules, in the order they were built (and their jobs started). */
  readonly modules: readonly FeatureModule<unknown>[];
  /** Starts serving; resolves with the URL actually listened on. */
  start(): Promise<{ url: string }>;
  /** Stops everything in reverse order; safe to call twice. */
  stop(): Promise<void>;
  /**
   * For the crash handler, synchronous and best effort: SQLite checkpoints what was committed and
   * closes; PostgreSQL needs nothing (the server keeps what was committed when the process dies).
   */
  closeStoreNow(): void;
}

/**
 * The composition root: config -> store -> kaltura/discord adapters -> feature modules -> http.
 * The features are listed as data (src/modules/*: each returns its services, interaction routes,
 * HTTP routes and jobs); this file concatenates them, starts the jobs and stops them in reverse.
 * Nothing is a module-level singleton. Heavy libraries (discord.js, kaltura-client, pg) are
 * imported here lazily, so other CLI commands start fast.
 */
export async function createApp(options: AppOptions): Promise<App> {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock;
  const startedAt = clock.now();
  // Leases and logs name the instance; two processes on one host differ by pid.
  const instanceId = `${hostname()}:${process.pid}`;

  const { openStore } = await import('./store/open-store');
  const opened = await openStore(config.storage, { logger, instanceId, version: VERSION, closeTimeoutMs: CLOSE_BOUND_MS - 200, ...(options.sqliteBinding && { sqliteBinding: options.sqliteBinding }) });
  if (opened.migrated.to !== opened.migrated.from) logger.info({ from: opened.migrated.from, to: opened.migrated.to, driver: opened.dialect }, 'database migrated');
  // Loaded for SQLite only (it loads better-sqlite3), ahead of need: the crash handler must act synchronously.
  const sqlite = opened.sqlite && { db: opened.sqlite, close: (await import('./store/open-database')).closeDatabase };
  const closeStoreNow = () => {
    if (sqlite) sqlite.close(sqlite.db); // checkpoints the WAL; a no-op once closed
  };
  try {
    return await compose(options, { clock, startedAt, opened, closeStoreNow });
  } catch (err) {
    await settleWithin(opened.close(), CLOSE_BOUND_MS);
    throw err;
  }
}

type OpenedStore = Awaited<ReturnType<(typeof import('./store/open-store'))['openStore']>>;

async function compose(options: AppOptions, base: { clock: Clock; startedAt: number; opened: OpenedStore; closeStoreNow: () => void }): Promise<App> {
  const { config, logger } = options;
  const { clock, opened } = base;
  const [{ createKaltura }, { createRest, createDispatcher }, { createBotChannelAccess }, { dispatchObserverFor }, { composeModules }, transportLib, m] = await Promise.all([
    import('./kaltura/create-kaltura'),
    import('./discord/create-discord'),
    import('./discord/bot-channel-access'),
    import('./metrics/observers'),
    import('./modules/feature-module'),
    import('./modules/discord-transport'),
    import('./modules/index'),
  ]);

  // Read at scrape time only (the server starts after everything is built): the services they name are built below.
  const late: { -readonly [K in keyof MetricSources]?: MetricSources[K] } = {};
  const metricsModule = await m.createMetricsModule({ config, logger, clock }, {
    sources: {
      notifications: async () => {
        if (!late.notifications) throw new Error('notifications are not built yet');
        return late.notifications();
      },
      gatewayState: () => late.gatewayState?.() ?? 'stopped',
      cleanupJobs: () => opened.store.cleanupJobs.counts(clock.now()),
    },
  });
  const metrics = metricsModule.services.recorder;
  const kaltura = createKaltura({ config: config.kaltura, logger: logger.child({ component: 'kaltura' }), clock, metrics, ...(config.kaltura.cdnUrl !== undefined && { cdnUrl: config.kaltura.cdnUrl }) });
  // Aborted by stop(): every request still waiting on Discord is abandoned, so a stop never hangs on it.
  const shutdown = new AbortController();
  const rest = createRest(config.discord, shutdown.signal);
  metricsModule.services.watchDiscordRest(rest);
  const transport = await transportLib.createDiscordTransport({ config, rest, logger, clock, instanceId: opened.leadership.instanceId });
  late.gatewayState = () => transport.state();

  const ctx = {
    config, logger, clock, kaltura, rest, metrics,
    store: opened.store,
    leadership: opened.leadership,
    changes: opened.changes,
    channelAccess: transport.channelAccess,
    botChannels: createBotChannelAccess(rest),
    signal: shutdown.signal,
    activityEnabled: config.discord.clientSecret !== undefined,
  };
  // What a half-built app already holds (Kaltura keep-alive sockets, PostgreSQL room locks, feed listeners)
  // is released, bounded, when a later module fails to build; the caller then closes the store.
  const built: FeatureModule<unknown>[] = [metricsModule];
  const keep = <T extends FeatureModule<unknown>>(module: T): T => (built.push(module), module);
  const features = await (async () => {
    const settings = keep(await m.createSettingsModule(ctx));
    const { settings: guildSettings, categories } = settings.services;
    let reconcileSoon: (() => void) | undefined;
    const notifications = keep(await m.createNotificationsModule(ctx, { policyFor: guildSettings.notificationPolicyFor, afterWebhook: () => reconcileSoon?.() }));
    late.notifications = () => notifications.services.notifications.stats();
    const meetings = keep(
      await m.createMeetingsModule(ctx, {
        policyFor: guildSettings.policyFor,
        categories,
        notifier: notifications.services.notifications.meetingNotifier,
        ...(options.reconcileEveryMs !== undefined && { reconcileEveryMs: options.reconcileEveryMs }),
      }),
    );
    reconcileSoon = meetings.services.reconcileSoon;
    const media = keep(await m.createMediaModule(ctx, { meetings: meetings.services.meetings, categories }));
    const status = keep(await m.createStatusModule(ctx, { notificationPolicyFor: guildSettings.notificationPolicyFor, notificationStats: () => notifications.services.notifications.stats() }));
    return { settings, notifications, meetings, media, status };
  })().catch(async (err: unknown) => {
    shutdown.abort();
    await settleWithin(Promise.allSettled([...built.reverse().flatMap((b) => b.jobs.map((j) => j.stop())), kaltura.close()]), STOP_BOUND_MS);
    throw err;
  });
  const { settings, notifications, meetings, media, status } = features;

  // The features, as data: their routes and jobs are concatenated in this order.
  const modules: readonly FeatureModule<unknown>[] = [metricsModule, settings, notifications, meetings, media, status];
  const composed = composeModules(modules);
  const dispatcher = createDispatcher({
    routes: composed.interactionRoutes,
    services: { meetings: meetings.services.meetings, media: media.services.media, videoCards: media.services.videoCards },
    logger: logger.child({ component: 'interactions' }),
    now: () => clock.now(),
    observer: dispatchObserverFor(metrics),
  });
  const interactionHttpRoutes = transport.connect(dispatcher);

  let databaseOk = true;
  const readiness = async (): Promise<Record<string, ReadinessCheck>> => {
    const database = await pingWithin(opened.ping(), PING_BOUND_MS, (err) => {
      // /readyz is public behind the proxy: the answer names the kind of failure, the log has the detail
      // (once per outage, not once per probe).
      if (databaseOk) logger.warn({ err }, 'the database does not answer the readiness probe');
    });
    if (database.ok && !databaseOk) logger.info('the database answers the readiness probe again');
    databaseOk = database.ok;
    const discord = transport.readiness(); // none in http mode: Discord calls us, there is no connection to wait for
    return { database, ...(discord && { discord }) };
  };
  const http = createHttpApp({
    logger,
    routes: [healthRoutes({ version: VERSION, readiness, startedAt: base.startedAt, now: () => clock.now() }), ...composed.httpRoutes, ...interactionHttpRoutes],
  });

  let server: RunningHttpServer | undefined;
  let started: readonly Job[] = [];
  let stopping: Promise<void> | undefined;
  return {
    config,
    store: opened.store,
    get db(): Database {
      if (!opened.sqlite) throw new Error(`app.db is the SQLite connection; this app runs on ${opened.dialect}`);
      return opened.sqlite;
    },
    modules,
    closeStoreNow: base.closeStoreNow,
    async start() {
      server = await startHttpServer(http, config.http.host, config.http.port, { maxConnections: config.http.maxConnections, logger, ...(media.services.syncSocket && { upgrade: media.services.syncSocket }) });
      if (stopping) {
        await server.close(0); // stop() ran while we were binding: nothing else may start
        throw new Error('stopped while starting');
      }
      logger.info({ url: server.url, publicUrl: config.http.publicUrl, version: VERSION, instance: opened.leadership.instanceId, discordMode: transport.mode }, `listening on ${server.url}`);
      started = composed.jobs;
      for (const job of started) job.start(); // each leader-only job asks leadership.isLeader() before every pass
      await transport.start();
      return { url: server.url };
    },
    stop() {
      // Bounded (docs/operations.md promises an exit within 5 s): in-flight work gets STOP_GRACE_MS,
      // then every request still waiting on Discord or Kaltura is abandoned; the store is always closed.
      stopping ??= (async () => {
        const until = performance.now() + STOP_BOUND_MS;
        const left = () => until - performance.now();
        const abandon = setTimeout(() => {
          shutdown.abort();
          void kaltura.close();
        }, STOP_GRACE_MS);
        try {
          // No new work: stop listening and receiving interactions first.
          await Promise.all([settleWithin(server?.close(STOP_GRACE_MS), left()), settleWithin(transport.stop(), left())]);
          // Jobs stop in reverse order of starting; in-flight sends finish or are abandoned, unsent ones stay pending for the next start.
          const stops = [...started].reverse().map((job) => job.stop().catch((err: unknown) => logger.warn({ err, job: job.name }, 'a job failed to stop cleanly')));
          if (!(await settleWithin(Promise.all(stops), left()))) logger.warn('stopped without waiting for the last in-flight work; it resumes on the next start');
          shutdown.abort();
          await settleWithin(kaltura.close(), left());
        } finally {
          clearTimeout(abandon);
          if (!(await settleWithin(opened.close(), CLOSE_BOUND_MS))) logger.warn('closing the database took too long; exiting anyway');
        }
      })();
      return stopping;
    },
  };
}

async function pingWithin(ping: Promise<void>, ms: number, failed: (err: unknown) => void): Promise<ReadinessCheck> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<ReadinessCheck>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: `database did not answer within ${ms} ms` }), ms);
  });
  try {
    const answered = ping.then(
      (): ReadinessCheck => ({ ok: true }),
      (err: unknown): ReadinessCheck => {
        failed(err);
        const code = (err as { code?: unknown }).code; // e.g. SQLITE_BUSY, 57P03: a kind, never a host or a message
        return { ok: false, reason: `database unusable${typeof code === 'string' && /^[\w.-]{1,32}$/.test(code) ? ` (${code})` : ''}` };
      },
    );
    return await Promise.race([answered, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
