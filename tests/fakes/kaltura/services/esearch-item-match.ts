import { apiError } from '../api-error';
import { ERR } from '../error-catalog';
import { splitCsv, toNumber, toText } from '../list-query';
import { isPlainObject, type Params } from '../request-params';
import type { CategoryRecord, MediaEntry } from '../types';
import { checkCategoryItem, matchCategoryItem } from './esearch-category-item';

/** Evaluates an eSearch operator tree against one entry (§5.3, §7.13). */

export interface Highlight {
  fieldName: string;
  hits: Array<{ value: string; objectType: 'KalturaString' }>;
  objectType: 'KalturaESearchHighlight';
}

interface Outcome {
  ok: boolean;
  highlights: Highlight[];
}

type FieldValue = string | number | undefined;

/** KalturaESearchEntryFieldName values the fake can match; the enum has more (see VALID_FIELDS). */
const ENTRY_FIELDS: Record<string, (e: MediaEntry) => FieldValue> = {
  id: (e) => e.id,
  name: (e) => e.name,
  description: (e) => e.description,
  tags: (e) => e.tags,
  kuser_id: (e) => e.userId,
  creator_kuser_id: (e) => e.creatorId,
  reference_id: (e) => e.referenceId,
  template_entry_id: (e) => e.templateEntryId,
  created_at: (e) => e.createdAt,
  updated_at: (e) => e.updatedAt,
  last_played_at: (e) => e.lastPlayedAt,
  entry_type: (e) => e.type,
  media_type: (e) => e.mediaType,
  length_in_msecs: (e) => e.msDuration,
  moderation_status: (e) => e.moderationStatus,
  plays: (e) => e.plays,
  views: (e) => e.views,
};

/** Valid enum values the fake does not model: they match nothing instead of failing. */
const UNMODELLED_FIELDS = new Set([
  'access_control_id', 'admin_tags', 'broadcast_entry_id', 'captions_content', 'conversion_profile_id', 'credit',
  'display_in_search', 'end_date', 'entitled_kusers_edit', 'entitled_kusers_publish', 'entitled_kusers_view',
  'external_source_type', 'is_live', 'is_quiz', 'parent_id', 'partner_sort_value', 'push_publish', 'rank',
  'recorded_entry_id', 'recycled_at', 'redirect_entry_id', 'room_type', 'root_id', 'site_url', 'source_type',
  'start_date', 'user_names', 'votes',
]);

const UNIFIED_FIELDS = ['name', 'description', 'tags'] as const;

/**
 * Fields that allow only some item types (model/items/ESearchEntryItem.php
 * $allowed_search_types_for_field); others are refused with SEARCH_TYPE_NOT_ALLOWED_ON_FIELD
 * (ESearchItem::validateAllowedSearchTypes). Only the fields the bot scopes by are listed.
 */
const ALLOWED_ITEM_TYPES: Record<string, number[]> = { entry_type: [1], media_type: [1] };

/** itemType: 1 EXACT_MATCH, 2 PARTIAL, 3 STARTS_WITH, 4 EXISTS, 5 RANGE. */
function valueMatches(value: FieldValue, item: Params): boolean {
  const itemType = toNumber(item.itemType) ?? 2;
  if (itemType === 4) return value !== undefined && value !== '';
  if (itemType === 5) {
    const range = isPlainObject(item.range) ? item.range : {};
    const n = typeof value === 'number' ? value : undefined;
    if (n === undefined) return false;
    const [gte, lte, gt, lt] = ['greaterThanOrEqual', 'lessThanOrEqual', 'greaterThan', 'lessThan'].map((k) => toNumber(range[k]));
    return (gte === undefined || n >= gte) && (lte === undefined || n <= lte) && (gt === undefined || n > gt) && (lt === undefined || n < lt);
  }
  if (value === undefined) return false;
  const text = String(value).toLowerCase();
  const term = (toText(item.searchTerm) ?? '').toLowerCase();
  if (itemType === 1) return text === term || splitCsv(text).includes(term);
  if (itemType === 3) return text.startsWith(term);
  return term !== '' && text.includes(term);
}

function highlight(fieldName: string, value: FieldValue, item: Params): Highlight[] {
  const term = toText(item.searchTerm);
  if (item.addHighlight !== true || !term || value === undefined) return [];
  const escaped = term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const marked = String(value).replace(new RegExp(escaped, 'gi'), (m) => `<em>${m}</em>`);
  return [{ fieldName, hits: [{ value: marked, objectType: 'KalturaString' }], objectType: 'KalturaESearchHighlight' }];
}

function matchFields(entry: MediaEntry, item: Params, fields: Array<[string, FieldValue]>): Outcome {
  const matched = fields.filter(([, value]) => valueMatches(value, item));
  return { ok: matched.length > 0, highlights: matched.flatMap(([name, value]) => highlight(name, value, item)) };
}

/**
 * The server validates every item when it builds the query, before searching
 * (ESearchItem::validateItemInput), so a bad item fails even when nothing would match.
 */
export function validateTree(node: Params): void {
  const type = toText(node.objectType) ?? '';
  if (type.endsWith('Operator')) {
    for (const child of Array.isArray(node.searchItems) ? node.searchItems : []) if (isPlainObject(child)) validateTree(child);
  } else if (type === 'KalturaESearchCategoryEntryItem') {
    checkCategoryItem(node);
  } else if (type === 'KalturaESearchEntryItem') {
    const fieldName = toText(node.fieldName) ?? '';
    const allowed = ALLOWED_ITEM_TYPES[fieldName];
    if (allowed && !allowed.includes(toNumber(node.itemType) ?? 0)) {
      throw apiError(ERR.SEARCH_TYPE_NOT_ALLOWED_ON_FIELD, String(toNumber(node.itemType) ?? ''), fieldName);
    }
  }
}

export function evaluate(node: Params, entry: MediaEntry, categories: ReadonlyMap<number, CategoryRecord> = new Map()): Outcome {
  const type = toText(node.objectType) ?? '';
  if (type.endsWith('Operator')) {
    const operator = toNumber(node.operator) ?? 1;
    const children = (Array.isArray(node.searchItems) ? node.searchItems : []).filter(isPlainObject).map((c) => evaluate(c, entry, categories));
    const ok = operator === 2 ? children.some((c) => c.ok) : operator === 3 ? !children.some((c) => c.ok) : children.every((c) => c.ok);
    return { ok, highlights: operator === 3 ? [] : children.filter((c) => c.ok).flatMap((c) => c.highlights) };
  }
  if (type === 'KalturaESearchUnifiedItem') {
    return matchFields(entry, node, UNIFIED_FIELDS.map((f) => [f, ENTRY_FIELDS[f]?.(entry)]));
  }
  if (type === 'KalturaESearchEntryItem') {
    const fieldName = toText(node.fieldName) ?? '';
    const read = ENTRY_FIELDS[fieldName];
    if (read) return matchFields(entry, node, [[fieldName, read(entry)]]);
    if (UNMODELLED_FIELDS.has(fieldName)) return { ok: false, highlights: [] };
    throw apiError(ERR.INVALID_ENUM_VALUE, fieldName, 'fieldName', 'KalturaESearchEntryFieldName');
  }
  if (type === 'KalturaESearchCategoryEntryItem') return { ok: matchCategoryItem(node, entry, categories), highlights: [] };
  return { ok: false, highlights: [] };
}
