/**
 * Live meetings on Kaltura Meetings: a room (`KalturaLocationScheduleResource` tagged
 * `vcprovider:newrow`) and a session (`KalturaRecordScheduleEvent`) linked by
 * `scheduleEventResource.add`; members join through `${kafUrl}/virtualEvent/launch?ks=…`
 * with a personal USER KS carrying the event and their role.
 * Every session gets its own room whose name and systemName carry a random token; the
 * recording's name contains the room name, which is how recordings are found again.
 * @see https://github.com/kaltura-vpaas/virtual-meeting-rooms
 */
import type { KalturaConfig } from '../config/config-types';
import type { Logger } from '../core/logger';
import type { Clock, RandomBytes } from '../core/ports/clock';
import { MeetingOverError, type MeetingProvider } from '../core/ports/meeting-provider';
import type { AdminCall } from './admin-call';
import { isApiError } from './errors';
import { toMediaEntry } from './media';
import type { MediaUrls } from './media-urls';
import { asList, asRecord, intField } from './parse';
import { buildRoomPrivileges, discordUserId, sanitizeDisplayText } from './privileges';
import { createCompensation } from './room-compensation';
import { roomTags, sessionTags } from './room-settings';
import type { SessionManager } from './session-manager';

/** Kaltura's default `max_single_schedule_event_duration`. */
export const MAX_SESSION_SECONDS = 86_400;
const ROOM_TOKEN = /^[0-9a-f]{32}$/;

export interface MeetingRoomsOptions {
  readonly config: KalturaConfig;
  readonly call: AdminCall;
  readonly sessions: SessionManager;
  readonly urls: MediaUrls;
  readonly clock: Clock;
  readonly random: RandomBytes;
  readonly logger: Logger;
  /** How long a join link keeps working after the scheduled end; default 15 min. */
  readonly joinGraceMs?: number;
}

const parseId = (raw: unknown) => intField(asRecord(raw, 'object'), 'id');

export function createMeetingRooms(options: MeetingRoomsOptions): MeetingProvider {
  const { config, call, clock, logger } = options;
  const graceS = Math.floor((options.joinGraceMs ?? 15 * 60_000) / 1000);
  const kafUrl = config.kafUrl.replace(/\/+$/, '');

  return {
    async createSession(input) {
      if (!Number.isInteger(input.durationMinutes) || input.durationMinutes < 1 || input.durationMinutes * 60 > MAX_SESSION_SECONDS) {
        throw new RangeError('durationMinutes must be a whole number from 1 to 1440');
      }
      const ownerId = discordUserId(input.ownerDiscordId);
      const roomToken = Buffer.from(options.random(16)).toString('hex');
      const title = sanitizeDisplayText(input.title, 200) || 'Discord meeting';
      const description = input.description === undefined ? undefined : input.description.slice(0, 1000);
      const startDate = Math.floor(clock.now() / 1000);
      const endDate = startDate + input.durationMinutes * 60;
      const undo = createCompensation({ call, logger, roomToken });

      try {
        const resourceId = await undo.step('resource', () =>
          call({
            service: 'scheduleResource',
            action: 'add',
            kind: 'create',
            build: (s) =>
              s.scheduleResource.add({
                objectType: 'KalturaLocationScheduleResource',
                name: `${title} (${roomToken})`,
                systemName: `discord_${roomToken}`,
                ...(description && { description }),
                tags: roomTags(input.kind, input.record, config.recordingCategoryId),
              }),
            parse: parseId,
          }),
        );
        const eventId = await undo.step('event', () =>
          call({
            service: 'scheduleEvent',
            action: 'add',
            kind: 'create',
            build: (s) =>
              s.scheduleEvent.add({
                objectType: 'KalturaRecordScheduleEvent',
                summary: title,
                ...(description && { description }),
                startDate,
                endDate,
                recurrenceType: 0, // NONE
                referenceId: roomToken,
                ownerId, // owns the recording
                tags: sessionTags(input.kind, input.record).join(','),
              }),
            parse: parseId,
          }),
        );
        await undo.step('link', () =>
          call({
            service: 'scheduleEventResource',
            action: 'add',
            kind: 'create',
            build: (s) => s.scheduleEventResource.add({ objectType: 'KalturaScheduleEventResource', eventId, resourceId }),
            parse: (raw) => asRecord(raw, 'link'),
          }),
        );
        logger.info({ resourceId, eventId, kind: input.kind }, 'meeting session created');
        return { resourceId, eventId, roomToken, startsAt: new Date(startDate * 1000), endsAt: new Date(endDate * 1000) };
      } catch (err) {
        await undo.rollback(err);
        throw err;
      }
    },

    async endSession({ eventId }) {
      try {
        await call({
          service: 'scheduleEvent',
          action: 'cancel',
          kind: 'idempotent',
          build: (s) => s.scheduleEvent.cancel(eventId),
          parse: () => undefined,
        });
        logger.info({ eventId }, 'meeting session cancelled');
      } catch (err) {
        if (!isApiError(err, 'INVALID_OBJECT_ID')) throw err;
        logger.debug({ eventId }, 'meeting session to end does not exist');
      }
    },

    async joinUrl({ eventId, endsAt, member, role }) {
      const nowS = Math.floor(clock.now() / 1000);
      const lastUsable = Math.floor(endsAt.getTime() / 1000) + graceS;
      if (lastUsable <= nowS) throw new MeetingOverError(eventId);
      const ks = await options.sessions.userKs({
        userId: discordUserId(member.discordId), // unique per person: a second join with one id kicks out the first
        privileges: buildRoomPrivileges({ eventId, role, displayName: member.displayName }),
        expiresAt: Math.min(lastUsable, nowS + MAX_SESSION_SECONDS),
      });
      return `${kafUrl}/virtualEvent/launch?ks=${encodeURIComponent(ks)}`;
    },

    async findRecordings({ roomToken }) {
      if (!ROOM_TOKEN.test(roomToken)) throw new RangeError('not a room token');
      const entries = await call({
        service: 'media',
        action: 'list',
        kind: 'read',
        build: (s) =>
          s.media.listAction(
            { objectType: 'KalturaMediaEntryFilter', nameLike: roomToken, statusEqual: '2', orderBy: '-createdAt' },
            { objectType: 'KalturaFilterPager', pageSize: 50, pageIndex: 1 },
          ),
        parse: (raw) => asList(raw, (item) => toMediaEntry(item, options.urls)).objects,
      });
      // nameLike is a word match on the server; keep only names that really carry the token
      return entries
        .filter((e) => e.name.includes(roomToken))
        .map((e) => ({ entryId: e.id, name: e.name, durationSeconds: e.durationSeconds, createdAt: e.createdAt, thumbnailUrl: e.thumbnailUrl, watchUrl: e.watchUrl }));
    },
  };
}
