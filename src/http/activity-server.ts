/**
 * Watch together's server side on the bot's HTTP server: the `/activity` routes (client files and
 * JSON API) and the sync WebSocket with its rooms. Built by the composition root only when the
 * Activity is configured (`discord.clientSecret`); the rooms' clock is the one the socket stamps.
 */
import type { Logger } from '../core/logger';
import type { ActivityService } from '../core/media/media-service';
import type { RoomOwnership } from '../core/watch/room-ownership';
import { createSyncRooms } from '../core/watch/sync-rooms';
import { loadActivityFiles } from './activity-files';
import { activityRoutes, type ActivityFile } from './activity-routes';
import { activityMediaMappings, type ActivityUrlMapping } from './activity-url-mappings';
import type { RouteGroup } from './create-http-app';
import { createSyncSocket, type SyncSocket } from './sync-socket';

export interface ActivityServerOptions {
  readonly activity: ActivityService;
  /** The Discord application id, filled into the client's index.html. */
  readonly applicationId: string;
  /** `kaltura.cdnUrl` (the `/kaltura-cdn` mapping). */
  readonly cdnUrl: string;
  /** `activity.mediaMappings`. */
  readonly mediaMappings?: readonly ActivityUrlMapping[];
  readonly logger: Logger;
  /** The clock sessions are verified by (the app's); default Date.now. */
  readonly sessionNow?: () => number;
  /** Tests: the client's files instead of the build. */
  readonly files?: ReadonlyMap<string, ActivityFile>;
  /** Several instances (PostgreSQL): which instance serves each watch party. Default: all rooms are ours. */
  readonly roomOwnership?: RoomOwnership;
}

export interface ActivityServer {
  readonly routes: RouteGroup;
  /** The upgrade hook for startHttpServer; closing the server closes its sockets. */
  readonly socket: SyncSocket;
}

export function createActivityServer(options: ActivityServerOptions): ActivityServer {
  const logger = options.logger.child({ component: 'activity' });
  const now = () => performance.timeOrigin + performance.now();
  const ownership = options.roomOwnership;
  const rooms = createSyncRooms({ log: logger.child({ component: 'sync' }), now, ...(ownership && { onRoomClosed: (id: string) => ownership.release(id) }) });
  return {
    routes: activityRoutes({
      api: options.activity,
      mappings: activityMediaMappings(options.cdnUrl, options.mediaMappings),
      files: options.files ?? loadActivityFiles(options.applicationId, logger),
      logger,
    }),
    socket: createSyncSocket({ rooms, now, logger: logger.child({ component: 'sync' }), verifySession: (token) => options.activity.verifySession(token), ...(options.sessionNow && { sessionNow: options.sessionNow }), ...(ownership && { ownership }) }),
  };
}
