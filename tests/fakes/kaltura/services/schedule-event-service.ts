import { concreteObjectType, optionalObject, requiredId, requiredObject, writableFields } from '../action-params';
import { apiError } from '../api-error';
import { ERR } from '../error-catalog';
import type { FakeState } from '../fake-state';
import { applyPager, inRange, likeMatch, multiLike, sortByOrder, splitCsv, toNumber, toText } from '../list-query';
import type { Params } from '../request-params';
import { requireKs, type ActionContext, type ServiceDefinition } from '../service-definition';
import type { ScheduleEventRecord } from '../types';
import { listResponse } from '../wire-format';
import { validateEventForInsert, validateEventForUpdate } from './schedule-event-rules';

/**
 * schedule_scheduleevent (§2.1, §2.5, §7.9). Status: 1 CANCELLED, 2 ACTIVE, 3 DELETED.
 * kaltura/server: plugins/schedule/base/services/ScheduleEventService.php — `cancelAction` only
 * sets status CANCELLED (the event keeps its dates, so an auto-recording would run to endDate);
 * `deleteAction` sets DELETED; `updateAction` is partial (KalturaScheduleEvent::validateForUpdate).
 * ScheduleEventPeer::setDefaultCriteriaFilter hides DELETED events from get/update/cancel/delete
 * (INVALID_OBJECT_ID) and from every list, whatever status filter is asked for.
 */

const TYPES = {
  abstract: ['KalturaScheduleEvent', 'KalturaEntryScheduleEvent'] as const,
  accepted: [
    'KalturaRecordScheduleEvent',
    'KalturaLiveStreamScheduleEvent',
    'KalturaMeetingScheduleEvent',
    'KalturaBlackoutScheduleEvent',
    'KalturaVodScheduleEvent',
    'KalturaLiveRedirectScheduleEvent',
  ],
};
const READ_ONLY = ['id', 'partnerId', 'parentId', 'status', 'createdAt', 'updatedAt', 'blackoutConflicts'];
const FILTER_TYPES: Record<string, string> = {
  KalturaRecordScheduleEventFilter: 'KalturaRecordScheduleEvent',
  KalturaLiveStreamScheduleEventFilter: 'KalturaLiveStreamScheduleEvent',
  KalturaMeetingScheduleEventFilter: 'KalturaMeetingScheduleEvent',
  KalturaBlackoutScheduleEventFilter: 'KalturaBlackoutScheduleEvent',
};

export function findEvent(state: FakeState, id: number | string): ScheduleEventRecord {
  const event = typeof id === 'number' ? state.store.events.get(id) : undefined;
  if (!event || event.status === 3) throw apiError(ERR.INVALID_OBJECT_ID, id);
  return event;
}

/** Subclass (KalturaEntryScheduleEvent) fields first, then KalturaScheduleEvent's declared order. */
function ordered(e: ScheduleEventRecord): ScheduleEventRecord {
  const { templateEntryId, entryIds, categoryIds, id, partnerId, parentId, summary, description, status, startDate, endDate,
    referenceId, linkedTo, linkedBy, classificationType, geoLatitude, geoLongitude, location, organizer, ownerId, priority,
    sequence, recurrenceType, duration, contact, comment, tags, createdAt, updatedAt, recurrence, objectType, ...extra } = e;
  return { templateEntryId, entryIds, categoryIds, ...extra, id, partnerId, parentId, summary, description, status, startDate,
    endDate, referenceId, linkedTo, linkedBy, classificationType, geoLatitude, geoLongitude, location, organizer, ownerId,
    priority, sequence, recurrenceType, duration, contact, comment, tags, createdAt, updatedAt, recurrence, objectType };
}

function add(params: Params, ctx: ActionContext): ScheduleEventRecord {
  const { state } = ctx;
  const input = requiredObject(params, 'scheduleEvent');
  const objectType = concreteObjectType(input, TYPES);
  const timing = validateEventForInsert(state, input, objectType);
  checkTemplateTime(state, input, timing);
  const now = state.now();
  const owner = requireKs(ctx).userId;
  const record = ordered({
    classificationType: 1,
    sequence: 1,
    ...(owner !== '' ? { ownerId: owner } : {}),
    ...writableFields(input, READ_ONLY),
    ...timing,
    id: state.nextId('event'),
    partnerId: state.partnerId,
    summary: toText(input.summary) ?? '',
    status: 2,
    createdAt: now,
    updatedAt: now,
    objectType,
  });
  state.store.events.set(record.id, record);
  return record;
}

/**
 * KalturaEntryScheduleEvent::validate (plugins/schedule/base/lib/api/KalturaEntryScheduleEvent.php):
 * a non-recurring event whose templateEntryId another event already uses at an overlapping time
 * is refused with SCHEDULE_TIME_IN_USE (ScheduleEventPeer::retrieveOtherEvents; deleted events
 * are outside the peer's default criteria, cancelled ones are not).
 */
function checkTemplateTime(state: FakeState, input: Params, timing: { startDate: number; endDate: number }, selfId?: number): void {
  const templateEntryId = toText(input.templateEntryId);
  if (!templateEntryId || toNumber(input.recurrenceType) !== 0) return;
  const { startDate: start, endDate: end } = timing;
  const clash = [...state.store.events.values()].some(
    (e) =>
      e.id !== selfId &&
      e.status !== 3 &&
      e.templateEntryId === templateEntryId &&
      ((e.startDate < start && e.endDate > start) || (e.startDate < end && e.endDate > end) || (e.startDate >= start && e.endDate <= end)),
  );
  if (clash) throw apiError(ERR.SCHEDULE_TIME_IN_USE);
}

function update(params: Params, { state }: ActionContext): ScheduleEventRecord {
  const current = findEvent(state, requiredId(params, 'scheduleEventId'));
  const input = requiredObject(params, 'scheduleEvent');
  const timing = validateEventForUpdate(input, current);
  // validateForUpdate takes templateEntryId from the stored event; recurrenceType only as sent (a
  // partial update without it skips the check: `$this->recurrenceType === NONE` is false for null)
  checkTemplateTime(state, { templateEntryId: input.templateEntryId ?? current.templateEntryId, recurrenceType: input.recurrenceType }, timing, current.id);
  const sent = toNumber(input.sequence);
  const sequence = sent === undefined || sent <= current.sequence ? current.sequence + 1 : sent;
  const record = ordered({ ...current, ...writableFields(input, READ_ONLY), ...timing, sequence, updatedAt: state.now() });
  state.store.events.set(record.id, record);
  return record;
}

function setStatus(status: 1 | 3) {
  return (params: Params, { state }: ActionContext): ScheduleEventRecord => {
    const event = findEvent(state, requiredId(params, 'scheduleEventId'));
    event.status = status;
    event.updatedAt = state.now();
    return event;
  };
}

function list(params: Params, { state }: ActionContext): Record<string, unknown> {
  const f = optionalObject(params, 'filter');
  const onlyType = FILTER_TYPES[toText(f.objectType) ?? ''];
  const ids = splitCsv(f.idIn).map(Number);
  const statuses = splitCsv(f.statusIn).map(Number);
  const resourceIds = [...splitCsv(f.resourceIdEqual), ...splitCsv(f.resourceIdsLike), ...splitCsv(f.resourceIdsMultiLikeOr)].map(Number);
  const linked = (eventId: number): boolean =>
    state.store.eventResources.some((l) => l.eventId === eventId && resourceIds.includes(l.resourceId));
  const matches = [...state.store.events.values()].filter(
    (e) =>
      (!onlyType || e.objectType === onlyType) &&
      e.status !== 3 && // ScheduleEventPeer default criteria: STATUS != DELETED, always
      (f.idEqual === undefined || e.id === toNumber(f.idEqual)) &&
      (ids.length === 0 || ids.includes(e.id)) &&
      (f.statusEqual === undefined || e.status === toNumber(f.statusEqual)) &&
      (statuses.length === 0 || statuses.includes(e.status)) &&
      (resourceIds.length === 0 || linked(e.id)) &&
      (f.referenceIdEqual === undefined || e.referenceId === toText(f.referenceIdEqual)) &&
      (f.referenceIdIn === undefined || splitCsv(f.referenceIdIn).includes(e.referenceId ?? '')) &&
      (f.ownerIdEqual === undefined || e.ownerId === toText(f.ownerIdEqual)) &&
      (f.templateEntryIdEqual === undefined || e.templateEntryId === toText(f.templateEntryIdEqual)) &&
      (f.tagsLike === undefined || likeMatch(e.tags, toText(f.tagsLike) ?? '')) &&
      (f.tagsMultiLikeOr === undefined || multiLike(e.tags, f.tagsMultiLikeOr, 'or')) &&
      inRange(e.startDate, f, 'startDate') &&
      inRange(e.endDate, f, 'endDate') &&
      inRange(e.createdAt, f, 'createdAt'),
  );
  const sorted = sortByOrder(matches, f.orderBy, {
    startDate: (e) => e.startDate,
    endDate: (e) => e.endDate,
    createdAt: (e) => e.createdAt,
    updatedAt: (e) => e.updatedAt,
    summary: (e) => e.summary,
  });
  return listResponse('KalturaScheduleEventListResponse', applyPager(sorted, params.pager), matches.length);
}

/**
 * Whether the room of this event records right now: `custom_rec_auto_start` records "as long as
 * the event" (§2.2, virtual-meeting-rooms guide), so recording stops at endDate. A cancelled or
 * deleted event is taken as not recording (stricter reading: the guide does not say; shortening
 * endDate is the documented way to stop it, and the bot does both).
 */
export function isRecordingNow(state: FakeState, eventId: number): boolean {
  const event = state.store.events.get(eventId);
  if (!event || event.status !== 2) return false;
  const autoStart = /(^|,)\s*custom_rec_auto_start:(1|on)\s*(,|$)/.test(event.tags ?? '');
  const now = state.now();
  return autoStart && event.startDate <= now && now < event.endDate;
}

export const scheduleEventService: ServiceDefinition = {
  id: 'schedule_scheduleevent',
  actions: [
    { name: 'add', auth: 'admin', run: add },
    { name: 'get', auth: 'admin', run: (params, { state }) => findEvent(state, requiredId(params, 'scheduleEventId')) },
    { name: 'update', auth: 'admin', run: update },
    { name: 'cancel', auth: 'admin', run: setStatus(1) },
    { name: 'delete', auth: 'admin', run: setStatus(3) },
    { name: 'list', auth: 'admin', run: list },
  ],
};
