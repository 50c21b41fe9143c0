import { createMeetingService } from '../core/meetings/create-meeting-service';
import type { PolicyLookup } from '../core/meetings/guild-policy';
import type { MeetingService } from '../core/meetings/meeting-service';
import type { GuildCategories } from '../core/ports/guild-categories';
import type { MeetingCards } from '../core/ports/meeting-cards';
import type { MeetingNotifier } from '../core/ports/notification-hooks';
import { endButtonRoute, endCommandRoute } from '../discord/commands/end-route';
import { joinButtonRoute, joinCommandRoute } from '../discord/commands/join-route';
import { listRoute } from '../discord/commands/list-route';
import { startRoute } from '../discord/commands/start-route';
import { createDiscordMeetingCards } from '../discord/discord-meeting-cards';
import type { InteractionRoute } from '../discord/interactions/interaction-route';
import { joinRoutes } from '../http/join-routes';
import { observeJoinLinks } from '../metrics/observers';
import { DEFAULT_RETENTION, historyCutoffs, pruneHistory } from '../store/prune-history';
import type { AppContext } from './app-context';
import type { FeatureModule } from './feature-module';
import { defineIntervalJob } from './interval-job';

/** `/kaltura start|join|list|end` and their buttons. */
export const meetingInteractionRoutes: readonly InteractionRoute[] = [startRoute, joinCommandRoute, listRoute, endCommandRoute, joinButtonRoute, endButtonRoute];

const HOUR = 60 * 60_000;

export interface MeetingsServices {
  readonly meetings: MeetingService;
  /** Runs the reconciler now (on the leader; elsewhere the leader's next pass catches up). */
  reconcileSoon(): void;
}

export interface MeetingsModuleDeps {
  readonly policyFor: PolicyLookup;
  /** Each server's Kaltura category; absent: meetings are not filed in one. */
  readonly categories?: GuildCategories;
  /** Absent: no notifications of starts, ends and joins. */
  readonly notifier?: MeetingNotifier;
  /** Where meeting cards are posted; default Discord over `ctx.rest` (the integration tests record them instead). */
  readonly cards?: MeetingCards;
  /** How often overdue meetings are ended, stale cards fixed and Kaltura cleanup retried. Default 30 s. */
  readonly reconcileEveryMs?: number;
}

/**
 * Meetings: the commands, `GET /j/<token>` join links, the reconciler (leader-only: one instance
 * ends overdue meetings and runs the Kaltura cleanup queue) and the retention of meeting history.
 */
export async function createMeetingsModule(ctx: AppContext, deps: MeetingsModuleDeps): Promise<FeatureModule<MeetingsServices>> {
  const { config, logger, clock } = ctx;
  const links = { secret: config.links.secret, ttlMs: config.links.ttl, publicUrl: config.http.publicUrl };
  const meetings = observeJoinLinks(
    createMeetingService({
      store: ctx.store,
      provider: ctx.kaltura.meetings,
      ...(deps.categories && { categories: deps.categories }),
      members: ctx.kaltura.members,
      cards: deps.cards ?? createDiscordMeetingCards(ctx.rest, { watchTogether: ctx.activityEnabled }),
      access: ctx.channelAccess,
      policyFor: deps.policyFor,
      clock,
      logger: logger.child({ component: 'meetings' }),
      links,
      ...(deps.notifier && { notifier: deps.notifier }),
      retireAfterMs: config.recordings.retireAfter,
    }),
    ctx.metrics,
  );
  const reconciler = defineIntervalJob({
    name: 'reconciler',
    leaderOnly: true,
    everyMs: deps.reconcileEveryMs ?? 30_000,
    runAtStart: true, // cards of meetings that ended while the bot was down are brought up to date
    leadership: ctx.leadership,
    logger,
    async run() {
      try {
        const r = await meetings.reconcile();
        if (r.ended || r.cardsUpdated || r.abandoned || r.endedInKaltura || r.jobsDone || r.jobsFailed) logger.info(r, 'meetings reconciled');
      } catch (err) {
        logger.warn({ err }, 'reconciling meetings failed; will retry');
      }
    },
  });
  const retention = config.retention ?? DEFAULT_RETENTION;
  const history = defineIntervalJob({
    name: 'history-retention',
    leaderOnly: true,
    everyMs: HOUR,
    runAtStart: true,
    leadership: ctx.leadership,
    logger,
    async run() {
      try {
        const pruned = await pruneHistory(ctx.store, historyCutoffs(retention, clock.now()));
        if (Object.values(pruned).some((n) => n > 0)) logger.info(pruned, 'deleted history older than the retention settings');
      } catch (err) {
        logger.warn({ err }, 'deleting old history failed; will retry in an hour');
      }
    },
  });
  return {
    name: 'meetings',
    services: { meetings, reconcileSoon: () => void reconciler.trigger() },
    interactionRoutes: meetingInteractionRoutes,
    httpRoutes: [joinRoutes({ redeem: (token) => meetings.redeemJoinLink(token), logger: logger.child({ component: 'join' }), linkTtlMs: config.links.ttl, metrics: ctx.metrics })],
    jobs: [reconciler, history],
  };
}
