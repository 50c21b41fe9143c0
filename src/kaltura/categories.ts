/**
 * Kaltura categories: a lookup by id, and find-or-create of a path of names. Server facts
 * (kaltura/server): names lose `<`, `>` and `,` (categoryPeer::getParsedName replaces them with
 * `_`) and are at most 200 characters; `fullName` joins the path with `>`; a second category with
 * the same full name is refused with DUPLICATE_CATEGORY (category::validateFullNameIsUnique), so
 * a race with another instance ends in finding the one it created.
 * @see https://developer.kaltura.com/api-docs/service/category
 */
import type { CategoryDirectory } from '../core/ports/guild-categories';
import type { AdminCall } from './admin-call';
import { isApiError } from './errors';
import { asList, asRecord, intField, strField } from './parse';

/** categoryPeer::MAX_CATEGORY_NAME */
const MAX_NAME = 200;

/** The name as the server would store it. */
export const categoryName = (name: string): string => Array.from(name.trim()).slice(0, MAX_NAME).join('').replace(/[<>,]/g, '_');

const toCategory = (raw: unknown) => {
  const obj = asRecord(raw, 'category');
  return { id: intField(obj, 'id'), fullName: strField(obj, 'fullName') };
};

/**
 * A member waits on the first start in a server while its category is found or created, and
 * must hear back within 15 s in all; the session's own creation has `kaltura.interactiveTimeout`
 * (10 s by default) after this. So the category lookup shares a budget of its own.
 */
export const CATEGORY_BUDGET_MS = 4_000;

export function createCategoryDirectory(deps: { call: AdminCall; budgetMs?: number }): CategoryDirectory {
  const budgetMs = deps.budgetMs ?? CATEGORY_BUDGET_MS;
  /** Every call of one lookup shares the budget that lookup started with. */
  const withBudget = (): AdminCall => {
    const deadline = performance.now() + budgetMs;
    return (spec) => deps.call({ ...spec, deadline });
  };

  const byFullName = (call: AdminCall, fullName: string) =>
    call({
      service: 'category',
      action: 'list',
      kind: 'read',
      build: (s) => s.category.listAction({ objectType: 'KalturaCategoryFilter', fullNameEqual: fullName }, { objectType: 'KalturaFilterPager', pageSize: 1, pageIndex: 1 }),
      parse: (raw) => asList(raw, toCategory).objects[0],
    });

  return {
    async get(categoryId) {
      if (!Number.isSafeInteger(categoryId) || categoryId < 1) return undefined;
      try {
        return await withBudget()({ service: 'category', action: 'get', kind: 'read', build: (s) => s.category.get(categoryId), parse: toCategory });
      } catch (err) {
        if (isApiError(err, 'CATEGORY_NOT_FOUND')) return undefined;
        throw err;
      }
    },

    async ensurePath(names) {
      if (names.length === 0) throw new RangeError('a category path needs at least one name');
      const call = withBudget();
      let parent: { id: number; fullName: string } | undefined;
      let created = false;
      for (const raw of names) {
        const name = categoryName(raw);
        if (name === '') throw new RangeError('a category name cannot be empty');
        const fullName = parent ? `${parent.fullName}>${name}` : name;
        let found = await byFullName(call, fullName);
        if (!found) {
          const parentId = parent?.id;
          try {
            found = await call({
              service: 'category',
              action: 'add',
              kind: 'create',
              build: (s) => s.category.add({ objectType: 'KalturaCategory', name, ...(parentId !== undefined && { parentId }), description: 'Created by kaltura-discord' }),
              parse: toCategory,
            });
            created = true;
          } catch (err) {
            if (!isApiError(err, 'DUPLICATE_CATEGORY')) throw err;
            found = await byFullName(call, fullName); // created meanwhile by someone else
            if (!found) throw err;
          }
        }
        parent = found;
      }
      return { ...parent!, created };
    },
  };
}
