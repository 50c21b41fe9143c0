import { createNotifications, type Notifications } from '../core/notifications/create-notifications';
import type { NotificationPolicyLookup } from '../core/notifications/notification-policy';
import { createDiscordChannelSender } from '../discord/discord-channel-sender';
import { webhookRoutes } from '../http/webhook-routes';
import { DEFAULT_RETENTION, retentionMs } from '../store/prune-history';
import type { AppContext } from './app-context';
import type { FeatureModule } from './feature-module';
import { defineIntervalJob } from './interval-job';

const HOUR = 60 * 60_000;

export interface NotificationsServices {
  readonly notifications: Notifications;
}

export interface NotificationsModuleDeps {
  readonly policyFor: NotificationPolicyLookup;
  /** After a webhook's events were processed (e.g. bring meeting cards up to date). */
  readonly afterWebhook?: () => void;
}

/**
 * Kaltura webhooks in, channel messages out: `POST /webhooks/kaltura`, the inbox, the outbox
 * dispatcher (every instance: leases keep each message to one sender), the recording poller
 * (leader-only) and the pruning of old inbox/outbox rows (leader-only).
 */
export async function createNotificationsModule(ctx: AppContext, deps: NotificationsModuleDeps): Promise<FeatureModule<NotificationsServices>> {
  const { config, logger } = ctx;
  const retention = config.retention ?? DEFAULT_RETENTION;
  const notifications = createNotifications({
    access: ctx.channelAccess,
    store: ctx.store,
    leadership: ctx.leadership,
    sender: createDiscordChannelSender(ctx.rest, { watchTogether: ctx.activityEnabled }),
    media: ctx.kaltura.media,
    provider: ctx.kaltura.meetings,
    verifier: ctx.kaltura.webhooks,
    policyFor: deps.policyFor,
    config: { webhooks: config.webhooks, recordings: config.recordings },
    keepMs: retentionMs(retention.notificationsDays),
    clock: ctx.clock,
    logger: logger.child({ component: 'notifications' }),
    dispatcher: { metrics: ctx.metrics },
  });
  const prune = defineIntervalJob({
    name: 'notification-retention',
    leaderOnly: true,
    everyMs: HOUR,
    runAtStart: true,
    leadership: ctx.leadership,
    logger,
    async run() {
      const pruned = await notifications.prune();
      if (pruned.inbox > 0 || pruned.outbox > 0) logger.info(pruned, 'deleted notifications older than the retention settings');
    },
  });
  return {
    name: 'notifications',
    services: { notifications },
    interactionRoutes: [],
    httpRoutes: [
      webhookRoutes({
        ...notifications.intake,
        // Process right away, then let others react (cards: a Watch button, an end done in Kaltura).
        onAccepted: () =>
          void notifications
            .processInbox()
            .then(() => deps.afterWebhook?.())
            .catch((err: unknown) => logger.warn({ err }, 'processing accepted webhooks failed; the inbox retries them')),
        logger: logger.child({ component: 'webhooks' }),
        metrics: ctx.metrics,
      }),
    ],
    // The outbox and inbox jobs run on every instance (leases); the recording poller checks leadership itself.
    jobs: [...notifications.jobs, prune],
  };
}
