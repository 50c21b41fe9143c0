import { optionalObject, requiredId, requiredObject } from '../action-params';
import { apiError } from '../api-error';
import { ERR } from '../error-catalog';
import type { FakeState } from '../fake-state';
import { applyPager, splitCsv, toNumber } from '../list-query';
import type { Params } from '../request-params';
import type { ActionContext, ServiceDefinition } from '../service-definition';
import type { ScheduleEventResourceRecord } from '../types';
import { listResponse } from '../wire-format';

/** schedule_scheduleeventresource (§7.10): the link between a session (event) and a room (resource). */

const OBJECT_TYPE = 'KalturaScheduleEventResource';

/**
 * An int property of the link. Values arrive as numbers or, from multirequest references, as
 * strings; a reference that resolved to nothing arrives as '' and counts as null here.
 */
function linkId(input: Params, prop: 'eventId' | 'resourceId'): number {
  const raw = input[prop];
  if (raw === undefined || raw === null || raw === '') {
    throw apiError(ERR.PROPERTY_VALIDATION_CANNOT_BE_NULL, `${OBJECT_TYPE}::${prop}`);
  }
  return toNumber(raw) ?? NaN;
}

function findLink(state: FakeState, eventId: number | string, resourceId: number | string): ScheduleEventResourceRecord {
  const link = state.store.eventResources.find((l) => l.eventId === eventId && l.resourceId === resourceId);
  if (!link) throw apiError(ERR.INVALID_OBJECT_ID, `${eventId},${resourceId}`);
  return link;
}

function add(params: Params, { state }: ActionContext): ScheduleEventResourceRecord {
  const input = requiredObject(params, 'scheduleEventResource');
  const eventId = linkId(input, 'eventId');
  const resourceId = linkId(input, 'resourceId');
  const event = state.store.events.get(eventId);
  if (!event || event.status === 3) throw apiError(ERR.SCHEDULE_EVENT_ID_NOT_FOUND, String(input.eventId));
  const resource = state.store.resources.get(resourceId);
  if (!resource || resource.status === 3) throw apiError(ERR.SCHEDULE_RESOURCE_ID_NOT_FOUND, String(input.resourceId));
  if (state.store.eventResources.some((l) => l.eventId === eventId && l.resourceId === resourceId)) {
    throw apiError(ERR.SCHEDULE_EVENT_RESOURCE_ALREADY_EXISTS, eventId, resourceId);
  }
  const now = state.now();
  const link: ScheduleEventResourceRecord = { eventId, resourceId, partnerId: state.partnerId, createdAt: now, updatedAt: now, objectType: OBJECT_TYPE };
  state.store.eventResources.push(link);
  return link;
}

function remove(params: Params, { state }: ActionContext): undefined {
  const link = findLink(state, requiredId(params, 'scheduleEventId'), requiredId(params, 'scheduleResourceId'));
  state.store.eventResources.splice(state.store.eventResources.indexOf(link), 1);
  return undefined;
}

function list(params: Params, { state }: ActionContext): Record<string, unknown> {
  const f = optionalObject(params, 'filter');
  const eventIds = splitCsv(f.eventIdIn).map(Number);
  const resourceIds = splitCsv(f.resourceIdIn).map(Number);
  const eventOrParent = toNumber(f.eventIdOrItsParentIdEqual);
  const matches = state.store.eventResources.filter(
    (l) =>
      (f.eventIdEqual === undefined || l.eventId === toNumber(f.eventIdEqual)) &&
      (eventIds.length === 0 || eventIds.includes(l.eventId)) &&
      (f.resourceIdEqual === undefined || l.resourceId === toNumber(f.resourceIdEqual)) &&
      (resourceIds.length === 0 || resourceIds.includes(l.resourceId)) &&
      (eventOrParent === undefined || l.eventId === eventOrParent || state.store.events.get(l.eventId)?.parentId === eventOrParent),
  );
  return listResponse('KalturaScheduleEventResourceListResponse', applyPager(matches, params.pager), matches.length);
}

export const scheduleEventResourceService: ServiceDefinition = {
  id: 'schedule_scheduleeventresource',
  actions: [
    { name: 'add', auth: 'admin', run: add },
    {
      name: 'get',
      auth: 'admin',
      run: (params, { state }) => findLink(state, requiredId(params, 'scheduleEventId'), requiredId(params, 'scheduleResourceId')),
    },
    { name: 'delete', auth: 'admin', run: remove },
    { name: 'list', auth: 'admin', run: list },
  ],
};
