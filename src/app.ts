import type { Database } from 'better-sqlite3';
import type { Config } from './config/config-types';
import type { Logger } from './core/logger';
import { systemClock, type Clock } from './core/ports/clock';
import { createHttpApp, type RouteGroup } from './http/create-http-app';
import { healthRoutes, type ReadinessCheck } from './http/health-routes';
import { watchRoutes } from './http/watch-routes';
import { metricsRoutes } from './http/metrics-routes';
import { noopMetrics } from './core/ports/metrics';
import { dispatchObserverFor, observeJoinLinks } from './metrics/observers';
import { startHttpServer, type RunningHttpServer } from './http/start-http-server';
import { migrateDatabase } from './store/migrate-database';
import { migrations } from './store/migrations/index';
import { closeDatabase, openDatabase } from './store/open-database';
import { setAppMeta } from './store/app-meta';
import { DEFAULT_RETENTION, historyCutoffs, pruneHistory, retentionMs } from './store/prune-history';
import { prepareCached } from './store/prepare-cached';
import { VERSION } from './version';
import { categoryRootPath, createGuildCategories } from './core/categories/create-guild-categories';
import { createGuildCategoryRepo } from './store/guild-categories';
import { settleWithin } from './shared/settle-within';

/** How long in-flight work may go on after a stop begins before its requests are abandoned. */
const STOP_GRACE_MS = 1_500;
/** The whole stop, checkpoint excluded. */
const STOP_BOUND_MS = 3_500;

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
  readonly db: Database;
  /** Starts serving; resolves with the URL actually listened on. */
  start(): Promise<{ url: string }>;
  /** Stops everything in reverse order; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * The composition root: config -> store -> kaltura -> core -> discord -> http. Everything is
 * built here and passed down; nothing is a module-level singleton. Heavy libraries
 * (discord.js, kaltura-client) are imported here, lazily, so other commands start fast.
 */
export async function createApp(options: AppOptions): Promise<App> {
  const { config, logger } = options;
  const retention = config.retention ?? DEFAULT_RETENTION;
  const clock = options.clock ?? systemClock;
  const startedAt = clock.now();

  const db = openDatabase(config.storage.path, { nativeBinding: options.sqliteBinding });
  try {
    const migrated = migrateDatabase(db, migrations, config.storage.path);
    if (migrated.to !== migrated.from) logger.info({ from: migrated.from, to: migrated.to, file: config.storage.path }, 'database migrated');
    setAppMeta(db, 'last_version', VERSION, clock.now());
  } catch (err) {
    closeDatabase(db);
    throw err;
  }

  const [{ createKaltura }, discord, meetingsCore, notificationsCore, store, { createNotificationStore }, { joinRoutes }, { webhookRoutes }, { createGuildSettings }, { createGuildSettingsRepo }, { defineInteractionRoutes }] = await Promise.all([
    import('./kaltura/create-kaltura'),
    import('./discord/create-discord'),
    import('./core/meetings/create-meeting-service'),
    import('./core/notifications/create-notifications'),
    import('./store/meeting-store'),
    import('./store/notification-store'),
    import('./http/join-routes'),
    import('./http/webhook-routes'),
    import('./core/settings/create-guild-settings'),
    import('./store/guild-settings'),
    import('./discord/routes'),
  ]);
  // Per-server settings over the YAML defaults: the one source of both policy lookups.
  const settings = createGuildSettings({ repo: createGuildSettingsRepo(db), defaults: config.defaults, clock });
  const cleanupJobs = store.createCleanupJobs(db);
  // One registry per app (never prom-client's global one); gauges read notifications/bot at scrape time.
  const appMetrics = config.metrics.enabled
    ? (await import('./metrics/create-app-metrics')).createAppMetrics({ version: VERSION, sources: { notifications: () => notifications.stats(), gatewayState: () => bot.state(), cleanupJobs: () => cleanupJobs.counts(clock.now()) } })
    : undefined;
  const metrics = appMetrics?.recorder ?? noopMetrics;
  const kaltura = createKaltura({ config: config.kaltura, logger: logger.child({ component: 'kaltura' }), clock, metrics, ...(config.kaltura.cdnUrl !== undefined && { cdnUrl: config.kaltura.cdnUrl }) });
  // Each server's Kaltura category (the admin's setting, else found or created under the root).
  const guildCategories = createGuildCategories({
    directory: kaltura.categories,
    repo: createGuildCategoryRepo(db),
    rootPath: categoryRootPath(config.kaltura.categoryRoot ?? 'kaltura-discord'),
    settingFor: (guildId) => settings.get(guildId, 'kaltura.categoryId').value as number | undefined,
    clock,
    logger: logger.child({ component: 'categories' }),
  });
  // Aborted by stop(): every request still waiting on Discord is abandoned, so a stop never hangs on it.
  const shutdown = new AbortController();
  const rest = discord.createRest(config.discord, shutdown.signal);
  // Watch together (the Discord Activity) is on iff discord.clientSecret is set.
  const activityEnabled = config.discord.clientSecret !== undefined;
  const activityPlatform = activityEnabled ? (await import('./discord/activity-platform')).createDiscordActivityPlatform(config.discord, { signal: shutdown.signal }) : undefined;
  appMetrics?.watchDiscordRest(rest);
  // Who can see which channel, from the gateway cache (read lazily: the client is built below).
  const channelAccess = discord.createDiscordChannelAccess(() => bot.client);
  const notifications = notificationsCore.createNotifications({
    access: channelAccess,
    store: createNotificationStore(db),
    sender: discord.createDiscordChannelSender(rest, { watchTogether: activityEnabled }),
    media: kaltura.media,
    provider: kaltura.meetings,
    verifier: kaltura.webhooks,
    policyFor: settings.notificationPolicyFor,
    config: { webhooks: config.webhooks, recordings: config.recordings },
    keepMs: retentionMs(retention.notificationsDays),
    clock,
    logger: logger.child({ component: 'notifications' }),
    dispatcher: { metrics },
  });
  const meetings = observeJoinLinks(meetingsCore.createMeetingService({
    repo: store.createMeetingRepo(db),
    ledger: store.createJoinLedger(db),
    provider: kaltura.meetings,
    categories: guildCategories,
    members: kaltura.members,
    cards: discord.createDiscordMeetingCards(rest, { watchTogether: activityEnabled }),
    access: channelAccess,
    policyFor: settings.policyFor,
    clock,
    logger: logger.child({ component: 'meetings' }),
    links: { secret: config.links.secret, ttlMs: config.links.ttl, publicUrl: config.http.publicUrl },
    notifier: notifications.meetingNotifier,
    cleanup: cleanupJobs, // durable Kaltura cleanup, run by the reconciler
    retireAfterMs: config.recordings.retireAfter,
  }), metrics);
  // The video library and Watch together (the Activity only when discord.clientSecret is set).
  const [{ createMediaService }, { createWatchLinkLedger }, { createActivityLaunches }] = await Promise.all([
    import('./core/media/create-media-service'),
    import('./store/watch-links'),
    import('./store/activity-launches'),
  ]);
  const media = createMediaService({
    library: kaltura.media,
    categories: guildCategories,
    access: channelAccess,
    meetingRepo: store.createMeetingRepo(db),
    meetings,
    watchLinks: createWatchLinkLedger(db),
    launches: createActivityLaunches(db),
    ...(activityPlatform && { platform: activityPlatform }),
    links: { secret: config.links.secret, ttlMs: config.links.ttl, publicUrl: config.http.publicUrl },
    clock,
    logger: logger.child({ component: 'media' }),
  });
  const watchTogether = activityEnabled
    ? (await import('./http/activity-server')).createActivityServer({
        activity: media.activity,
        applicationId: config.discord.applicationId,
        sessionNow: () => clock.now(),
        cdnUrl: config.kaltura.cdnUrl ?? 'https://cdnapisec.kaltura.com',
        ...(config.activity && { mediaMappings: config.activity.mediaMappings }),
        logger,
      })
    : undefined;
  // `/kaltura-admin status` and the channel check of `set-channel`.
  const [{ createBotChannelAccess }, { createServerStatus }, { createStatusProbes }] = await Promise.all([
    import('./discord/bot-channel-access'),
    import('./core/status/server-status'),
    import('./app-status'),
  ]);
  const botChannels = createBotChannelAccess(rest);
  const probes = createStatusProbes(config, db, logger.child({ component: 'status' }));
  const statusRepo = store.createMeetingRepo(db);
  const serverStatus = createServerStatus({
    version: VERSION,
    kaltura: () => probes.kaltura(),
    ...(probes.webhookTemplates && { webhookTemplates: probes.webhookTemplates }),
    channels: botChannels,
    notificationPolicyFor: settings.notificationPolicyFor,
    liveMeetingChannels: (guildId) => [...new Set(statusRepo.listLive(guildId).map((m) => m.channelId))],
    notificationStats: () => notifications.stats(),
    lastRecording: (guildId) => probes.lastRecording(guildId),
    logger: logger.child({ component: 'status' }),
    now: () => clock.now(),
  });
  const bot = discord.createGatewayBot({
    token: config.discord.token,
    apiBaseUrl: config.discord.apiBaseUrl,
    dispatcher: discord.createDispatcher({ routes: defineInteractionRoutes({ settings, categories: guildCategories, channels: botChannels, status: serverStatus }), services: { meetings, media, videoCards: discord.createDiscordVideoCards(rest) }, logger: logger.child({ component: 'interactions' }), now: () => clock.now(), observer: dispatchObserverFor(metrics) }),
    logger: logger.child({ component: 'gateway' }),
    now: () => clock.now(),
  });

  const readiness = (): Record<string, ReadinessCheck> => {
    let database: ReadinessCheck;
    try {
      prepareCached(db, 'SELECT 1').get(); // every probe: reuse one statement
      database = { ok: true };
    } catch (err) {
      database = { ok: false, reason: `database unusable: ${(err as Error).message}` };
    }
    const state = bot.state();
    return { database, discord: state === 'ready' ? { ok: true } : { ok: false, reason: `gateway ${state}` } };
  };
  const routes: RouteGroup[] = [
    healthRoutes({ version: VERSION, readiness, startedAt, now: () => clock.now() }),
    joinRoutes({ redeem: (token) => meetings.redeemJoinLink(token), logger: logger.child({ component: 'join' }), linkTtlMs: config.links.ttl, metrics }),
    watchRoutes({ redeem: (token) => media.redeemWatchLink(token), logger: logger.child({ component: 'watch' }), linkTtlMs: config.links.ttl }),
    ...(watchTogether ? [watchTogether.routes] : []),
    webhookRoutes({
      ...notifications.intake,
      // Process right away, then bring cards up to date (a Watch button, an end done in Kaltura).
      onAccepted: () => void notifications.processInbox().then(() => reconcile()),
      logger: logger.child({ component: 'webhooks' }),
      metrics,
    }),
    metricsRoutes({ enabled: config.metrics.enabled, token: config.metrics.token, render: appMetrics?.render, logger: logger.child({ component: 'metrics' }) }),
  ];
  const http = createHttpApp({ logger, routes });

  let server: RunningHttpServer | undefined;
  let timer: NodeJS.Timeout | undefined;
  let reconciling: Promise<unknown> | undefined;
  const reconcile = () => {
    reconciling ??= meetings
      .reconcile()
      .then((r) => {
        if (r.ended || r.cardsUpdated || r.abandoned || r.endedInKaltura || r.jobsDone || r.jobsFailed) logger.info(r, 'meetings reconciled');
      })
      .catch((err: unknown) => logger.warn({ err }, 'reconciling meetings failed; will retry'))
      .finally(() => {
        reconciling = undefined;
      });
    return reconciling;
  };
  // Retention (`retention.*`): history older than configured is deleted at start and every hour.
  let retentionTimer: NodeJS.Timeout | undefined;
  const pruneOldHistory = () => {
    try {
      const pruned = { ...pruneHistory(db, historyCutoffs(retention, clock.now())), ...notifications.prune() };
      if (Object.values(pruned).some((n) => n > 0)) logger.info(pruned, 'deleted history older than the retention settings');
    } catch (err) {
      logger.warn({ err }, 'deleting old history failed; will retry in an hour');
    }
  };
  let stopping: Promise<void> | undefined;
  return {
    config,
    db,
    async start() {
      server = await startHttpServer(http, config.http.host, config.http.port, { maxConnections: config.http.maxConnections, logger, ...(watchTogether && { upgrade: watchTogether.socket }) });
      if (stopping) {
        await server.close(0); // stop() ran while we were binding: nothing else may start
        throw new Error('stopped while starting');
      }
      logger.info({ url: server.url, publicUrl: config.http.publicUrl, version: VERSION }, `listening on ${server.url}`);
      void reconcile(); // cards of meetings that ended while the bot was down are brought up to date
      timer = setInterval(() => void reconcile(), options.reconcileEveryMs ?? 30_000);
      timer.unref();
      notifications.start(); // outbox dispatcher (resumes pending messages), inbox retries, recording poller
      pruneOldHistory();
      retentionTimer = setInterval(pruneOldHistory, 60 * 60_000);
      retentionTimer.unref();
      await bot.start();
      return { url: server.url };
    },
    stop() {
      // Bounded (docs/operations.md promises an exit within 5 s): in-flight work gets STOP_GRACE_MS,
      // then every request still waiting on Discord or Kaltura is abandoned; the WAL is always checkpointed.
      stopping ??= (async () => {
        const until = performance.now() + STOP_BOUND_MS;
        const left = () => until - performance.now();
        const abandon = setTimeout(() => {
          shutdown.abort();
          void kaltura.close();
        }, STOP_GRACE_MS);
        try {
          if (timer) clearInterval(timer);
          if (retentionTimer) clearInterval(retentionTimer);
          await Promise.all([settleWithin(server?.close(STOP_GRACE_MS), left()), settleWithin(bot.stop(), left())]);
          // in-flight sends finish or are abandoned; unsent ones stay pending (same nonce) for the next start
          if (!(await settleWithin(Promise.allSettled([reconciling, notifications.stop()]), left()))) logger.warn('stopped without waiting for the last in-flight work; it resumes on the next start');
          shutdown.abort();
          await settleWithin(kaltura.close(), left());
        } finally {
          clearTimeout(abandon);
          closeDatabase(db);
        }
      })();
      return stopping;
    },
  };
}
