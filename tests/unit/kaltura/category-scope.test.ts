import { describe, expect, it } from 'vitest';
import type { AdminCall } from '../../../src/kaltura/admin-call';
import { createEsearchGate } from '../../../src/kaltura/esearch-gate';
import { createCategorySearch } from '../../../src/kaltura/media-category-search';
import { createMediaUrls } from '../../../src/kaltura/media-urls';

/**
 * Defence in depth: if Kaltura ignored part of the scope (a plugin missing, a filter field
 * dropped), what it returns must still not show, or count, another server's media.
 */

const silent = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, fatal() {}, child: () => silent };
const urls = createMediaUrls({ partnerId: 1234567, cdnUrl: 'https://cdn.test' });

const entry = (id: string, fields: Record<string, unknown> = {}) => ({
  id,
  name: `Entry ${id}`,
  status: 2,
  type: 1,
  mediaType: 1,
  categoriesIds: '41',
  createdAt: 1,
  objectType: 'KalturaMediaEntry',
  ...fields,
});

/** An AdminCall that answers every call with `answer(service)`, through the real parse. */
function answering(answer: (service: string) => unknown): AdminCall {
  return (async (spec: { service: string; parse: (raw: unknown) => unknown }) => spec.parse(answer(spec.service))) as AdminCall;
}

const unscoped = [
  entry('1_ok'),
  entry('1_otherguild', { categoriesIds: '42' }),
  entry('1_subcat', { categoriesIds: '410' }),
  entry('1_image', { mediaType: 2 }),
  entry('1_live', { type: 7, mediaType: 201 }),
  entry('1_room', { type: 'room.ROOM' }),
  entry('1_draft', { status: 1 }),
  entry('1_nocats', { categoriesIds: undefined }),
];

describe('category search when Kaltura does not scope', () => {
  it('eSearch: keeps only playable entries of the category and does not report the unscoped count', async () => {
    const search = createCategorySearch({
      urls,
      esearch: createEsearchGate('esearch', silent),
      call: answering(() => ({ totalCount: 500, objects: unscoped.map((object) => ({ object, objectType: 'KalturaESearchEntryResult' })) })),
    });
    const res = await search.searchCategory({ categoryId: 41, query: 'x', limit: 10, page: 3 });
    expect(res.entries.map((e) => e.id)).toEqual(['1_ok']);
    expect(res.totalCount).toBe(21); // two full pages before this one, assumed scoped, plus what was verified here
  });

  it('media.list: the same, and the server’s count is kept when every entry passed', async () => {
    const lists = [unscoped, [entry('1_a'), entry('1_b', { mediaType: 5, categoriesIds: '7,41' })]];
    const search = createCategorySearch({
      urls,
      esearch: createEsearchGate('list', silent),
      call: answering(() => ({ totalCount: 37, objects: lists.shift() })),
    });
    const leaky = await search.searchCategory({ categoryId: 41, query: '' });
    expect([leaky.entries.map((e) => e.id), leaky.totalCount]).toEqual([['1_ok'], 1]);
    const clean = await search.searchCategory({ categoryId: 41, query: '' });
    expect([clean.entries.map((e) => e.id), clean.totalCount]).toEqual([['1_a', '1_b'], 37]);
  });

  it('findPlayable: refuses an entry the server returned although it is not playable here, or another id', async () => {
    for (const raw of unscoped.slice(1)) {
      const search = createCategorySearch({ urls, esearch: createEsearchGate('list', silent), call: answering(() => ({ totalCount: 1, objects: [raw] })) });
      expect(await search.findPlayable(41, raw.id), raw.id).toBeUndefined();
    }
    const wrongId = createCategorySearch({ urls, esearch: createEsearchGate('list', silent), call: answering(() => ({ totalCount: 1, objects: [entry('1_ok')] })) });
    expect(await wrongId.findPlayable(41, '1_asked')).toBeUndefined();
    expect(await wrongId.findPlayable(41, '1_ok')).toMatchObject({ id: '1_ok', categoryIds: [41] });
  });
});
