import { isPlainObject } from './request-params';

/** Filter, order and page helpers shared by the list actions. */

export const DEFAULT_PAGE_SIZE = 30;
export const MAX_PAGE_SIZE = 500;

/** KalturaFilterPager / KalturaPager: 1-based pageIndex, pageSize 30 by default, at most 500. */
export function applyPager<T>(items: T[], pager: unknown): T[] {
  const p = isPlainObject(pager) ? pager : {};
  let size = toNumber(p.pageSize) ?? DEFAULT_PAGE_SIZE;
  if (size <= 0) size = DEFAULT_PAGE_SIZE;
  if (size > MAX_PAGE_SIZE) size = MAX_PAGE_SIZE;
  const index = Math.max(1, toNumber(p.pageIndex) ?? 1);
  return items.slice((index - 1) * size, index * size);
}

/** Numbers arrive as numbers (JSON) or numeric strings (forms, enums, multirequest references). */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

export function toText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function splitCsv(value: unknown): string[] {
  const text = toText(value);
  if (text === undefined) return [];
  return text.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** `*Like` filters: case-insensitive substring. */
export function likeMatch(haystack: unknown, needle: string): boolean {
  const text = toText(haystack);
  return text !== undefined && text.toLowerCase().includes(needle.toLowerCase());
}

/** `tagsMultiLikeOr` / `tagsMultiLikeAnd` over a comma-separated pattern list. */
export function multiLike(haystack: unknown, patterns: unknown, mode: 'or' | 'and'): boolean {
  const list = splitCsv(patterns);
  return mode === 'or' ? list.some((p) => likeMatch(haystack, p)) : list.every((p) => likeMatch(haystack, p));
}

type SortKey<T> = (item: T) => number | string | undefined;

/**
 * Sorts by an `orderBy` like `-createdAt,+name`; unknown fields are ignored, as are ties, which
 * keep the incoming order (callers pass items in id order so results are deterministic).
 */
export function sortByOrder<T>(items: T[], orderBy: unknown, keys: Record<string, SortKey<T>>): T[] {
  const clauses = splitCsv(orderBy)
    .map((clause) => {
      const desc = clause.startsWith('-');
      const key = keys[clause.replace(/^[+-]/, '')];
      return key ? { key, desc } : undefined;
    })
    .filter((c): c is { key: SortKey<T>; desc: boolean } => c !== undefined);
  if (clauses.length === 0) return items;
  return [...items].sort((a, b) => {
    for (const { key, desc } of clauses) {
      const cmp = compare(key(a), key(b));
      if (cmp !== 0) return desc ? -cmp : cmp;
    }
    return 0;
  });
}

function compare(a: number | string | undefined, b: number | string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

/** `createdAtGreaterThanOrEqual` style range filters over a numeric field. */
export function inRange(value: number | undefined, filter: Record<string, unknown>, field: string): boolean {
  const gte = toNumber(filter[`${field}GreaterThanOrEqual`]);
  const lte = toNumber(filter[`${field}LessThanOrEqual`]);
  if (gte !== undefined && (value === undefined || value < gte)) return false;
  if (lte !== undefined && (value === undefined || value > lte)) return false;
  return true;
}
