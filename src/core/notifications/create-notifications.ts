/**
 * The notifications feature, built once by the composition root: webhook intake into the
 * inbox, the inbox processor, the recording poller, the meeting hooks and the outbox
 * dispatcher, plus the timers that drive them (`start`/`stop`).
 */
import type { ChannelAccess } from '../ports/channel-access';
import type { Config } from '../../config/config-types';
import type { Logger } from '../logger';
import type { ChannelSender } from '../ports/channel-sender';
import type { Clock } from '../ports/clock';
import type { MediaLibrary } from '../ports/media-library';
import type { MeetingProvider } from '../ports/meeting-provider';
import type { MeetingNotifier } from '../ports/notification-hooks';
import type { OutboxStats } from '../ports/notification-outbox';
import type { NotificationStore } from '../ports/notification-store';
import type { WebhookEvent, WebhookVerifier } from '../ports/webhook-verifier';
import { createMeetingNotifier } from './meeting-notifier';
import type { NotificationPolicyLookup } from './notification-policy';
import type { NotificationsContext } from './notifications-context';
import { createOutboxDispatcher, type OutboxDispatcher, type OutboxDispatcherOptions } from './outbox-dispatcher';
import { pollRecordings, type PollResult } from './poll-recordings';
import { processInbox, type InboxPassResult } from './process-inbox';

export { notificationPolicyFromConfig } from './notification-policy';
export type { NotificationPolicy, NotificationPolicyLookup } from './notification-policy';

export interface NotificationsDeps {
  readonly store: NotificationStore;
  readonly sender: ChannelSender;
  readonly media: Pick<MediaLibrary, 'watchUrl' | 'getEntry'>;
  readonly provider: Pick<MeetingProvider, 'findRecordings'>;
  readonly verifier: WebhookVerifier;
  /** `notificationPolicyFromConfig(config.defaults.notifications)`. */
  readonly policyFor: NotificationPolicyLookup;
  readonly config: { readonly webhooks: Config['webhooks']; readonly recordings: Config['recordings'] };
  readonly clock: Clock;
  readonly logger: Logger;
  /** Dispatcher tuning (concurrency, backoff, attempts, stop timeout). */
  readonly dispatcher?: Omit<OutboxDispatcherOptions, 'outbox' | 'sender' | 'clock' | 'logger'>;
  /** How often stored webhook events that failed are retried; default 30 s. */
  readonly inboxEveryMs?: number;
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
  readonly inbox: { accept(event: WebhookEvent, rawHash: string): 'stored' | 'duplicate' };
  readonly onAccepted: () => void;
}

export interface NotificationStats {
  readonly outbox: OutboxStats;
  readonly inbox: { readonly pending: number; readonly dead: number };
}

export interface Notifications {
  /** Pass to `createMeetingService({ …, notifier })`. */
  readonly meetingNotifier: MeetingNotifier;
  readonly intake: WebhookIntake;
  readonly dispatcher: OutboxDispatcher;
  /** One pass over due webhook events; concurrent calls share a pass. */
  processInbox(): Promise<InboxPassResult>;
  /** One pass of the fallback recording poller; concurrent calls share a pass. */
  pollRecordings(): Promise<PollResult>;
  stats(): NotificationStats;
  /** Forgets old sent/dead messages and processed events; returns how many rows went. */
  prune(): { readonly inbox: number; readonly outbox: number };
  /** Starts the dispatcher and the timers (inbox retries, recording poll every `recordings.pollEvery`, hourly prune). */
  start(): void;
  /** Stops the timers, waits for running passes, then stops the dispatcher. Call before closing the database. */
  stop(): Promise<void>;
}

const HOUR = 60 * 60_000;

export function createNotifications(deps: NotificationsDeps): Notifications {
  const logger = deps.logger;
  const dispatcher = createOutboxDispatcher({ ...deps.dispatcher, outbox: deps.store.outbox, sender: deps.sender, clock: deps.clock, logger: logger.child({ part: 'outbox' }) });
  const ctx: NotificationsContext = {
    store: deps.store,
    media: deps.media,
    provider: deps.provider,
    policyFor: deps.policyFor,
    clock: deps.clock,
    logger,
    random: deps.random ?? Math.random,
    onEnqueued: () => dispatcher.kick(),
    ...(deps.access && { access: deps.access }),
  };
  const keepMs = deps.keepMs ?? 7 * 24 * HOUR;

  let running = false;
  let inboxPass: Promise<InboxPassResult> | undefined;
  let inboxAgain = false;
  let pollPass: Promise<PollResult> | undefined;
  const timers: NodeJS.Timeout[] = [];

  /** One pass at a time; a call during a pass asks for another right after it (an event may have arrived mid-pass). */
  function runInbox(): Promise<InboxPassResult> {
    if (inboxPass) {
      inboxAgain = true;
      return inboxPass;
    }
    inboxPass = processInbox(ctx)
      .catch((err: unknown): InboxPassResult => {
        logger.error({ err }, 'processing webhook events failed; will retry');
        return { processed: 0, failed: 0 };
      })
      .finally(() => {
        inboxPass = undefined;
        if (inboxAgain) {
          inboxAgain = false;
          void runInbox();
        }
      });
    return inboxPass;
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

  function prune() {
    const before = deps.clock.now() - keepMs;
    const removed = { inbox: deps.store.inbox.prune(before), outbox: deps.store.outbox.prune(before) };
    if (removed.inbox + removed.outbox > 0) logger.debug(removed, 'pruned old notification rows');
    return removed;
  }

  const every = (ms: number, fn: () => unknown) => {
    const t = setInterval(() => {
      try {
        void fn();
      } catch (err) {
        logger.error({ err }, 'notification housekeeping failed');
      }
    }, ms);
    t.unref();
    timers.push(t);
  };

  return {
    meetingNotifier: createMeetingNotifier(ctx),
    intake: {
      verifier: deps.verifier,
      enabled: deps.config.webhooks.enabled,
      inbox: { accept: (event, rawHash) => deps.store.inbox.accept(event, rawHash, deps.clock.now()) },
      onAccepted: () => {
        if (running) void runInbox();
      },
    },
    dispatcher,
    processInbox: runInbox,
    pollRecordings: runPoll,
    stats: () => ({ outbox: deps.store.outbox.stats(deps.clock.now()), inbox: deps.store.inbox.counts() }),
    prune,
    start() {
      if (running) return;
      running = true;
      dispatcher.start();
      void runInbox(); // events stored before a restart
      void runPoll(); // recordings that became ready while the bot was down
      every(deps.inboxEveryMs ?? 30_000, runInbox);
      every(deps.config.recordings.pollEvery, runPoll);
      every(HOUR, prune);
    },
    async stop() {
      running = false;
      for (const t of timers.splice(0)) clearInterval(t);
      inboxAgain = false;
      await Promise.allSettled([inboxPass, pollPass]);
      await dispatcher.stop();
    },
  };
}
