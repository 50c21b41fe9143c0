import { requireNotNull, validateText } from '../action-params';
import { apiError } from '../api-error';
import { ERR } from '../error-catalog';
import type { FakeState } from '../fake-state';
import { toNumber } from '../list-query';
import { isPlainObject, type Params } from '../request-params';
import type { ScheduleEventRecord } from '../types';

/**
 * Validation of KalturaScheduleEvent, in the order of the server's validateForInsert /
 * validateForUpdate (plugins/schedule/.../KalturaScheduleEvent.php).
 */

/** `max_single_schedule_event_duration` default. */
export const MAX_SINGLE_EVENT_DURATION = 86400;
const RECURRENCE = 2;
const RECURRING = 1;

export interface EventTiming {
  startDate: number;
  endDate: number;
  duration?: number;
}

function checkDates(recurrenceType: number | undefined, start: number, end: number): void {
  if (recurrenceType === RECURRENCE) {
    throw apiError(ERR.INVALID_ENUM_VALUE, RECURRENCE, 'recurrenceType', 'KalturaScheduleEventRecurrenceType');
  }
  if (start > end) throw apiError(ERR.INVALID_SCHEDULE_END_BEFORE_START, start, end);
}

/** Start and end of a `linkedTo` event: the linked event's end plus the offset, then `duration`. */
function linkedTiming(state: FakeState, input: Params, objectType: string): EventTiming {
  const linkedTo = isPlainObject(input.linkedTo) ? input.linkedTo : {};
  requireNotNull(input, objectType, 'duration');
  const linked = state.store.events.get(toNumber(linkedTo.eventId) ?? NaN);
  if (!linked) throw apiError(ERR.LINKED_TO_EVENT_NOT_FOUND_OR_NOT_ACCESSIBLE);
  const startDate = linked.endDate + (toNumber(linkedTo.offset) ?? 0);
  return { startDate, endDate: startDate + (toNumber(input.duration) ?? 0) };
}

export function validateEventForInsert(state: FakeState, input: Params, objectType: string): EventTiming {
  requireNotNull(input, objectType, 'recurrenceType');
  requireNotNull(input, objectType, 'summary');
  const hasStart = input.startDate !== undefined && input.startDate !== null;
  const hasLink = input.linkedTo !== undefined && input.linkedTo !== null;
  if (!hasStart && !hasLink) throw apiError(ERR.START_TIME_AND_LINKED_TO_NOT_SET);
  if (hasStart && hasLink) throw apiError(ERR.START_TIME_AND_LINKED_TO_CONFLICT);
  const recurrenceType = toNumber(input.recurrenceType);
  if (hasLink && recurrenceType !== 0) throw apiError(ERR.RECURRENCE_LINKED_EVENT_CONFLICT);
  if (recurrenceType === RECURRING) requireNotNull(input, objectType, 'recurrence');
  if (hasStart) requireNotNull(input, objectType, 'endDate');
  const timing = hasLink
    ? linkedTiming(state, input, objectType)
    : { startDate: toNumber(input.startDate) ?? 0, endDate: toNumber(input.endDate) ?? 0 };
  checkDates(recurrenceType, timing.startDate, timing.endDate);
  if (timing.endDate - timing.startDate > MAX_SINGLE_EVENT_DURATION) {
    throw apiError(ERR.MAX_SCHEDULE_DURATION_REACHED, MAX_SINGLE_EVENT_DURATION);
  }
  validateText(input, objectType, 'summary', { min: 1, max: 256 });
  return { ...timing, duration: timing.endDate - timing.startDate };
}

/**
 * Partial update: dates default to the stored ones; a `duration` must agree with an `endDate`
 * sent alongside it, and otherwise sets the end; the 24 h single-event limit still applies.
 */
export function validateEventForUpdate(input: Params, current: ScheduleEventRecord): EventTiming {
  // KalturaScheduleEvent::validateForUpdate: an explicit null endDate is refused
  if (input.endDate === null) throw apiError(ERR.PROPERTY_VALIDATION_CANNOT_BE_NULL, `${current.objectType}::endDate`);
  // KalturaScheduleEvent::validateScheduleEventType: a single event cannot become a recurrence
  const target = toNumber(input.recurrenceType);
  const source = toNumber(current.recurrenceType);
  if (target !== undefined && ((source === RECURRENCE && target !== RECURRENCE) || (source !== RECURRENCE && target === RECURRENCE))) {
    throw apiError(ERR.SCHEDULE_EVENT_TYPE_CANT_BE_UPDATED, source ?? 0, target);
  }
  const startDate = toNumber(input.startDate) || current.startDate;
  let endDate = toNumber(input.endDate) || current.endDate;
  checkDates(toNumber(input.recurrenceType), startDate, endDate);
  const duration = toNumber(input.duration);
  if (duration !== undefined) {
    if (input.endDate !== undefined && startDate + duration !== endDate) throw apiError(ERR.MAX_SCHEDULE_DURATION_MUST_MATCH_END_TIME);
    endDate = startDate + duration;
  }
  if (endDate - startDate > MAX_SINGLE_EVENT_DURATION) throw apiError(ERR.MAX_SCHEDULE_DURATION_REACHED, MAX_SINGLE_EVENT_DURATION);
  validateText(input, current.objectType, 'summary', { min: 1, max: 256 });
  return { startDate, endDate, duration: endDate - startDate };
}
