import { optionalObject, requiredId, requiredObject, validateText, writableFields } from '../action-params';
import { apiError } from '../api-error';
import { ERR } from '../error-catalog';
import type { FakeState } from '../fake-state';
import { applyPager, likeMatch, sortByOrder, splitCsv, toNumber, toText } from '../list-query';
import type { Params } from '../request-params';
import type { ActionContext, ServiceDefinition } from '../service-definition';
import type { CategoryRecord } from '../types';
import { listResponse } from '../wire-format';

/**
 * category.add / get / list / delete, with the rules of kaltura/server:
 * - api_v3/services/CategoryService.php (add under a per-parent lock; DUPLICATE_CATEGORY with the full name)
 * - api_v3/lib/types/KalturaCategory.php (name 1..200; a parent that does not exist is
 *   CATEGORY_NOT_FOUND from validateCategory, which runs before validateParentId)
 * - alpha/lib/model/category.php (fullName = parent's fullName + '>' + name; validateFullNameIsUnique)
 * - alpha/lib/model/categoryPeer.php (getParsedName: '<', '>' and ',' become '_'; MAX_CATEGORY_NAME 200)
 */

const ACTIVE = 2;
const DELETED = 3;
/** categoryPeer::CATEGORY_SEPARATOR */
const SEPARATOR = '>';
const READ_ONLY = ['id', 'depth', 'partnerId', 'fullName', 'fullIds', 'status', 'createdAt', 'updatedAt', 'entriesCount', 'directEntriesCount', 'directSubCategoriesCount', 'membersCount'];

/** categoryPeer::getParsedName (without FEATURE_DISABLE_CATEGORY_LIMIT). */
export function parsedCategoryName(name: string): string {
  return Array.from(name).slice(0, 200).join('').replace(/[<>,]/g, '_');
}

export function findCategory(state: FakeState, id: number | string): CategoryRecord {
  const category = typeof id === 'number' ? state.store.categories.get(id) : undefined;
  if (!category || category.status === DELETED) throw apiError(ERR.CATEGORY_NOT_FOUND, id);
  return category;
}

function liveCategories(state: FakeState): CategoryRecord[] {
  return [...state.store.categories.values()].filter((c) => c.status !== DELETED);
}

function add(params: Params, { state }: ActionContext): CategoryRecord {
  const input = requiredObject(params, 'category');
  validateText(input, 'KalturaCategory', 'name', { required: true, min: 1, max: 200 });
  const parentId = toNumber(input.parentId) ?? 0;
  const parent = parentId === 0 ? undefined : state.store.categories.get(parentId);
  if (parentId !== 0 && (!parent || parent.status === DELETED)) throw apiError(ERR.CATEGORY_NOT_FOUND, parentId);
  const name = parsedCategoryName(toText(input.name) ?? '');
  const fullName = parent ? `${parent.fullName}${SEPARATOR}${name}` : name;
  if (liveCategories(state).some((c) => c.fullName === fullName)) throw apiError(ERR.DUPLICATE_CATEGORY, fullName);
  const id = state.nextId('category');
  const now = state.now();
  const record: CategoryRecord = {
    ...writableFields(input, READ_ONLY),
    id,
    parentId,
    depth: parent ? parent.depth + 1 : 0,
    partnerId: state.partnerId,
    name,
    fullName,
    fullIds: parent ? `${parent.fullIds}${SEPARATOR}${id}` : String(id),
    status: ACTIVE,
    createdAt: now,
    updatedAt: now,
    objectType: 'KalturaCategory',
  };
  state.store.categories.set(id, record);
  return record;
}

/** Deleting a category deletes its sub-categories too (category::setDeletedAt → deleteChildren job); entries are not deleted. */
function remove(params: Params, { state }: ActionContext): undefined {
  const category = findCategory(state, requiredId(params, 'id'));
  for (const c of liveCategories(state)) {
    if (c.id === category.id || c.fullIds.startsWith(`${category.fullIds}${SEPARATOR}`)) {
      c.status = DELETED;
      c.updatedAt = state.now();
    }
  }
  return undefined;
}

/** KalturaCategoryBaseFilter: the fields the bot and its tests use. */
function list(params: Params, { state }: ActionContext): Record<string, unknown> {
  const f = optionalObject(params, 'filter');
  const ids = splitCsv(f.idIn).map(Number);
  const parents = splitCsv(f.parentIdIn).map(Number);
  const fullNames = splitCsv(f.fullNameIn);
  const matches = liveCategories(state).filter(
    (c) =>
      (f.idEqual === undefined || c.id === toNumber(f.idEqual)) &&
      (ids.length === 0 || ids.includes(c.id)) &&
      (f.parentIdEqual === undefined || c.parentId === toNumber(f.parentIdEqual)) &&
      (parents.length === 0 || parents.includes(c.parentId)) &&
      (f.depthEqual === undefined || c.depth === toNumber(f.depthEqual)) &&
      (f.fullNameEqual === undefined || c.fullName === toText(f.fullNameEqual)) &&
      (f.fullNameStartsWith === undefined || c.fullName.startsWith(toText(f.fullNameStartsWith) ?? '')) &&
      (fullNames.length === 0 || fullNames.includes(c.fullName)) &&
      (f.referenceIdEqual === undefined || c.referenceId === toText(f.referenceIdEqual)) &&
      (f.tagsLike === undefined || likeMatch(c.tags, toText(f.tagsLike) ?? '')),
  );
  const sorted = sortByOrder(matches, f.orderBy, {
    createdAt: (c) => c.createdAt,
    updatedAt: (c) => c.updatedAt,
    name: (c) => c.name,
    fullName: (c) => c.fullName,
    depth: (c) => c.depth,
  });
  return listResponse('KalturaCategoryListResponse', applyPager(sorted, params.pager), matches.length);
}

export const categoryService: ServiceDefinition = {
  id: 'category',
  actions: [
    { name: 'add', auth: 'admin', run: add },
    { name: 'get', auth: 'ks', run: (params, { state }) => findCategory(state, requiredId(params, 'id')) },
    { name: 'list', auth: 'ks', run: list },
    { name: 'delete', auth: 'admin', run: remove },
  ],
};
