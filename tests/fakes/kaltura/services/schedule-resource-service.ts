import {
  concreteObjectType,
  optionalObject,
  requiredId,
  requiredObject,
  validateText,
  writableFields,
} from '../action-params';
import { apiError } from '../api-error';
import { ERR } from '../error-catalog';
import type { FakeState } from '../fake-state';
import { applyPager, inRange, likeMatch, multiLike, sortByOrder, splitCsv, toNumber, toText } from '../list-query';
import type { Params } from '../request-params';
import type { ActionContext, ServiceDefinition } from '../service-definition';
import type { ScheduleResourceRecord } from '../types';
import { listResponse } from '../wire-format';

/**
 * schedule_scheduleresource (§2.1, §7.8): rooms are KalturaLocationScheduleResource tagged `vcprovider:newrow`.
 * kaltura/server: plugins/schedule/base/services/ScheduleResourceService.php `deleteAction` sets
 * status DELETED (3) and answers INVALID_OBJECT_ID for an unknown id; ScheduleResourcePeer's
 * default criteria (STATUS != DELETED) hide deleted rooms from get/update/delete and every list.
 */

const TYPES = {
  abstract: ['KalturaScheduleResource'] as const,
  accepted: ['KalturaLocationScheduleResource', 'KalturaCameraScheduleResource', 'KalturaLiveEntryScheduleResource'],
};
const READ_ONLY = ['id', 'partnerId', 'status', 'createdAt', 'updatedAt'];
const FILTER_TYPES: Record<string, string> = {
  KalturaLocationScheduleResourceFilter: 'KalturaLocationScheduleResource',
  KalturaCameraScheduleResourceFilter: 'KalturaCameraScheduleResource',
  KalturaLiveEntryScheduleResourceFilter: 'KalturaLiveEntryScheduleResource',
};

export function findResource(state: FakeState, id: number | string): ScheduleResourceRecord {
  const resource = typeof id === 'number' ? state.store.resources.get(id) : undefined;
  if (!resource || resource.status === 3) throw apiError(ERR.INVALID_OBJECT_ID, id);
  return resource;
}

function validate(state: FakeState, input: Params, objectType: string, selfId?: number): void {
  validateText(input, objectType, 'name', { required: selfId === undefined, min: 1, max: 256 });
  const parentId = input.parentId;
  if (parentId !== undefined && parentId !== null) {
    const parent = state.store.resources.get(toNumber(parentId) ?? NaN);
    if (!parent || parent.status === 3) throw apiError(ERR.RESOURCE_PARENT_ID_NOT_FOUND, String(parentId));
  }
  const systemName = toText(input.systemName);
  if (systemName) {
    const taken = [...state.store.resources.values()].some(
      (r) => r.id !== selfId && r.status !== 3 && r.objectType === objectType && r.systemName === systemName,
    );
    if (taken) throw apiError(ERR.SYSTEM_NAME_ALREADY_EXISTS, systemName);
  }
}

/** Declared property order (KalturaScheduleResource), subclass fields first, objectType last. */
function ordered(record: ScheduleResourceRecord): ScheduleResourceRecord {
  const { id, parentId, partnerId, name, systemName, description, status, tags, createdAt, updatedAt, objectType, ...extra } = record;
  return { ...extra, id, parentId, partnerId, name, systemName, description, status, tags, createdAt, updatedAt, objectType };
}

function add(params: Params, { state }: ActionContext): ScheduleResourceRecord {
  const input = requiredObject(params, 'scheduleResource');
  const objectType = concreteObjectType(input, TYPES);
  validate(state, input, objectType);
  const now = state.now();
  const record = ordered({
    ...writableFields(input, READ_ONLY),
    id: state.nextId('resource'),
    partnerId: state.partnerId,
    name: toText(input.name) ?? '',
    status: 2,
    createdAt: now,
    updatedAt: now,
    objectType,
  });
  state.store.resources.set(record.id, record);
  return record;
}

function update(params: Params, { state }: ActionContext): ScheduleResourceRecord {
  const current = findResource(state, requiredId(params, 'scheduleResourceId'));
  const input = requiredObject(params, 'scheduleResource');
  validate(state, input, current.objectType, current.id);
  const record = ordered({ ...current, ...writableFields(input, READ_ONLY), updatedAt: state.now() });
  state.store.resources.set(record.id, record);
  return record;
}

function remove(params: Params, { state }: ActionContext): ScheduleResourceRecord {
  const resource = findResource(state, requiredId(params, 'scheduleResourceId'));
  resource.status = 3;
  resource.updatedAt = state.now();
  return resource;
}

function list(params: Params, { state }: ActionContext): Record<string, unknown> {
  const f = optionalObject(params, 'filter');
  const onlyType = FILTER_TYPES[toText(f.objectType) ?? ''];
  const ids = splitCsv(f.idIn).map(Number);
  const statuses = splitCsv(f.statusIn).map(Number);
  const systemNames = splitCsv(f.systemNameIn);
  const matches = [...state.store.resources.values()].filter(
    (r) =>
      (!onlyType || r.objectType === onlyType) &&
      r.status !== 3 && // ScheduleResourcePeer::setDefaultCriteriaFilter: STATUS != DELETED, always
      (f.idEqual === undefined || r.id === toNumber(f.idEqual)) &&
      (ids.length === 0 || ids.includes(r.id)) &&
      (f.parentIdEqual === undefined || r.parentId === toNumber(f.parentIdEqual)) &&
      (f.nameEqual === undefined || r.name === toText(f.nameEqual)) &&
      (f.systemNameEqual === undefined || r.systemName === toText(f.systemNameEqual)) &&
      (systemNames.length === 0 || systemNames.includes(r.systemName ?? '')) &&
      (f.statusEqual === undefined || r.status === toNumber(f.statusEqual)) &&
      (statuses.length === 0 || statuses.includes(r.status)) &&
      (f.tagsLike === undefined || likeMatch(r.tags, toText(f.tagsLike) ?? '')) &&
      (f.tagsMultiLikeOr === undefined || multiLike(r.tags, f.tagsMultiLikeOr, 'or')) &&
      (f.tagsMultiLikeAnd === undefined || multiLike(r.tags, f.tagsMultiLikeAnd, 'and')) &&
      inRange(r.createdAt, f, 'createdAt') &&
      inRange(r.updatedAt, f, 'updatedAt'),
  );
  const sorted = sortByOrder(matches, f.orderBy, { createdAt: (r) => r.createdAt, updatedAt: (r) => r.updatedAt, name: (r) => r.name });
  return listResponse('KalturaScheduleResourceListResponse', applyPager(sorted, params.pager), matches.length);
}

export const scheduleResourceService: ServiceDefinition = {
  id: 'schedule_scheduleresource',
  actions: [
    { name: 'add', auth: 'admin', run: add },
    { name: 'get', auth: 'admin', run: (params, { state }) => findResource(state, requiredId(params, 'scheduleResourceId')) },
    { name: 'update', auth: 'admin', run: update },
    { name: 'delete', auth: 'admin', run: remove },
    { name: 'list', auth: 'admin', run: list },
  ],
};
