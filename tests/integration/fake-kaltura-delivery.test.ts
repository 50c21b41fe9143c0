import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_VIDEO, startFakeKaltura, type FakeKaltura } from '../fakes/kaltura';
import { createTestClient, k, kalturaObject, rejectionOf, type TestClient } from '../fakes/kaltura/test-client';

const s = k.services;
const ids = (list: { objects?: Array<{ id?: string; object?: { id: string } }> }) => (list.objects ?? []).map((e) => e.object?.id ?? e.id).sort();
const VIDEO_BYTES = readFileSync(FIXTURE_VIDEO);
const CAT = 4_000_001;
/** Not one the fake hands out (its category ids start at 4_000_001). */
const OTHER_CAT = 99;

describe('fake Kaltura delivery: playManifest, serveFlavor, thumbnail', () => {
  let fake: FakeKaltura;
  let now = Math.floor(Date.now() / 1000);
  const e = {} as Record<'video' | 'other' | 'image' | 'noFlavor' | 'converting' | 'deleted', string>;
  beforeAll(async () => {
    fake = await startFakeKaltura({ now: () => now });
    e.video = fake.addEntry({ name: 'Video', categoryIds: [CAT], video: true }).id;
    e.other = fake.addEntry({ name: 'Other video', categoryIds: [CAT], video: true }).id;
    e.image = fake.addEntry({ name: 'Image', categoryIds: [CAT], mediaType: 2, video: true }).id;
    e.noFlavor = fake.addEntry({ name: 'No flavor', categoryIds: [CAT] }).id;
    e.converting = fake.addEntry({ name: 'Converting', categoryIds: [CAT], video: true, status: 1 }).id;
    e.deleted = fake.addEntry({ name: 'Deleted', video: true, status: 3 }).id;
  });
  afterAll(() => fake.close());

  const manifest = (entryId: string, ks?: string, format = 'url') =>
    `${fake.url}/p/${fake.partnerId}/sp/${fake.partnerId}00/playManifest/entryId/${entryId}/format/${format}/protocol/http${ks ? `/ks/${ks}` : ''}/a.mp4`;
  const get = (url: string, headers: Record<string, string> = {}, method = 'GET') => fetch(url, { redirect: 'manual', headers, method });
  const userKs = (privileges: string, opts: { expiresIn?: number; secret?: string } = {}) =>
    fake.mintKs({ type: 0, userId: 'discord_1', privileges, ...opts });
  /** playManifest's refusal: 404 with the KExternalErrors code in X-Kaltura. */
  const refusal = async (res: Response) => ({ status: res.status, error: res.headers.get('x-kaltura'), body: await res.text() });

  it('redirects a KS with sview for the entry (or an admin KS) to a tokenized serveFlavor URL on the same host', async () => {
    for (const ks of [userKs(`sview:${e.video}`), userKs('sview:*'), fake.mintKs({ type: 2 })]) {
      const res = await get(manifest(e.video, ks));
      expect(res.status).toBe(302);
      const location = new URL(res.headers.get('location')!);
      expect(location.origin).toBe(fake.url);
      expect(location.pathname).toMatch(new RegExp(`^/p/${fake.partnerId}/sp/${fake.partnerId}00/serveFlavor/entryId/${e.video}/v/1/flavorId/0_[a-z0-9]+/forceproxy/true/ks/djJ8[^/]+/name/a\\.mp4$`));
    }
    expect(fake.deliveries.at(-1)).toMatchObject({ route: 'playManifest', entryId: e.video, status: 302 });
  });

  it('refuses like playManifestAction: 404 with X-Kaltura error-N and no body', async () => {
    const cases: Array<[string, string | undefined, string]> = [
      [e.video, undefined, 'error-3'], // KS required by the access-control profile
      [e.video, userKs(`sview:${e.other}`), 'error-3'], // a KS for another entry
      [e.video, userKs(''), 'error-3'],
      [e.video, userKs(`sview:${e.video}`, { secret: 'not-the-partner-secret-000000000' }), 'error-7'],
      [e.video, userKs(`sview:${e.video}`, { expiresIn: -1 }), 'error-7'],
      [e.image, userKs(`sview:${e.image}`), 'error-12'],
      [e.noFlavor, userKs(`sview:${e.noFlavor}`), 'error-6'],
      [e.converting, userKs(`sview:${e.converting}`), 'error-6'],
      [e.deleted, userKs(`sview:${e.deleted}`), 'error-1'],
      ['0_unknown1', userKs('sview:0_unknown1'), 'error-1'],
    ];
    for (const [entryId, ks, error] of cases) {
      expect(await refusal(await get(manifest(entryId, ks))), `${entryId} ${error}`).toEqual({ status: 404, error, body: '' });
    }
    expect(await refusal(await get(manifest(e.video, userKs(`sview:${e.video}`), 'applehttp')))).toMatchObject({ status: 404, error: 'error-25' });
  });

  it('serves the flavor with byte ranges, as Chromium needs to seek', async () => {
    const location = (await get(manifest(e.video, userKs(`sview:${e.video}`)))).headers.get('location')!;
    const whole = await get(location);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('video/mp4');
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await whole.arrayBuffer()).equals(VIDEO_BYTES)).toBe(true);

    const middle = await get(location, { Range: 'bytes=1000-1099' });
    expect(middle.status).toBe(206);
    expect(middle.headers.get('content-range')).toBe(`bytes 1000-1099/${VIDEO_BYTES.length}`);
    expect(Buffer.from(await middle.arrayBuffer()).equals(VIDEO_BYTES.subarray(1000, 1100))).toBe(true);

    const open = await get(location, { Range: `bytes=${VIDEO_BYTES.length - 5}-` });
    expect([open.status, (await open.arrayBuffer()).byteLength]).toEqual([206, 5]);
    const suffix = await get(location, { Range: 'bytes=-7' });
    expect(Buffer.from(await suffix.arrayBuffer()).equals(VIDEO_BYTES.subarray(-7))).toBe(true);

    const past = await get(location, { Range: `bytes=${VIDEO_BYTES.length}-` });
    expect([past.status, past.headers.get('content-range')]).toEqual([416, `bytes */${VIDEO_BYTES.length}`]);
    const head = await get(location, {}, 'HEAD');
    expect([head.status, head.headers.get('content-length')]).toEqual([200, String(VIDEO_BYTES.length)]);
    expect(fake.deliveries.filter((d) => d.route === 'serveFlavor').map((d) => d.range ?? '')).toContain('bytes=1000-1099');
  });

  it('serveFlavor checks its own KS: the token works for its entry only and not after it expires', async () => {
    const location = new URL((await get(manifest(e.video, userKs(`sview:${e.video}`, { expiresIn: 60 })))).headers.get('location')!);
    const otherFlavor = new URL((await get(manifest(e.other, userKs(`sview:${e.other}`)))).headers.get('location')!);
    const token = /\/ks\/([^/]+)\//.exec(location.pathname)![1]!;
    const swapped = otherFlavor.pathname.replace(/\/ks\/[^/]+\//, `/ks/${token}/`);
    expect(await refusal(await get(`${fake.url}${swapped}`))).toMatchObject({ status: 404, error: 'error-3' });
    const wrongFlavor = location.pathname.replace(/flavorId\/[^/]+/, 'flavorId/0_000000000000');
    expect(await refusal(await get(`${fake.url}${wrongFlavor}`))).toMatchObject({ status: 404, error: 'error-6' });
    now += 61;
    try {
      expect(await refusal(await get(location.href, { Range: 'bytes=0-0' }))).toMatchObject({ status: 404, error: 'error-7' });
    } finally {
      now -= 61;
    }
  });

  it('serves a real JPEG thumbnail for a known entry, with or without a size', async () => {
    for (const path of [`/p/${fake.partnerId}/thumbnail/entry_id/${e.video}`, `/p/${fake.partnerId}/sp/${fake.partnerId}00/thumbnail/entry_id/${e.video}/width/640`]) {
      const res = await get(`${fake.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/jpeg');
      expect([...new Uint8Array(await res.arrayBuffer()).subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    }
    expect((await get(`${fake.url}/p/${fake.partnerId}/thumbnail/entry_id/0_unknown1`)).status).toBe(404);
    const withKs = `${fake.url}/p/${fake.partnerId}/thumbnail/entry_id/${e.video}/width/640/ks/`;
    expect((await get(withKs + userKs(`sview:${e.video}`))).status).toBe(200);
    expect(await refusal(await get(withKs + userKs(`sview:${e.video}`, { expiresIn: -1 })))).toMatchObject({ status: 404, error: 'error-7' });
  });
});

describe('fake Kaltura scoping of media.list and eSearch (issue 12)', () => {
  let fake: FakeKaltura;
  let admin: TestClient;
  const e = {} as Record<'parentCat' | 'childCat' | 'video' | 'audio' | 'image' | 'room' | 'playlist' | 'live' | 'inParent' | 'elsewhere', string>;
  beforeAll(async () => {
    fake = await startFakeKaltura();
    admin = createTestClient(fake, { ks: fake.mintKs({ type: 2 }) });
    const parent = await s.category.add(kalturaObject('Category', { name: 'Guilds' })).execute(admin);
    const child = await s.category.add(kalturaObject('Category', { name: 'Guild 1', parentId: parent.id })).execute(admin);
    e.parentCat = String(parent.id);
    e.childCat = String(child.id);
    e.video = fake.addEntry({ name: 'Talk video', categoryIds: [child.id], video: true }).id;
    e.audio = fake.addEntry({ name: 'Talk audio', categoryIds: [child.id], mediaType: 5 }).id;
    e.image = fake.addEntry({ name: 'Talk image', categoryIds: [child.id], mediaType: 2 }).id;
    e.room = fake.addEntry({ name: 'Talk room', categoryIds: [child.id], type: 'room.ROOM' }).id;
    e.playlist = fake.addEntry({ name: 'Talk playlist', categoryIds: [child.id], type: 5 }).id;
    e.live = fake.addEntry({ name: 'Talk live', categoryIds: [child.id], type: 7, mediaType: 201 }).id;
    e.inParent = fake.addEntry({ name: 'Talk in parent', categoryIds: [parent.id], video: true }).id;
    e.elsewhere = fake.addEntry({ name: 'Talk elsewhere', categoryIds: [OTHER_CAT], video: true }).id;
  });
  afterAll(() => fake.close());

  const list = async (fields: Record<string, unknown>) => ids(await s.media.listAction(kalturaObject('MediaEntryFilter', fields)).execute(admin));
  const search = (items: unknown[]) =>
    s.eSearch
      .searchEntry(kalturaObject('ESearchEntryParams', { searchOperator: kalturaObject('ESearchEntryOperator', { operator: 1, searchItems: items }) }))
      .execute(admin);
  const categoryItem = (fieldName: string, searchTerm: string, itemType = 1) => kalturaObject('ESearchCategoryEntryItem', { fieldName, searchTerm, itemType });

  it('media.list lists media types only (no rooms, no playlists) and filters mediaTypeIn and typeEqual', async () => {
    const inChild = await list({ categoriesIdsMatchOr: e.childCat });
    expect(inChild).toEqual([e.video, e.audio, e.image, e.live].sort());
    expect(await list({ categoriesIdsMatchOr: e.childCat, mediaTypeIn: '1,5' })).toEqual([e.video, e.audio].sort());
    expect(await list({ categoriesIdsMatchOr: e.childCat, typeEqual: '7' })).toEqual([e.live]);
    expect(await list({ categoriesIdsMatchOr: e.childCat, typeIn: '5' })).toEqual([e.playlist]);
    expect(await list({ idEqual: e.elsewhere, categoriesIdsMatchOr: e.childCat })).toEqual([]);
  });

  it('media.get does not return a room or a playlist', async () => {
    for (const id of [e.room, e.playlist]) {
      expect(await rejectionOf(s.media.get(id).execute(admin))).toMatchObject({ code: 'ENTRY_ID_NOT_FOUND' });
    }
    expect((await s.media.get(e.live).execute(admin)).objectType).toBe('KalturaLiveStreamEntry');
  });

  it('eSearch category items: id is exactly that category, ancestor_id what is below it', async () => {
    expect(ids(await search([categoryItem('id', e.childCat)]))).toEqual([e.video, e.audio, e.image, e.room, e.playlist, e.live].sort());
    expect(ids(await search([categoryItem('id', e.parentCat)]))).toEqual([e.inParent]);
    expect(ids(await search([categoryItem('ancestor_id', e.parentCat)]))).toEqual([e.video, e.audio, e.image, e.room, e.playlist, e.live].sort());
    const scoped = await search([
      kalturaObject('ESearchUnifiedItem', { searchTerm: 'talk', itemType: 2 }),
      categoryItem('id', e.childCat),
      kalturaObject('ESearchEntryItem', { fieldName: 'entry_type', searchTerm: '1', itemType: 1 }),
      kalturaObject('ESearchEntryOperator', {
        operator: 2,
        searchItems: ['1', '5'].map((t) => kalturaObject('ESearchEntryItem', { fieldName: 'media_type', searchTerm: t, itemType: 1 })),
      }),
    ]);
    expect([ids(scoped), scoped.totalCount]).toEqual([[e.video, e.audio].sort(), 2]);
  });

  it('eSearch refuses item types a field does not allow, and empty terms', async () => {
    expect(await rejectionOf(search([categoryItem('id', e.childCat, 2)]))).toMatchObject({ code: 'SEARCH_TYPE_NOT_ALLOWED_ON_FIELD' });
    expect(await rejectionOf(search([categoryItem('ancestor_id', e.parentCat, 3)]))).toMatchObject({ code: 'SEARCH_TYPE_NOT_ALLOWED_ON_FIELD' });
    expect(await rejectionOf(search([categoryItem('id', '')]))).toMatchObject({ code: 'EMPTY SEARCH TERM IS NOT ALLOWED' });
    const partialType = kalturaObject('ESearchEntryItem', { fieldName: 'media_type', searchTerm: '1', itemType: 2 });
    expect(await rejectionOf(search([partialType]))).toMatchObject({ code: 'SEARCH_TYPE_NOT_ALLOWED_ON_FIELD' });
    // checked while the query is built: also on an account with no entries at all
    const empty = await startFakeKaltura();
    try {
      const nested = kalturaObject('ESearchEntryOperator', { operator: 2, searchItems: [categoryItem('id', '123456', 3)] });
      const params = kalturaObject('ESearchEntryParams', { searchOperator: kalturaObject('ESearchEntryOperator', { operator: 1, searchItems: [nested] }) });
      const client = createTestClient(empty, { ks: empty.mintKs({ type: 2 }) });
      expect(await rejectionOf(s.eSearch.searchEntry(params).execute(client))).toMatchObject({ code: 'SEARCH_TYPE_NOT_ALLOWED_ON_FIELD' });
    } finally {
      await empty.close();
    }
  });
});
