/**
 * The Prometheus adapter: one `Registry` per app (never prom-client's global one, so tests
 * can build several apps in one process), the series below, and a `MetricsRecorder` that
 * feeds them. Gauges that mirror state (outbox, inbox, gateway) are read at scrape time.
 * Labels are bounded: route/command names, Kaltura service/action, closed sets of reasons.
 * @see https://prometheus.io/docs/practices/naming/
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RateLimitData, REST } from 'discord.js';
import type { DiscordRateLimit, MetricsRecorder } from '../core/ports/metrics';

export const METRIC_PREFIX = 'kaltura_discord_';

/** The gateway states `createGatewayBot().state()` can report. */
export const GATEWAY_STATES = ['stopped', 'connecting', 'ready', 'reconnecting'] as const;

/** Around Discord's 3 s acknowledgement budget. */
const ACK_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 2.5, 3, 5];
const KALTURA_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export interface MetricSources {
  /** `notifications.stats()`; read at every scrape (before the series are collected: it may query the store). */
  readonly notifications?: () => NotificationCounts | Promise<NotificationCounts>;
  /** `bot.state()`; read at every scrape. */
  readonly gatewayState?: () => string;
  /** The Kaltura cleanup job queue's counts (`cleanupJobCounts`); read at every scrape, like `notifications`. */
  readonly cleanupJobs?: () => CleanupCounts | Promise<CleanupCounts>;
}

interface NotificationCounts {
  readonly outbox: { readonly pending: number; readonly dead: number; readonly oldestPendingAgeMs?: number };
  readonly inbox: { readonly pending: number; readonly dead: number };
}
interface CleanupCounts {
  readonly pending: number;
  readonly failing: number;
}

export interface AppMetrics {
  readonly registry: Registry;
  readonly recorder: MetricsRecorder;
  /** Counts 429s and rate-limit waits of a discord.js REST client. */
  watchDiscordRest(rest: Pick<REST, 'on'>): void;
  /** The exposition text and its content type, for `GET /metrics`. */
  render(): Promise<{ contentType: string; body: string }>;
}

export interface CreateAppMetricsOptions {
  readonly version: string;
  readonly sources?: MetricSources;
  /** Process metrics (`process_*`, `nodejs_*`); default true. */
  readonly processMetrics?: boolean;
}

export function createAppMetrics(options: CreateAppMetricsOptions): AppMetrics {
  const registry = new Registry();
  const registers = [registry];
  const name = (n: string) => METRIC_PREFIX + n;
  const sources = options.sources ?? {};
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });

  new Gauge({ name: name('build_info'), help: 'Always 1; the running version as a label.', labelNames: ['version'], registers }).set({ version: options.version }, 1);

  const ackSeconds = new Histogram({
    name: name('interaction_ack_seconds'),
    help: 'Time from receiving an interaction to acknowledging it (defer or reply). Discord allows 3 s.',
    labelNames: ['route'],
    buckets: ACK_BUCKETS,
    registers,
  });
  const commands = new Counter({ name: name('commands_total'), help: 'Commands and buttons handled, by route and outcome (ok, refused, user-error, error).', labelNames: ['command', 'outcome'], registers });
  const kalturaSeconds = new Histogram({
    name: name('kaltura_request_duration_seconds'),
    help: 'Duration of one Kaltura API attempt, by service and action.',
    labelNames: ['service', 'action'],
    buckets: KALTURA_BUCKETS,
    registers,
  });
  const kalturaRequests = new Counter({
    name: name('kaltura_requests_total'),
    help: 'Kaltura API attempts by service, action and outcome (ok, api-error, transport-error, bad-response).',
    labelNames: ['service', 'action', 'outcome'],
    registers,
  });
  const kalturaErrors = new Counter({
    name: name('kaltura_errors_total'),
    help: 'Failed Kaltura API attempts by service, action and outcome (api-error, transport-error, bad-response).',
    labelNames: ['service', 'action', 'outcome'],
    registers,
  });
  const linksIssued = new Counter({ name: name('join_links_issued_total'), help: 'Personal join links handed out.', registers });
  const linksRedeemed = new Counter({ name: name('join_links_redeemed_total'), help: 'Join links opened and redirected into the meeting.', registers });
  const linksRefused = new Counter({ name: name('join_links_refused_total'), help: 'Join links refused, by reason (used, expired, ended, bad-signature, malformed, unknown-meeting, unavailable).', labelNames: ['reason'], registers });
  const webhooksReceived = new Counter({ name: name('webhooks_received_total'), help: 'Webhook deliveries received (POSTs to /webhooks/kaltura).', registers });
  const webhooksRejected = new Counter({ name: name('webhooks_rejected_total'), help: 'Webhook deliveries refused, by reason (BAD_SIGNATURE, BODY_TOO_LARGE, …).', labelNames: ['reason'], registers });
  const webhooksDuplicate = new Counter({ name: name('webhooks_duplicate_total'), help: 'Webhook redeliveries recognised and ignored.', registers });
  const outboxRetries = new Counter({ name: name('outbox_retries_total'), help: 'Notification sends that failed and were scheduled again.', registers });
  const outboxDeadLetters = new Counter({ name: name('outbox_dead_letters_total'), help: 'Notifications given up on (refused for good, or out of attempts).', registers });
  const rateLimited = new Counter({ name: name('discord_rate_limited_total'), help: 'HTTP 429 answers from Discord to the bot\'s REST requests, by method, route, scope and global.', labelNames: ['method', 'route', 'scope', 'global'], registers });
  const rateLimitWaits = new Counter({ name: name('discord_rate_limit_waits_total'), help: 'REST requests held back by discord.js because a rate-limit bucket was exhausted.', labelNames: ['method', 'route', 'global'], registers });

  // The store-backed sources are read once per scrape, before collecting (a gauge's collect cannot
  // wait on them one by one); a source that fails keeps its last values rather than failing the scrape.
  let snapshot: { notifications?: NotificationCounts; cleanupJobs?: CleanupCounts } = {};
  const refresh = async () => {
    const [notifications, cleanupJobs] = await Promise.allSettled([sources.notifications?.(), sources.cleanupJobs?.()]);
    snapshot = {
      ...snapshot,
      ...(notifications.status === 'fulfilled' && notifications.value && { notifications: notifications.value }),
      ...(cleanupJobs.status === 'fulfilled' && cleanupJobs.value && { cleanupJobs: cleanupJobs.value }),
    };
  };
  const stats = () => snapshot.notifications;
  new Gauge({
    name: name('outbox_pending'),
    help: 'Notifications waiting to be sent.',
    registers,
    collect() {
      this.set(stats()?.outbox.pending ?? 0);
    },
  });
  new Gauge({
    name: name('outbox_dead'),
    help: 'Notifications given up on and still kept (pruned after 7 days).',
    registers,
    collect() {
      this.set(stats()?.outbox.dead ?? 0);
    },
  });
  new Gauge({
    name: name('outbox_oldest_pending_age_seconds'),
    help: 'Age of the oldest notification waiting to be sent; 0 when none is.',
    registers,
    collect() {
      this.set((stats()?.outbox.oldestPendingAgeMs ?? 0) / 1000);
    },
  });
  new Gauge({
    name: name('inbox_pending'),
    help: 'Webhook events stored and not processed yet.',
    registers,
    collect() {
      this.set(stats()?.inbox.pending ?? 0);
    },
  });
  new Gauge({
    name: name('inbox_dead'),
    help: 'Webhook events given up on.',
    registers,
    collect() {
      this.set(stats()?.inbox.dead ?? 0);
    },
  });
  new Gauge({
    name: name('kaltura_cleanup_jobs_pending'),
    help: 'Work the bot still has to do in Kaltura (end sessions, remove rooms and templates), due or not.',
    registers,
    collect() {
      this.set(snapshot.cleanupJobs?.pending ?? 0);
    },
  });
  new Gauge({
    name: name('kaltura_cleanup_jobs_failing'),
    help: 'Pending Kaltura cleanup jobs whose last attempt failed (retried with backoff).',
    registers,
    collect() {
      this.set(snapshot.cleanupJobs?.failing ?? 0);
    },
  });
  new Gauge({
    name: name('gateway_state'),
    help: 'Discord gateway connection state: 1 for the current state, 0 for the others.',
    labelNames: ['state'],
    registers,
    collect() {
      const current = sources.gatewayState?.() ?? 'stopped';
      for (const state of GATEWAY_STATES) this.set({ state }, state === current ? 1 : 0);
    },
  });

  const limitLabels = (info: DiscordRateLimit) => ({ method: info.method.toUpperCase(), route: info.route, global: String(info.global) });
  const recorder: MetricsRecorder = {
    interactionAcknowledged: (route, seconds) => ackSeconds.observe({ route }, Math.max(0, seconds)),
    commandFinished: (command, outcome) => commands.inc({ command, outcome }),
    kalturaCall(service, action, outcome, seconds) {
      kalturaSeconds.observe({ service, action }, seconds);
      kalturaRequests.inc({ service, action, outcome });
      if (outcome !== 'ok') kalturaErrors.inc({ service, action, outcome });
    },
    joinLinkIssued: () => linksIssued.inc(),
    joinLinkRedeemed: () => linksRedeemed.inc(),
    joinLinkRefused: (reason) => linksRefused.inc({ reason }),
    webhookReceived: () => webhooksReceived.inc(),
    webhookRejected: (reason) => webhooksRejected.inc({ reason }),
    webhookDuplicate: () => webhooksDuplicate.inc(),
    outboxRetry: () => outboxRetries.inc(),
    outboxDeadLetter: () => outboxDeadLetters.inc(),
    discordRateLimited: (info) => rateLimited.inc({ ...limitLabels(info), scope: info.scope }),
    discordRateLimitWait: (info) => rateLimitWaits.inc(limitLabels(info)),
  };

  return {
    registry,
    recorder,
    watchDiscordRest(rest) {
      rest.on('rateLimited', (info: RateLimitData) => recorder.discordRateLimitWait(info));
      // A 429 that discord.js did not see coming is only visible in the response stream.
      rest.on('response', (request, response) => {
        // With global fetch discord.js hands listeners a clone, whose unread copy of the body would be buffered;
        // with undici (Node's default) it is the very object it reads next, so it must be left alone.
        if (response instanceof Response) void response.body?.cancel().catch(() => undefined);
        if (response.status !== 429) return;
        const scope = response.headers.get('x-ratelimit-scope') ?? 'user';
        recorder.discordRateLimited({ method: request.method, route: request.route, scope, global: response.headers.has('x-ratelimit-global') });
      });
    },
    async render() {
      await refresh();
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
