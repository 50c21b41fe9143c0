import { createMediaService } from '../core/media/create-media-service';
import type { MediaService } from '../core/media/media-service';
import type { MeetingService } from '../core/meetings/meeting-service';
import type { GuildCategories } from '../core/ports/guild-categories';
import { searchRoute } from '../discord/commands/search-route';
import { shareButtonRoute, shareCommandRoute } from '../discord/commands/share-route';
import { togetherButtonRoute } from '../discord/commands/together-route';
import { watchButtonRoute } from '../discord/commands/watch-button-route';
import { createDiscordVideoCards, type VideoCards } from '../discord/discord-video-cards';
import type { InteractionRoute } from '../discord/interactions/interaction-route';
import type { SyncSocket } from '../http/sync-socket';
import { watchRoutes } from '../http/watch-routes';
import type { AppContext } from './app-context';
import type { FeatureModule } from './feature-module';

/** `/kaltura search|share`, the Share / Watch / Watch together buttons. */
export const mediaInteractionRoutes: readonly InteractionRoute[] = [searchRoute, shareCommandRoute, shareButtonRoute, watchButtonRoute, togetherButtonRoute];

export interface MediaServices {
  readonly media: MediaService;
  /** Posts `/kaltura share`'s public card. */
  readonly videoCards: VideoCards;
  /** The Activity's sync WebSocket (the HTTP server's upgrade hook); absent when the Activity is off. */
  readonly syncSocket?: SyncSocket;
}

export interface MediaModuleDeps {
  readonly meetings: MeetingService;
  readonly categories: GuildCategories;
}

/**
 * The video library and Watch together: search and share, `/v/<token>` watch links, and (only when
 * `discord.clientSecret` is set) the Activity's files, API and sync socket under `/activity`.
 */
export async function createMediaModule(ctx: AppContext, deps: MediaModuleDeps): Promise<FeatureModule<MediaServices>> {
  const { config, logger, clock } = ctx;
  // Loaded only when the Activity is configured: most installations do not serve it.
  const platform = ctx.activityEnabled ? (await import('../discord/activity-platform')).createDiscordActivityPlatform(config.discord, { signal: ctx.signal }) : undefined;
  const media = createMediaService({
    store: ctx.store,
    library: ctx.kaltura.media,
    categories: deps.categories,
    access: ctx.channelAccess,
    meetings: deps.meetings,
    ...(platform && { platform }),
    links: { secret: config.links.secret, ttlMs: config.links.ttl, publicUrl: config.http.publicUrl },
    clock,
    logger: logger.child({ component: 'media' }),
  });
  // Several instances share PostgreSQL: a watch party's room is served only by the instance holding its
  // lock, so a wrong route is refused (and retried) instead of silently splitting the party in two rooms.
  const roomOwnership =
    ctx.activityEnabled && config.storage.driver === 'postgres'
      ? await (await import('../store/postgres/pg-room-ownership')).createPgRoomOwnership({ url: config.storage.url!, instanceId: ctx.leadership.instanceId, logger: logger.child({ component: 'sync' }) })
      : undefined;
  const activity = ctx.activityEnabled
    ? (await import('../http/activity-server')).createActivityServer({
        activity: media.activity,
        applicationId: config.discord.applicationId,
        sessionNow: () => clock.now(),
        cdnUrl: config.kaltura.cdnUrl ?? 'https://cdnapisec.kaltura.com',
        ...(config.activity && { mediaMappings: config.activity.mediaMappings }),
        ...(roomOwnership && { roomOwnership }),
        logger,
      })
    : undefined;
  return {
    name: 'media',
    services: { media, videoCards: createDiscordVideoCards(ctx.rest), ...(activity && { syncSocket: activity.socket }) },
    interactionRoutes: mediaInteractionRoutes,
    httpRoutes: [
      watchRoutes({ redeem: (token) => media.redeemWatchLink(token), logger: logger.child({ component: 'watch' }), linkTtlMs: config.links.ttl }),
      ...(activity ? [activity.routes] : []),
    ],
    // Not a timer: stopping it (after the HTTP server closed its sockets) releases this instance's rooms.
    jobs: roomOwnership ? [{ name: 'sync-room-ownership', leaderOnly: false, start: () => undefined, stop: () => roomOwnership.close() }] : [],
  };
}
