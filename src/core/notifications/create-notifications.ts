/**
 * The notifications feature, built once by the composition root: webhook intake into the
 * inbox, the inbox processor, the recording poller, the meeting hooks and the outbox
 * dispatcher, plus the jobs that drive them. With several instances on one database the
 * outbox and inbox jobs run on every instance (leases keep each message and event to one of
 * them); the recording poller and the prune run only on the leader.
 */
import { randomBytes } from 'node:crypto';
import type { ChannelAccess } from '../ports/channel-access';
import type { Config } from '../../config/config-types';
import type { Logger } from '../logger';
import type { ChannelSender } from '../ports/channel-sender';
import type { Clock } from '../ports/clock';
import type { Leadership } from '../ports/leadership';
import type { MediaLibrary } from '../ports/media-library';
import type { MeetingProvider } from '../ports/meeting-provider';
import type { MeetingNotifier } from '../ports/notification-hooks';
import type { OutboxStats } from '../ports/notification-outbox';
import type { Store } from '../ports/store';
import type { WebhookEvent, WebhookVerifier } from '../ports/webhook-verifier';
import { createMeetingNotifier } from './meeting-notifier';
import type { NotificationPolicyLookup } from './notification-policy';
import type { NotificationsContext } from './notifications-context';
import { createOutboxDispatcher, type OutboxDispatcher, type OutboxDispatcherOptions } from './outbox-dispatcher';
import { pollRecordings, type PollResult } from './poll-recordings';
import { periodicJob, type NotificationJob, type PeriodicJobOptions } from './periodic-job';
import { processInbox, type InboxPassResult } from './process-inbox';

export { notificationPolicyFromConfig } from './notification-policy';
export type { NotificationPolicy, NotificationPolicyLookup } from './notification-policy';
export type { NotificationJob } from './periodic-job';

export interface NotificationsDeps {
  readonly store: Store;
  /**
   * The only instance on its database, so leases found at start were left by a killed predecessor
   * and are freed at once; default: SQLite (one process). Tests running two instances on one SQLite
   * file set it false for the second.
   */
  readonly exclusive?: boolean;
  /** Who runs the leader-only jobs; `instanceId` names this instance's leases. */
  readonly leadership: Leadership;
  readonly sender: ChannelSender;
  readonly media: Pick<MediaLibrary, 'watchUrl' | 'getEntry'>;
  readonly provider: Pick<MeetingProvider, 'findRecordings'>;
  readonly verifier: WebhookVerifier;
  /** Per-server settings (`settings.notificationPolicyFor`), or `notificationPolicyFromConfig(…)`. */
  readonly policyFor: NotificationPolicyLookup;
  readonly config: { readonly webhooks: Config['webhooks']; readonly recordings: Config['recordings'] };
  readonly clock: Clock;
  readonly logger: Logger;
  /** Dispatcher tuning (concurrency, lease, backoff, attempts, stop timeout). */
  readonly dispatcher?: Omit<OutboxDispatcherOptions, 'outbox' | 'sender' | 'clock' | 'logger' | 'owner' | 'exclusive'>;
  /** How often stored webhook events that failed are retried; default 30 s. */
  readonly inboxEveryMs?: number;
  /** How long a claimed webhook event is this instance's; default 5 min. */
  readonly inboxLeaseMs?: number;
  /** Sent and processed rows are kept this long; default 7 days. */
  readonly keepMs?: number;
  /** Jitter source; default Math.random. */
  readonly random?: () => number;
  /** Who can see which channel: notifications of a restricted channel's meeting stay in that channel. */
  readonly access?: ChannelAccess;
}

/** What `webhookRoutes` needs besides a logger: `webhookRoutes({ ...notifications.intake, logger })`. */
export interface WebhookIntake {
  readonly verifier: WebhookVerifier;
  readonly enabled: boolean;
  readonly inbox: { accept(event: WebhookEvent, rawHash: string): Promise<'stored' | 'duplicate'> };
  readonly onAccepted: () => void;
}

export interface NotificationStats {
  readonly outbox: OutboxStats;
  readonly inbox: { readonly pending: number; readonly dead: number };
}

export interface Notifications {
  /** Pass to the meeting service (`notifier`). */
  readonly meetingNotifier: MeetingNotifier;
  readonly intake: WebhookIntake;
  readonly dispatcher: OutboxDispatcher;
  /** One pass over due webhook events; concurrent calls share a pass. */
  processInbox(): Promise<InboxPassResult>;
  /** One pass of the fallback recording poller (whether or not this instance leads); concurrent calls share a pass. */
  pollRecordings(): Promise<PollResult>;
  stats(): Promise<NotificationStats>;
  /** Forgets old sent/dead messages and processed events; returns how many rows went. */
  prune(): Promise<{ readonly inbox: number; readonly outbox: number }>;
  /** outbox dispatcher, inbox retries (every instance); recording poll (leader only). Pruning is the app's retention job (`prune`). */
  readonly jobs: readonly NotificationJob[];
  /** Starts every job (equivalent to starting `jobs` in order). */
  start(): void;
  /** Stops the jobs in reverse order, waiting for running passes; the dispatcher last. Call before closing the store. */
  stop(): Promise<void>;
}

const HOUR = 60 * 60_000;

export function createNotifications(deps: NotificationsDeps): Notifications {
  const { logger, leadership } = deps;
  // Unique per process start, so a restarted instance never mistakes a dead predecessor's lease for its own.
  const owner = `${leadership.instanceId}/${randomBytes(4).toString('hex')}`;
  const exclusive = deps.exclusive ?? deps.store.dialect === 'sqlite';
  const dispatcher = createOutboxDispatcher({ ...deps.dispatcher, exclusive, outbox: deps.store.outbox, sender: deps.sender, clock: deps.clock, owner, logger: logger.child({ part: 'outbox' }) });
  const ctx: NotificationsContext = {
    store: deps.store,
    media: deps.media,
    provider: deps.provider,
    policyFor: deps.policyFor,
    clock: deps.clock,
    logger,
    random: deps.random ?? Math.random,
    owner,
    // the row commits with the caller's transaction: a look before that (another connection) would miss it
    onEnqueued: (tx) => tx.afterCommit(() => dispatcher.kick()),
    ...(deps.access && { access: deps.access }),
  };
  const keepMs = deps.keepMs ?? 7 * 24 * HOUR;

  let inboxPass: Promise<InboxPassResult> | undefined;
  let inboxAgain = false;
  let inboxRunning = false;
  let inboxStopping = false;
  let inboxRecovered = !exclusive;
  let pollPass: Promise<PollResult> | undefined;

  /** One pass at a time; a call during a pass asks for another right after it (an event may have arrived mid-pass). */
  function runInbox(): Promise<InboxPassResult> {
    if (inboxPass) {
      inboxAgain = true;
      return inboxPass;
    }
    inboxPass = recoverInbox()
      .then(() => processInbox(ctx, deps.inboxLeaseMs, () => !inboxStopping))
      .catch((err: unknown): InboxPassResult => {
        logger.error({ err }, 'processing webhook events failed; will retry');
        return { processed: 0, failed: 0 };
      })
      .finally(() => {
        inboxPass = undefined;
        if (inboxAgain) {
          inboxAgain = false;
          if (inboxRunning) void runInbox();
        }
      });
    return inboxPass;
  }

  async function recoverInbox(): Promise<void> {
    if (inboxRecovered) return;
    await deps.store.inbox.releaseAll();
    inboxRecovered = true;
  }

  function runPoll(): Promise<PollResult> {
    pollPass ??= pollRecordings(ctx, deps.config.recordings.pollWindow)
      .catch((err: unknown): PollResult => {
        logger.error({ err }, 'looking for recordings failed; will retry');
        return { checked: 0, found: 0, failed: 1 };
      })
      .finally(() => {
        pollPass = undefined;
      });
    return pollPass;
  }

  async function prune() {
    const before = deps.clock.now() - keepMs;
    const removed = { inbox: await deps.store.inbox.prune(before), outbox: await deps.store.outbox.prune(before) };
    if (removed.inbox + removed.outbox > 0) logger.debug(removed, 'pruned old notification rows');
    return removed;
  }

  const job = (name: string, leaderOnly: boolean, everyMs: number, pass: () => Promise<unknown>, hooks: Pick<PeriodicJobOptions, 'onStart' | 'onStop'> = {}) =>
    periodicJob({ name, leaderOnly, everyMs, pass, leadership, logger, ...hooks });
  // Started in this order and stopped in reverse: the dispatcher stops last, once nothing enqueues any more.
  const jobs: NotificationJob[] = [
    { name: 'notifications.outbox', leaderOnly: false, start: () => dispatcher.start(), stop: () => dispatcher.stop() },
    job('notifications.inbox', false, deps.inboxEveryMs ?? 30_000, runInbox, {
      onStart: () => {
        inboxRunning = true;
        inboxStopping = false;
      },
      onStop: async () => {
        inboxRunning = false;
        inboxStopping = true;
        inboxAgain = false;
        await inboxPass;
      },
    }),
    job('notifications.recording-poll', true, deps.config.recordings.pollEvery, runPoll, { onStop: async () => pollPass }),
  ];

  return {
    meetingNotifier: createMeetingNotifier(ctx),
    intake: {
      verifier: deps.verifier,
      enabled: deps.config.webhooks.enabled,
      inbox: { accept: (event, rawHash) => deps.store.inbox.accept(event, rawHash, deps.clock.now()) },
      onAccepted: () => {
        if (inboxRunning) void runInbox();
      },
    },
    dispatcher,
    processInbox: runInbox,
    pollRecordings: runPoll,
    stats: async () => {
      const [outbox, inbox] = await Promise.all([deps.store.outbox.stats(deps.clock.now()), deps.store.inbox.counts()]);
      return { outbox, inbox };
    },
    prune,
    jobs,
    start() {
      for (const job of jobs) job.start();
    },
    async stop() {
      for (const j of [...jobs].reverse()) await j.stop();
    },
  };
}
