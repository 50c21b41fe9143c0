import { createStatusProbes } from '../app-status';
import type { NotificationCounts } from '../core/status/server-status';
import { createServerStatus, type ServerStatus, type StatusRequest } from '../core/status/server-status';
import type { NotificationPolicyLookup } from '../core/notifications/notification-policy';
import { adminStatusRoute } from '../discord/commands/admin-status-route';
import { VERSION } from '../version';
import type { AppContext } from './app-context';
import type { FeatureModule } from './feature-module';

export interface StatusServices {
  /** `/kaltura-admin status` for one server. */
  readonly status: (request: StatusRequest) => Promise<ServerStatus>;
}

export interface StatusModuleDeps {
  readonly notificationPolicyFor: NotificationPolicyLookup;
  readonly notificationStats: () => Promise<NotificationCounts>;
}

/** `/kaltura-admin status`: the same checks `doctor` runs, for one server's admins. */
export async function createStatusModule(ctx: AppContext, deps: StatusModuleDeps): Promise<FeatureModule<StatusServices>> {
  const logger = ctx.logger.child({ component: 'status' });
  const probes = createStatusProbes(ctx.config, ctx.store, logger);
  const status = createServerStatus({
    version: VERSION,
    kaltura: () => probes.kaltura(),
    ...(probes.webhookTemplates && { webhookTemplates: probes.webhookTemplates }),
    channels: ctx.botChannels,
    notificationPolicyFor: deps.notificationPolicyFor,
    liveMeetingChannels: async (guildId) => [...new Set((await ctx.store.meetings.listLive(guildId)).map((m) => m.channelId))],
    notificationStats: deps.notificationStats,
    lastRecording: async (guildId) => probes.lastRecording(guildId),
    logger,
    now: () => ctx.clock.now(),
  });
  return { name: 'status', services: { status }, interactionRoutes: [adminStatusRoute(status)], httpRoutes: [], jobs: [] };
}
