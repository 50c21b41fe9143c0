/**
 * Live meetings on Kaltura Meetings: a room (`KalturaLocationScheduleResource` tagged
 * `vcprovider:newrow`) and a session (`KalturaRecordScheduleEvent`) linked by
 * `scheduleEventResource.add`; members join through `${kafUrl}/virtualEvent/launch?ks=…`
 * with a personal USER KS carrying the event and their role.
 * Every session first gets a **template media entry** (title, description, tags, the host as
 * owner, the server's category, our meeting id as referenceId/adminTags) passed as the session's
 * `templateEntryId`: Kaltura creates each recording from it (entry::copyTemplate) with
 * rootEntryId = the template, and that is how recordings are found: `media.list`
 * `rootEntryIdEqual=<template>`, `isRoot=0`. Never by name, which anyone can copy.
 * @see https://github.com/kaltura-vpaas/virtual-meeting-rooms
 * @see https://github.com/kaltura-vpaas/kaltura-meetings-example-entry-template
 */
import type { KalturaConfig } from '../config/config-types';
import type { Logger } from '../core/logger';
import type { Clock, RandomBytes } from '../core/ports/clock';
import { MeetingOverError, type MeetingProvider } from '../core/ports/meeting-provider';
import type { AdminCall } from './admin-call';
import { toMediaEntry } from './media';
import { isEntryId, type MediaUrls } from './media-urls';
import { asList, asRecord, intField, strField } from './parse';
import { buildRoomPrivileges, discordUserId, sanitizeDisplayText } from './privileges';
import { createCompensation } from './room-compensation';
import { createRoomCleanup, roomSystemName } from './room-cleanup';
import { roomTags, sessionTags } from './room-settings';
import type { SessionManager } from './session-manager';

/** Kaltura's default `max_single_schedule_event_duration`. */
export const MAX_SESSION_SECONDS = 86_400;
/** `NullableBoolean.FALSE_VALUE`: with isRoot, only entries that have another entry as their root. */
const NOT_ROOT = 0;
/** Template tags, so the account's owners can tell these entries apart in the KMC. */
export const TEMPLATE_ADMIN_TAG = 'kaltura-discord-template';

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

/** `kaltura.interactiveTimeout` when the config does not say (a member must hear back within 15 s). */
export const DEFAULT_INTERACTIVE_TIMEOUT_MS = 10_000;

const parseId = (raw: unknown) => intField(asRecord(raw, 'object'), 'id');

export function createMeetingRooms(options: MeetingRoomsOptions): MeetingProvider {
  const { config, call, clock, logger } = options;
  const graceS = Math.floor((options.joinGraceMs ?? 15 * 60_000) / 1000);
  const kafUrl = config.kafUrl.replace(/\/+$/, '');
  const interactiveMs = config.interactiveTimeout ?? DEFAULT_INTERACTIVE_TIMEOUT_MS;
  const cleanup = createRoomCleanup({ call, clock, logger, requestTimeoutMs: config.requestTimeout });

  return {
    async createSession(input) {
      if (!Number.isInteger(input.durationMinutes) || input.durationMinutes < 1 || input.durationMinutes * 60 > MAX_SESSION_SECONDS) {
        throw new RangeError('durationMinutes must be a whole number from 1 to 1440');
      }
      // A member is waiting: every call of the creation shares one budget (`kaltura.interactiveTimeout`).
      // What a failed or timed-out start leaves behind is removed later by the core's durable
      // `discard-start` job, which finds the objects by the meeting id they carry.
      const deadline = performance.now() + interactiveMs;
      const call: AdminCall = (spec) => options.call({ ...spec, deadline });
      const ownerId = discordUserId(input.ownerDiscordId);
      const roomToken = Buffer.from(options.random(16)).toString('hex');
      const lookupKey = input.meetingId ?? roomToken;
      const title = sanitizeDisplayText(input.title, 200) || 'Discord meeting';
      const description = input.description === undefined ? undefined : input.description.slice(0, 1000);
      const startDate = Math.floor(clock.now() / 1000);
      const endDate = startDate + input.durationMinutes * 60;
      const undo = createCompensation({ call, logger, deadline });

      try {
        // First, so that the session can name it: recordings are created from it (rootEntryId).
        const templateEntryId = await undo.step('template', () =>
          call({
            service: 'media',
            action: 'add',
            kind: 'create',
            build: (s) =>
              s.media.add({
                objectType: 'KalturaMediaEntry',
                mediaType: 1, // VIDEO
                name: title,
                ...(description && { description }),
                tags: `discord,${input.kind}`,
                userId: ownerId, // copied onto every recording as its owner
                ...(input.categoryId !== undefined && { categoriesIds: String(input.categoryId) }),
                referenceId: lookupKey, // not copied to recordings; how cleanup finds the template
                adminTags: `${TEMPLATE_ADMIN_TAG},${lookupKey}`,
              }),
            parse: (raw) => strField(asRecord(raw, 'entry'), 'id'),
          }),
        );
        const resourceId = await undo.step('resource', () =>
          call({
            service: 'scheduleResource',
            action: 'add',
            kind: 'create',
            build: (s) =>
              s.scheduleResource.add({
                objectType: 'KalturaLocationScheduleResource',
                name: `${title} (${roomToken})`,
                systemName: roomSystemName(lookupKey),
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
                referenceId: lookupKey,
                ownerId,
                templateEntryId, // "the only way to apply a template to a recording" (Kaltura's sample)
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
        return { resourceId, eventId, roomToken, templateEntryId, startsAt: new Date(startDate * 1000), endsAt: new Date(endDate * 1000) };
      } catch (err) {
        await undo.rollback(err);
        throw err;
      }
    },

    endSession: (ref) => cleanup.endEvent(ref, ref.interactive ? performance.now() + interactiveMs : undefined),
    removeObject: ({ kind, id }) => cleanup.remove(kind, id),
    discardSession: ({ meetingId }) => cleanup.discard(meetingId),
    sessionStates: (eventIds) => cleanup.states(eventIds),

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

    async findRecordings({ templateEntryId }) {
      if (!isEntryId(templateEntryId)) throw new RangeError('not an entry id');
      const entries = await call({
        service: 'media',
        action: 'list',
        kind: 'read',
        build: (s) =>
          s.media.listAction(
            { objectType: 'KalturaMediaEntryFilter', rootEntryIdEqual: templateEntryId, isRoot: NOT_ROOT, statusEqual: '2', orderBy: '+createdAt' },
            { objectType: 'KalturaFilterPager', pageSize: 50, pageIndex: 1 },
          ),
        parse: (raw) => asList(raw, (item) => toMediaEntry(item, options.urls)).objects,
      });
      // the filter is the server's; check the answer anyway: only a child of the template counts
      return entries
        .filter((e) => e.rootEntryId === templateEntryId && e.id !== templateEntryId)
        .map((e) => ({ entryId: e.id, rootEntryId: templateEntryId, name: e.name, durationSeconds: e.durationSeconds, createdAt: e.createdAt, thumbnailUrl: e.thumbnailUrl, watchUrl: e.watchUrl }));
    },
  };
}
