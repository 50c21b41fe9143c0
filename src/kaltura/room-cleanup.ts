/**
 * Ending a session in Kaltura and removing what a meeting left there: the room (schedule
 * resource), the session (schedule event) and the template media entry. Every operation is
 * idempotent: an object already gone counts as done, so the durable jobs that call these can
 * be retried after a crash or a timeout without harm.
 *
 * Server facts (kaltura/server):
 * - plugins/schedule/base/services/ScheduleEventService.php: `cancelAction` only sets status
 *   CANCELLED (1); `updateAction` is partial; missing (or DELETED, excluded by
 *   ScheduleEventPeer::setDefaultCriteriaFilter) ids answer INVALID_OBJECT_ID.
 * - plugins/schedule/base/lib/api/KalturaScheduleEvent.php `validateForUpdate`: the new endDate
 *   is compared with the stored startDate (INVALID_SCHEDULE_END_BEFORE_START), so we never send
 *   an end before the start; `recurrenceType` may be omitted (it defaults to the stored one).
 * - ScheduleResourceService::deleteAction sets status DELETED (3); INVALID_OBJECT_ID when missing.
 * - api_v3/lib/KalturaEntryService.php `deleteEntry`: ENTRY_ID_NOT_FOUND when missing.
 */
import type { Clock } from '../core/ports/clock';
import type { Logger } from '../core/logger';
import type { EndSessionRef, SessionState } from '../core/ports/meeting-provider';
import type { AdminCall } from './admin-call';
import { isApiError } from './errors';
import { asList, asRecord, intField, ignoreResult, optStr } from './parse';

/** "Not there (any more)" for each kind of object. */
const GONE = { event: ['INVALID_OBJECT_ID'], resource: ['INVALID_OBJECT_ID'], entry: ['ENTRY_ID_NOT_FOUND'] } as const;
/** Every entry status but DELETED (3): media.list lists READY entries only unless told otherwise. */
const ANY_LIVE_ENTRY_STATUS = '-2,-1,0,1,2,4,5,6,7';
/**
 * Every moderation status but DELETED (4): without one, media.list hides entries PENDING_MODERATION (1)
 * and REJECTED (3) (KalturaBaseEntryFilter::setDefaultModerationStatus), and on an account that
 * moderates content every new entry starts PENDING (entry::setDefaultModerationStatus).
 */
const ANY_MODERATION_STATUS = '1,2,3,5,6';
const PAGE = 50;
/** Largest `idIn` batch for the cancellation check (the pager's maximum page is 500). */
export const STATE_BATCH = 100;

const toState = (status: number): SessionState => (status === 1 ? 'cancelled' : status === 3 ? 'deleted' : 'active');

/** The room's systemName: unique per meeting, so a start that timed out can find its room. */
export const roomSystemName = (key: string): string => `discord_${key}`;

export interface RoomCleanup {
  endEvent(ref: EndSessionRef, deadline?: number): Promise<void>;
  remove(kind: 'resource' | 'entry' | 'event', id: string, deadline?: number): Promise<void>;
  discard(meetingId: string): Promise<number>;
  states(eventIds: readonly number[]): Promise<Map<number, SessionState>>;
}

export function createRoomCleanup(deps: { call: AdminCall; clock: Clock; logger: Logger; requestTimeoutMs: number }): RoomCleanup {
  const { clock, logger } = deps;
  // Background work (the reconciler's jobs) gets one request timeout per call, retries included,
  // so a hanging Kaltura holds a reconcile pass for one timeout, not three.
  const call: AdminCall = (spec) => deps.call({ deadline: performance.now() + deps.requestTimeoutMs, ...spec });
  const withDeadline = (deadline?: number) => (deadline === undefined ? {} : { deadline });

  async function gone(kind: 'resource' | 'entry' | 'event', id: string, run: () => Promise<unknown>): Promise<boolean> {
    try {
      await run();
      return false;
    } catch (err) {
      if (!isApiError(err, ...GONE[kind])) throw err;
      logger.debug({ kind, id }, 'already gone from Kaltura');
      return true;
    }
  }

  async function remove(kind: 'resource' | 'entry' | 'event', id: string, deadline?: number): Promise<void> {
    const numeric = Number(id);
    if (kind !== 'entry' && !Number.isSafeInteger(numeric)) throw new RangeError(`not a ${kind} id`);
    const wasGone = await gone(kind, id, () =>
      kind === 'entry'
        ? call({ service: 'media', action: 'delete', kind: 'idempotent', build: (s) => s.media.deleteAction(id), parse: ignoreResult, ...withDeadline(deadline) })
        : kind === 'resource'
          ? call({ service: 'scheduleResource', action: 'delete', kind: 'idempotent', build: (s) => s.scheduleResource.deleteAction(numeric), parse: ignoreResult, ...withDeadline(deadline) })
          : call({ service: 'scheduleEvent', action: 'delete', kind: 'idempotent', build: (s) => s.scheduleEvent.deleteAction(numeric), parse: ignoreResult, ...withDeadline(deadline) }),
    );
    if (!wasGone) logger.info({ kind, id }, 'removed from Kaltura');
  }

  async function listIds(service: 'scheduleEvent' | 'scheduleResource' | 'media', filter: { objectType: string; [key: string]: unknown }, keep: (o: Record<string, unknown>) => boolean = () => true): Promise<string[]> {
    const pager = { objectType: 'KalturaFilterPager', pageSize: PAGE, pageIndex: 1 };
    const parse = (raw: unknown) =>
      asList(raw, (o) => asRecord(o, 'object'))
        .objects.filter((o) => keep(o))
        .map((o) => (service === 'media' ? String(o['id']) : String(intField(o, 'id'))));
    return call({
      service,
      action: 'list',
      kind: 'read',
      build: (s) => (service === 'media' ? s.media.listAction(filter, pager) : service === 'scheduleEvent' ? s.scheduleEvent.listAction(filter, pager) : s.scheduleResource.listAction(filter, pager)),
      parse,
    });
  }

  return {
    async endEvent({ eventId, startsAt, endsAt, endedAt }, deadline) {
      const targetS = Math.floor((endedAt?.getTime() ?? clock.now()) / 1000);
      const startS = startsAt === undefined ? undefined : Math.floor(startsAt.getTime() / 1000);
      const endS = endsAt === undefined ? undefined : Math.floor(endsAt.getTime() / 1000);
      // Shorten only: never lengthen an event already over, never end before its start (the server refuses that).
      const shortenTo = endS !== undefined && endS <= targetS ? undefined : Math.max(targetS, startS ?? targetS);
      if (shortenTo !== undefined) {
        const wasGone = await gone('event', String(eventId), () =>
          call({
            service: 'scheduleEvent',
            action: 'update',
            kind: 'idempotent',
            // objectType names the concrete class (KalturaScheduleEvent is abstract); only endDate changes
            build: (s) => s.scheduleEvent.update(eventId, { objectType: 'KalturaRecordScheduleEvent', endDate: shortenTo }),
            parse: (raw) => asRecord(raw, 'schedule event'),
            ...withDeadline(deadline),
          }),
        );
        if (wasGone) return;
      }
      const wasGone = await gone('event', String(eventId), () =>
        call({ service: 'scheduleEvent', action: 'cancel', kind: 'idempotent', build: (s) => s.scheduleEvent.cancel(eventId), parse: ignoreResult, ...withDeadline(deadline) }),
      );
      if (!wasGone) logger.info({ eventId, endDate: shortenTo }, 'meeting session ended in Kaltura (shortened and cancelled)');
    },

    remove,

    async discard(meetingId) {
      const events = await listIds('scheduleEvent', { objectType: 'KalturaRecordScheduleEventFilter', referenceIdEqual: meetingId });
      const rooms = await listIds('scheduleResource', { objectType: 'KalturaScheduleResourceFilter', systemNameEqual: roomSystemName(meetingId) });
      // Recordings copy the template's fields but carry `templateEntryId`; only the template itself goes.
      const entries = await listIds('media', { objectType: 'KalturaMediaEntryFilter', referenceIdEqual: meetingId, statusIn: ANY_LIVE_ENTRY_STATUS, moderationStatusIn: ANY_MODERATION_STATUS }, (o) => optStr(o, 'templateEntryId') === undefined);
      for (const id of events) await remove('event', id);
      for (const id of rooms) await remove('resource', id);
      for (const id of entries) await remove('entry', id);
      const found = events.length + rooms.length + entries.length;
      if (found > 0) logger.info({ meetingId, events: events.length, rooms: rooms.length, entries: entries.length }, 'removed what a failed start left in Kaltura');
      return found;
    },

    async states(eventIds) {
      const states = new Map<number, SessionState>();
      for (let i = 0; i < eventIds.length; i += STATE_BATCH) {
        const batch = eventIds.slice(i, i + STATE_BATCH);
        const found = await call({
          service: 'scheduleEvent',
          action: 'list',
          kind: 'read',
          build: (s) =>
            s.scheduleEvent.listAction(
              { objectType: 'KalturaScheduleEventFilter', idIn: batch.join(',') },
              { objectType: 'KalturaFilterPager', pageSize: STATE_BATCH, pageIndex: 1 },
            ),
          parse: (raw) => asList(raw, (o) => { const r = asRecord(o, 'schedule event'); return [intField(r, 'id'), intField(r, 'status')] as const; }).objects,
        });
        for (const [id, status] of found) states.set(id, toState(status));
      }
      // Not listed means deleted, but a wrong "deleted" would end a live meeting, and lists come from
      // the Sphinx index (plugins/schedule/sphinx), which can lag a new event: confirm each one with get.
      for (const id of eventIds.filter((e) => !states.has(e))) {
        try {
          const status = await call({ service: 'scheduleEvent', action: 'get', kind: 'read', build: (s) => s.scheduleEvent.get(id), parse: (raw) => intField(asRecord(raw, 'schedule event'), 'status') });
          states.set(id, toState(status));
        } catch (err) {
          if (!isApiError(err, ...GONE.event)) throw err;
          states.set(id, 'deleted');
        }
      }
      return states;
    },
  };
}
