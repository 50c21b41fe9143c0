/**
 * The video library of one Discord server: READY video/audio media clips in exactly its
 * Kaltura category. eSearch (full text) when usable, `media.list` otherwise; every call runs
 * with the admin KS (a USER KS lists only its own entries), so the scope is in the query AND
 * re-checked on every returned entry (`isPlayableIn`): a filter the server ignores must not
 * leak another server's media, nor its count.
 *
 * eSearch scope, from kaltura/server plugins/search/providers/elastic_search/lib:
 * - `KalturaESearchCategoryEntryItem{fieldName:'id', itemType: EXACT_MATCH}` matches entries
 *   whose `categories_ids` hold `<id>` with category-entry status ACTIVE
 *   (model/items/categoryEntry/ESearchCategoryEntryIdItem.php transformData; status defaults to
 *   ACTIVE in ESearchBaseCategoryEntryItem). Descendant categories would need `ancestor_id`.
 * - `KalturaESearchEntryItem` on `entry_type` and `media_type` allows EXACT_MATCH only
 *   (model/items/ESearchEntryItem.php), hence an OR operator for video|audio.
 * - `objectStatuses` on the params (api/types/KalturaESearchEntryParams.php); READY is also
 *   the default (model/search/kEntrySearch.php doSearch).
 * media.list scope: `categoriesIdsMatchOr`, `statusEqual`, `mediaTypeIn`, `typeEqual`
 * (api_v3/lib/types/entry/filters/base/KalturaBaseEntryBaseFilter.php, KalturaMediaEntryBaseFilter.php);
 * `categoriesIdsMatchOr` is that category only, with an ACTIVE category entry
 * (alpha/apps/kaltura/lib/model/objectfilters/entryFilter.class.php categoryIdsToIdsParsed).
 * @see https://developer.kaltura.com/api-docs/service/eSearch/action/searchEntry
 */
import type { CategorySearchInput, MediaEntry, MediaSearchResult } from '../core/ports/media-library';
import type { AdminCall } from './admin-call';
import type { EsearchGate } from './esearch-gate';
import { ENTRY_READY, ENTRY_TYPE_MEDIA_CLIP, isCategoryId, isPlayableIn, MEDIA_TYPE_AUDIO, MEDIA_TYPE_VIDEO, toMediaEntry } from './media-entry';
import { isEntryId, type MediaUrls } from './media-urls';
import { asList, asRecord } from './parse';

export interface CategorySearchOptions {
  readonly call: AdminCall;
  readonly urls: MediaUrls;
  readonly esearch: EsearchGate;
}

export interface CategorySearch {
  searchCategory(input: CategorySearchInput): Promise<MediaSearchResult>;
  findPlayable(categoryId: number, entryId: string): Promise<MediaEntry | undefined>;
}

interface Page {
  readonly pageSize: number;
  readonly pageIndex: number;
}

const item = (fieldName: string, searchTerm: string) => ({ objectType: 'KalturaESearchEntryItem', fieldName, searchTerm, itemType: 1 /* EXACT_MATCH */ });

export function scopedEsearchParams(query: string, categoryId: number) {
  return {
    objectType: 'KalturaESearchEntryParams',
    objectStatuses: String(ENTRY_READY),
    searchOperator: {
      objectType: 'KalturaESearchEntryOperator',
      operator: 1, // AND
      searchItems: [
        { objectType: 'KalturaESearchUnifiedItem', searchTerm: query, itemType: 2 /* PARTIAL */ },
        { objectType: 'KalturaESearchCategoryEntryItem', fieldName: 'id', searchTerm: String(categoryId), itemType: 1 },
        item('entry_type', ENTRY_TYPE_MEDIA_CLIP),
        {
          objectType: 'KalturaESearchEntryOperator',
          operator: 2, // OR
          searchItems: [item('media_type', String(MEDIA_TYPE_VIDEO)), item('media_type', String(MEDIA_TYPE_AUDIO))],
        },
      ],
    },
  };
}

export function scopedListFilter(categoryId: number, extra: Record<string, string> = {}) {
  return {
    objectType: 'KalturaMediaEntryFilter',
    categoriesIdsMatchOr: String(categoryId),
    statusEqual: String(ENTRY_READY),
    mediaTypeIn: `${MEDIA_TYPE_VIDEO},${MEDIA_TYPE_AUDIO}`,
    typeEqual: ENTRY_TYPE_MEDIA_CLIP,
    ...extra,
  };
}

/**
 * Keeps the entries that pass `isPlayableIn`. When any is dropped the server did not scope the
 * query, so its `totalCount` may count other categories: the count then covers only what was
 * verified (earlier pages assumed full), never the server's number.
 */
function scoped(rawObjects: readonly unknown[], totalCount: number, categoryId: number, urls: MediaUrls, page: Page, via: MediaSearchResult['via']): MediaSearchResult {
  const entries: MediaEntry[] = [];
  for (const raw of rawObjects) {
    const entry = toMediaEntry(raw, urls);
    if (isPlayableIn(raw, entry, categoryId)) entries.push(entry);
  }
  const count = entries.length === rawObjects.length ? totalCount : (page.pageIndex - 1) * page.pageSize + entries.length;
  return { entries, totalCount: count, via };
}

function clamp(value: number | undefined, min: number, max: number, fallback: number): number {
  return value === undefined || !Number.isFinite(value) ? fallback : Math.min(max, Math.max(min, Math.trunc(value)));
}

export function createCategorySearch({ call, urls, esearch }: CategorySearchOptions): CategorySearch {
  function viaEsearch(query: string, categoryId: number, page: Page): Promise<MediaSearchResult> {
    return call({
      service: 'eSearch',
      action: 'searchEntry',
      kind: 'read',
      build: (s) => s.eSearch.searchEntry(scopedEsearchParams(query, categoryId), { objectType: 'KalturaPager', ...page }),
      parse: (raw) => {
        const list = asList(raw, (hit) => asRecord(hit, 'search result')['object']);
        return scoped(list.objects, list.totalCount, categoryId, urls, page, 'esearch');
      },
    });
  }

  function viaList(query: string, categoryId: number, page: Page): Promise<MediaSearchResult> {
    return call({
      service: 'media',
      action: 'list',
      kind: 'read',
      build: (s) =>
        s.media.listAction(scopedListFilter(categoryId, { ...(query !== '' && { freeText: query }), orderBy: '-createdAt' }), {
          objectType: 'KalturaFilterPager',
          ...page,
        }),
      parse: (raw) => {
        const list = asList(raw, (x) => x);
        return scoped(list.objects, list.totalCount, categoryId, urls, page, 'list');
      },
    });
  }

  return {
    async searchCategory(input) {
      if (!isCategoryId(input.categoryId)) throw new RangeError('categoryId must be a positive integer');
      const query = input.query.trim().slice(0, 200);
      const page = { pageSize: clamp(input.limit, 1, 50, 10), pageIndex: clamp(input.page, 1, 10_000, 1) };
      // eSearch needs a term; an empty query lists the category's newest entries
      if (query !== '' && esearch.usable()) {
        try {
          return await viaEsearch(query, input.categoryId, page);
        } catch (err) {
          esearch.fellBack(err);
        }
      }
      return viaList(query, input.categoryId, page);
    },

    async findPlayable(categoryId, entryId) {
      if (!isCategoryId(categoryId) || !isEntryId(entryId)) return undefined;
      return call({
        service: 'media',
        action: 'list',
        kind: 'read',
        build: (s) => s.media.listAction(scopedListFilter(categoryId, { idEqual: entryId }), { objectType: 'KalturaFilterPager', pageSize: 1, pageIndex: 1 }),
        parse: (raw) => {
          const found = asList(raw, (x) => x).objects.find((x) => asRecord(x, 'entry')['id'] === entryId);
          if (found === undefined) return undefined;
          const entry = toMediaEntry(found, urls);
          return isPlayableIn(found, entry, categoryId) ? entry : undefined;
        },
      });
    },
  };
}
