import { apiError } from '../api-error';
import { ERR } from '../error-catalog';
import { splitCsv, toNumber, toText } from '../list-query';
import type { Params } from '../request-params';
import type { CategoryRecord, MediaEntry } from '../types';

/**
 * KalturaESearchCategoryEntryItem as kaltura/server evaluates it
 * (plugins/search/providers/elastic_search/lib/model/items/categoryEntry/):
 * - `id` EXACT_MATCH: the entry is in exactly that category (categories_ids holds
 *   `<id>` with the item's category-entry status, ACTIVE by default); EXISTS: in any category.
 * - `ancestor_id` EXACT_MATCH: the entry is in a category BELOW that one (formatParentCategoryIdStatus).
 * - `full_ids`, `name`, `ancestor_name`: EXACT_MATCH or STARTS_WITH.
 * Any other item type is refused before searching (ESearchItem::validateAllowedSearchTypes →
 * SEARCH_TYPE_NOT_ALLOWED_ON_FIELD), as is an empty term (validateEmptySearchTerm). The fake
 * stores every category entry as ACTIVE (2), so another `categoryEntryStatus` matches nothing.
 */

const ALLOWED: Record<string, number[]> = { id: [1, 4], ancestor_id: [1], full_ids: [1, 3], name: [1, 3], ancestor_name: [1, 3] };
const CATEGORY_ENTRY_ACTIVE = 2;

function ancestorsOf(category: CategoryRecord, categories: ReadonlyMap<number, CategoryRecord>): CategoryRecord[] {
  const chain: CategoryRecord[] = [];
  for (let parent = categories.get(category.parentId); parent && chain.length < 32; parent = categories.get(parent.parentId)) chain.push(parent);
  return chain;
}

function matches(value: string, term: string, itemType: number): boolean {
  return itemType === 3 ? value.toLowerCase().startsWith(term.toLowerCase()) : value.toLowerCase() === term.toLowerCase();
}

/** The item's input checks (validateItemInput), run before any entry is looked at. */
export function checkCategoryItem(node: Params): void {
  const fieldName = toText(node.fieldName) ?? '';
  const itemType = toNumber(node.itemType) ?? 0;
  const allowed = ALLOWED[fieldName];
  if (!allowed) throw apiError(ERR.INVALID_ENUM_VALUE, fieldName, 'fieldName', 'KalturaESearchCategoryEntryFieldName');
  if (!allowed.includes(itemType)) throw apiError(ERR.SEARCH_TYPE_NOT_ALLOWED_ON_FIELD, String(itemType), fieldName);
  if ((toText(node.searchTerm) ?? '') === '' && itemType !== 4) throw apiError(ERR.EMPTY_SEARCH_TERM_NOT_ALLOWED, fieldName, String(itemType));
}

export function matchCategoryItem(node: Params, entry: MediaEntry, categories: ReadonlyMap<number, CategoryRecord>): boolean {
  checkCategoryItem(node);
  const fieldName = toText(node.fieldName) ?? '';
  const itemType = toNumber(node.itemType) ?? 0;
  const term = toText(node.searchTerm) ?? '';
  const status = toNumber(node.categoryEntryStatus);
  if (status !== undefined && status !== CATEGORY_ENTRY_ACTIVE) return false;
  const ids = splitCsv(entry.categoriesIds);
  if (fieldName === 'id') return itemType === 4 ? ids.length > 0 : ids.includes(term);
  const own = ids.map((id) => categories.get(Number(id))).filter((c): c is CategoryRecord => c !== undefined);
  switch (fieldName) {
    case 'ancestor_id':
      return own.some((c) => ancestorsOf(c, categories).some((a) => String(a.id) === term));
    case 'full_ids':
      return own.some((c) => matches(c.fullIds, term, itemType));
    case 'name':
      // without stored categories, the entry's `categories` full names stand in
      return own.length > 0 ? own.some((c) => matches(c.name, term, itemType)) : splitCsv(entry.categories).some((n) => matches(n.split('>').at(-1) ?? n, term, itemType));
    default:
      return own.some((c) => ancestorsOf(c, categories).some((a) => matches(a.name, term, itemType)));
  }
}
