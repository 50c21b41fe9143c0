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
  const activity = ctx.activityEnabled
    ? (await import('../http/activity-server')).createActivityServer({
        activity: media.activity,
        applicationId: config.discord.applicationId,
        sessionNow: () => clock.now(),
        cdnUrl: config.kaltura.cdnUrl ?? 'https://cdnapisec.kaltura.com',
        ...(config.activity && { mediaMappings: config.activity.mediaMappings }),
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
    jobs: [],
  };
}
