import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createKaltura, type Kaltura } from '../../../src/kaltura/create-kaltura';
import { startFakeKaltura, type FakeKaltura } from '../../fakes/kaltura/index';
import { configFor, countCalls, createCapturingLogger, expectNoSecrets, FAST_RETRY } from './helpers';

/** One Discord server's library: what a member may see is exactly its category's playable media. */

const logger = createCapturingLogger();
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(() => expectNoSecrets(logger.lines, ['abcdef0123456789abcdef0123456789']));

const GUILD_CAT = 41;
const OTHER_GUILD_CAT = 42;

async function setup(esearch: boolean) {
  const fake: FakeKaltura = await startFakeKaltura({ esearch });
  const kaltura: Kaltura = createKaltura({ config: configFor(fake), logger, retry: FAST_RETRY, cdnUrl: fake.url });
  cleanups.push(() => fake.close(), () => kaltura.close());
  const e = {
    video: fake.addEntry({ name: 'Lecture video', categoryIds: [GUILD_CAT], video: true, createdAt: 1000 }).id,
    audio: fake.addEntry({ name: 'Lecture audio', categoryIds: [GUILD_CAT, 7], mediaType: 5, createdAt: 2000 }).id,
  };
  const hidden = {
    image: fake.addEntry({ name: 'Lecture slides', categoryIds: [GUILD_CAT], mediaType: 2 }).id,
    live: fake.addEntry({ name: 'Lecture live', categoryIds: [GUILD_CAT], type: 7, mediaType: 201 }).id,
    room: fake.addEntry({ name: 'Lecture room', categoryIds: [GUILD_CAT], type: 'room.ROOM' }).id,
    playlist: fake.addEntry({ name: 'Lecture playlist', categoryIds: [GUILD_CAT], type: 5 }).id,
    template: fake.addEntry({ name: 'Lecture template', categoryIds: [GUILD_CAT], status: 7 }).id, // a meeting's template: no content
    converting: fake.addEntry({ name: 'Lecture draft', categoryIds: [GUILD_CAT], video: true, status: 1 }).id,
    otherGuild: fake.addEntry({ name: 'Lecture elsewhere', categoryIds: [OTHER_GUILD_CAT], video: true }).id,
    uncategorized: fake.addEntry({ name: 'Lecture loose', video: true }).id,
  };
  return { fake, kaltura, e, hidden };
}

const idsOf = (r: { entries: Array<{ id: string }> }) => r.entries.map((x) => x.id).sort();

describe.each([
  ['eSearch', true, 'esearch'],
  ['media.list', false, 'list'],
] as const)('searchCategory via %s', (_name, esearch, via) => {
  it('shows only the category’s READY video and audio, and counts only them', async () => {
    const { kaltura, e } = await setup(esearch);
    const res = await kaltura.media.searchCategory({ categoryId: GUILD_CAT, query: 'lecture' });
    expect(res.via).toBe(via);
    expect(idsOf(res)).toEqual([e.video, e.audio].sort());
    expect(res.totalCount).toBe(2);
    const video = res.entries.find((x) => x.id === e.video)!;
    expect(video).toMatchObject({ name: 'Lecture video', mediaType: 'video', categoryIds: [GUILD_CAT], ready: true, durationSeconds: 180 });
    expect(res.entries.find((x) => x.id === e.audio)).toMatchObject({ mediaType: 'audio', categoryIds: [GUILD_CAT, 7] });
  });

  it('another server’s category shows its own entry only, never this one’s', async () => {
    const { kaltura, hidden } = await setup(esearch);
    const res = await kaltura.media.searchCategory({ categoryId: OTHER_GUILD_CAT, query: 'lecture' });
    expect([idsOf(res), res.totalCount]).toEqual([[hidden.otherGuild], 1]);
    const none = await kaltura.media.searchCategory({ categoryId: 43, query: 'lecture' });
    expect([none.entries, none.totalCount]).toEqual([[], 0]);
  });

  it('pages within the category', async () => {
    const { kaltura } = await setup(esearch);
    const first = await kaltura.media.searchCategory({ categoryId: GUILD_CAT, query: 'lecture', limit: 1, page: 1 });
    const second = await kaltura.media.searchCategory({ categoryId: GUILD_CAT, query: 'lecture', limit: 1, page: 2 });
    expect([first.entries.length, second.entries.length, first.totalCount, second.totalCount]).toEqual([1, 1, 2, 2]);
    expect(first.entries[0]!.id).not.toBe(second.entries[0]!.id);
  });
});

describe('searchCategory requests', () => {
  it('asks eSearch for exactly the category, READY, media clips, video or audio', async () => {
    const { fake, kaltura } = await setup(true);
    await kaltura.media.searchCategory({ categoryId: GUILD_CAT, query: 'lecture' });
    const sent = fake.requests.find((r) => r.service === 'elasticsearch_esearch')!.params.searchParams;
    expect(sent.objectStatuses).toBe('2');
    expect(sent.searchOperator.searchItems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ objectType: 'KalturaESearchCategoryEntryItem', fieldName: 'id', searchTerm: String(GUILD_CAT), itemType: 1 }),
        expect.objectContaining({ fieldName: 'entry_type', searchTerm: '1' }),
      ]),
    );
  });

  it('lists with categoriesIdsMatchOr, statusEqual, mediaTypeIn when the query is empty or eSearch is missing', async () => {
    const { fake, kaltura, e } = await setup(true);
    const res = await kaltura.media.searchCategory({ categoryId: GUILD_CAT, query: '   ' });
    expect([res.via, idsOf(res)]).toEqual(['list', [e.video, e.audio].sort()]);
    expect(countCalls(fake, 'elasticsearch_esearch', 'searchEntry')).toBe(0);
    const filter = fake.requests.find((r) => r.service === 'media' && r.action === 'list')!.params.filter;
    expect(filter).toMatchObject({ categoriesIdsMatchOr: String(GUILD_CAT), statusEqual: '2', mediaTypeIn: '1,5', typeEqual: '1' });
    expect(filter.freeText).toBeUndefined();
  });

  it('refuses a category id that is not a positive integer, without a call', async () => {
    const { fake, kaltura } = await setup(true);
    for (const categoryId of [0, -1, 1.5, Number.NaN]) {
      await expect(kaltura.media.searchCategory({ categoryId, query: 'x' })).rejects.toThrow(RangeError);
    }
    expect(fake.requests).toEqual([]);
  });
});

describe('findPlayable', () => {
  it('returns the entry when it is playable in exactly this category', async () => {
    const { fake, kaltura, e } = await setup(true);
    expect(await kaltura.media.findPlayable(GUILD_CAT, e.video)).toMatchObject({ id: e.video, mediaType: 'video', ready: true });
    expect(await kaltura.media.findPlayable(GUILD_CAT, e.audio)).toMatchObject({ id: e.audio, mediaType: 'audio' });
    const calls = fake.requests.filter((r) => r.service === 'media' && r.action === 'list');
    expect(calls).toHaveLength(2);
    expect(calls[0]!.params.filter).toMatchObject({ idEqual: e.video, categoriesIdsMatchOr: String(GUILD_CAT), statusEqual: '2', mediaTypeIn: '1,5' });
  });

  it('is undefined for another server’s entry, images, live, rooms, playlists, templates, unready and unknown ids', async () => {
    const { kaltura, hidden } = await setup(true);
    for (const [what, id] of Object.entries(hidden)) {
      expect(await kaltura.media.findPlayable(GUILD_CAT, id), what).toBeUndefined();
    }
    expect(await kaltura.media.findPlayable(GUILD_CAT, '0_doesnotex')).toBeUndefined();
    expect(await kaltura.media.findPlayable(OTHER_GUILD_CAT, hidden.otherGuild)).toMatchObject({ id: hidden.otherGuild });
  });

  it('makes no call for ids that are not entry ids or categories that are not ids', async () => {
    const { fake, kaltura, e } = await setup(true);
    for (const [cat, id] of [[GUILD_CAT, 'x'], [GUILD_CAT, `${e.video}/../1`], [GUILD_CAT, ''], [0, e.video], [-3, e.video]] as const) {
      expect(await kaltura.media.findPlayable(cat, id)).toBeUndefined();
    }
    expect(fake.requests).toEqual([]);
  });
});
