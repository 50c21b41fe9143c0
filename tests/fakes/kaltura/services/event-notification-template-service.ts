import { optionalObject, requiredId, requiredObject, validateText, writableFields } from '../action-params';
import { apiError } from '../api-error';
import { ERR } from '../error-catalog';
import type { FakeState } from '../fake-state';
import { applyPager, splitCsv, toNumber, toText } from '../list-query';
import { isPlainObject, type Params } from '../request-params';
import type { ActionContext, ServiceDefinition } from '../service-definition';
import type { TemplateRecord } from '../types';
import { listResponse } from '../wire-format';

/**
 * eventnotification_eventnotificationtemplate (§4.1), enough for a "webhooks setup" command:
 * listTemplates (system templates), clone(id, overrides), get, list, update, updateStatus, delete.
 * Only HTTP templates exist here.
 */

const READ_ONLY = ['id', 'partnerId', 'status', 'createdAt', 'updatedAt', 'type'];
const HTTP_CLASSES = ['KalturaHttpNotificationTemplate', 'KalturaEventNotificationTemplate'];

/** The partner's own template, or (for get/clone) a system one. */
function findTemplate(state: FakeState, id: number | string, includeSystem: boolean): TemplateRecord {
  const key = typeof id === 'number' ? id : NaN;
  const own = state.store.templates.get(key);
  const found = own ?? (includeSystem ? state.systemTemplates.get(key) : undefined);
  if (!found || found.status === 3) throw apiError(ERR.EVENT_NOTIFICATION_TEMPLATE_NOT_FOUND, id);
  return found;
}

/**
 * `KalturaEventNotificationTemplate::validate`: systemName at least 3 characters and not used by
 * another of the partner's ACTIVE templates (§4.1 says ACTIVE; a clone starts DISABLED).
 */
function validate(state: FakeState, input: Params, selfId?: number): void {
  validateText(input, 'KalturaHttpNotificationTemplate', 'systemName', { min: 3 });
  const systemName = toText(input.systemName);
  if (!systemName?.trim()) return;
  const taken = [...state.store.templates.values()].some((t) => t.id !== selfId && t.status === 2 && t.systemName === systemName);
  if (taken) throw apiError(ERR.EVENT_NOTIFICATION_TEMPLATE_DUPLICATE_SYSTEM_NAME, systemName);
}

function clone(params: Params, { state }: ActionContext): TemplateRecord {
  const source = findTemplate(state, requiredId(params, 'id'), true);
  const overrides = isPlainObject(params.eventNotificationTemplate) ? params.eventNotificationTemplate : {};
  const overrideType = toText(overrides.objectType);
  if (overrideType !== undefined && !HTTP_CLASSES.includes(overrideType)) {
    throw apiError(ERR.EVENT_NOTIFICATION_WRONG_TYPE, source.id, String(source.type));
  }
  const merged = { ...structuredClone(source), ...writableFields(overrides, READ_ONLY) };
  validate(state, merged);
  const now = state.now();
  const record: TemplateRecord = { ...merged, id: state.nextId('template'), partnerId: state.partnerId, createdAt: now, updatedAt: now, objectType: source.objectType };
  state.store.templates.set(record.id, record);
  return record;
}

function update(params: Params, { state }: ActionContext): TemplateRecord {
  const current = findTemplate(state, requiredId(params, 'id'), false);
  const input = requiredObject(params, 'eventNotificationTemplate');
  validate(state, input, current.id);
  const record: TemplateRecord = { ...current, ...writableFields(input, READ_ONLY), updatedAt: state.now() };
  state.store.templates.set(record.id, record);
  return record;
}

function updateStatus(params: Params, { state }: ActionContext): TemplateRecord {
  const template = findTemplate(state, requiredId(params, 'id'), false);
  const status = toNumber(params.status);
  if (status === undefined || ![1, 2, 3].includes(status)) {
    throw apiError(ERR.INVALID_ENUM_VALUE, String(params.status), 'status', 'KalturaEventNotificationTemplateStatus');
  }
  template.status = status;
  template.updatedAt = state.now();
  return template;
}

/**
 * EventNotificationTemplateService (plugins/event_notification/services/): `list` counts, then
 * orders by id descending and pages; `listTemplates` (partner 0 only) pages in storage order
 * (ascending id here). Both page with KalturaFilterPager: 30 a page unless asked, at most 500
 * (`baseObjectFilter::getMaxInValues`), so a caller must walk the pages or filter by
 * `systemNameEqual`/`systemNameIn` (`_eq_system_name`/`_in_system_name` in the base filter).
 */
function listOf(templates: Iterable<TemplateRecord>, params: Params, objectType: string, newestFirst = false): Record<string, unknown> {
  const f = optionalObject(params, 'filter');
  const ids = splitCsv(f.idIn).map(Number);
  const systemNames = splitCsv(f.systemNameIn);
  const statusFiltered = f.statusEqual !== undefined || f.statusIn !== undefined;
  const ordered = newestFirst ? [...templates].sort((a, b) => b.id - a.id) : [...templates];
  const matches = ordered.filter(
    (t) =>
      (statusFiltered || t.status !== 3) &&
      (f.idEqual === undefined || t.id === toNumber(f.idEqual)) &&
      (ids.length === 0 || ids.includes(t.id)) &&
      (f.systemNameEqual === undefined || t.systemName === toText(f.systemNameEqual)) &&
      (systemNames.length === 0 || systemNames.includes(t.systemName ?? '')) &&
      (f.typeEqual === undefined || t.type === toText(f.typeEqual)) &&
      (f.statusEqual === undefined || t.status === toNumber(f.statusEqual)) &&
      (f.statusIn === undefined || splitCsv(f.statusIn).map(Number).includes(t.status)),
  );
  return listResponse(objectType, applyPager(matches, params.pager), matches.length);
}

const LIST_TYPE = 'KalturaEventNotificationTemplateListResponse';

export const eventNotificationTemplateService: ServiceDefinition = {
  id: 'eventnotification_eventnotificationtemplate',
  actions: [
    { name: 'listTemplates', auth: 'admin', run: (params, { state }) => listOf(state.systemTemplates.values(), params, LIST_TYPE) },
    { name: 'list', auth: 'admin', run: (params, { state }) => listOf(state.store.templates.values(), params, LIST_TYPE, true) },
    { name: 'clone', auth: 'admin', run: clone },
    { name: 'get', auth: 'admin', run: (params, { state }) => findTemplate(state, requiredId(params, 'id'), true) },
    { name: 'update', auth: 'admin', run: update },
    { name: 'updateStatus', auth: 'admin', run: updateStatus },
    {
      name: 'delete',
      auth: 'admin',
      run: (params, { state }) => {
        const template = findTemplate(state, requiredId(params, 'id'), false);
        template.status = 3;
        template.updatedAt = state.now();
        return undefined;
      },
    },
  ],
};
