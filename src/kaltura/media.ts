/**
 * The video library: search, one entry, and the URLs to show them. Search uses eSearch
 * (full text, relevance) when configured or, on `auto`, until the account turns out not to
 * have it; then it falls back to `media.list` with `freeText` and remembers that.
 * A USER KS only sees its own entries, so everything runs with the admin KS.
 * One server's library (its category) and playback are in media-category-search.ts and playback.ts.
 * @see https://developer.kaltura.com/api-docs/service/eSearch/action/searchEntry
 * @see https://developer.kaltura.com/api-docs/service/media/action/list
 */
import type { SearchMode } from '../config/config-types';
import type { Logger } from '../core/logger';
import type { MediaLibrary, MediaSearchInput, MediaSearchResult } from '../core/ports/media-library';
import type { AdminCall } from './admin-call';
import { isApiError } from './errors';
import { createEsearchGate } from './esearch-gate';
import { createCategorySearch } from './media-category-search';
import { ENTRY_READY, toMediaEntry } from './media-entry';
import { isEntryId, type MediaUrls } from './media-urls';
import { asList, asRecord } from './parse';
import { createPlayback, type PlaybackDeps } from './playback';

export { toMediaEntry } from './media-entry';

export interface MediaLibraryOptions {
  readonly call: AdminCall;
  readonly urls: MediaUrls;
  readonly search: SearchMode;
  readonly logger: Logger;
  /** What `playback()` needs to issue a member's KS and resolve the source. */
  readonly playback: Omit<PlaybackDeps, 'urls' | 'logger'>;
}

function clamp(value: number | undefined, min: number, max: number, fallback: number): number {
  return value === undefined || !Number.isFinite(value) ? fallback : Math.min(max, Math.max(min, Math.trunc(value)));
}

export function createMediaLibrary(options: MediaLibraryOptions): MediaLibrary {
  const { call, urls, logger } = options;
  const esearch = createEsearchGate(options.search, logger);
  const category = createCategorySearch({ call, urls, esearch });

  async function viaEsearch(query: string, pageSize: number, pageIndex: number): Promise<MediaSearchResult> {
    return call({
      service: 'eSearch',
      action: 'searchEntry',
      kind: 'read',
      build: (s) =>
        s.eSearch.searchEntry(
          {
            objectType: 'KalturaESearchEntryParams',
            searchOperator: {
              objectType: 'KalturaESearchEntryOperator',
              operator: 1, // AND
              searchItems: [{ objectType: 'KalturaESearchUnifiedItem', searchTerm: query, itemType: 2 /* PARTIAL */ }],
            },
          },
          { objectType: 'KalturaPager', pageSize, pageIndex },
        ),
      parse: (raw) => {
        const list = asList(raw, (item) => toMediaEntry(asRecord(item, 'search result')['object'], urls));
        // eSearch may return entries that are still processing; only ready ones can be watched
        return { entries: list.objects.filter((e) => e.ready), totalCount: list.totalCount, via: 'esearch' as const };
      },
    });
  }

  async function viaList(query: string, pageSize: number, pageIndex: number): Promise<MediaSearchResult> {
    return call({
      service: 'media',
      action: 'list',
      kind: 'read',
      build: (s) =>
        s.media.listAction(
          {
            objectType: 'KalturaMediaEntryFilter',
            ...(query !== '' && { freeText: query }),
            statusEqual: String(ENTRY_READY),
            orderBy: '-createdAt',
          },
          { objectType: 'KalturaFilterPager', pageSize, pageIndex },
        ),
      parse: (raw) => {
        const list = asList(raw, (item) => toMediaEntry(item, urls));
        return { entries: list.objects, totalCount: list.totalCount, via: 'list' as const };
      },
    });
  }

  return {
    async search(input: MediaSearchInput) {
      const query = input.query.trim().slice(0, 200);
      const pageSize = clamp(input.limit, 1, 50, 10);
      const pageIndex = clamp(input.page, 1, 10_000, 1);
      // eSearch needs a term; an empty query lists the newest entries
      if (query !== '' && esearch.usable()) {
        try {
          return await viaEsearch(query, pageSize, pageIndex);
        } catch (err) {
          esearch.fellBack(err);
        }
      }
      return viaList(query, pageSize, pageIndex);
    },

    async getEntry(entryId) {
      if (!isEntryId(entryId)) return undefined;
      try {
        return await call({
          service: 'media',
          action: 'get',
          kind: 'read',
          build: (s) => s.media.get(entryId),
          parse: (raw) => toMediaEntry(raw, urls),
        });
      } catch (err) {
        if (isApiError(err, 'ENTRY_ID_NOT_FOUND')) return undefined;
        throw err;
      }
    },

    thumbnailUrl: urls.thumbnailUrl,
    watchUrl: urls.watchUrl,
    embedUrl: urls.embedUrl,
    searchCategory: category.searchCategory,
    findPlayable: category.findPlayable,
    playback: createPlayback({ ...options.playback, urls, logger }),
  };
}
