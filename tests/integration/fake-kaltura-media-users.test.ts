import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeKaltura, type FakeKaltura } from '../fakes/kaltura';
import { createTestClient, k, kalturaObject, rejectionOf, type TestClient } from '../fakes/kaltura/test-client';

const s = k.services;
const ids = (list: { objects: Array<{ id: string }> }) => list.objects.map((e) => e.id);
const entryFilter = (fields: Record<string, unknown>) => kalturaObject('MediaEntryFilter', fields);

describe('fake Kaltura media and eSearch', () => {
  let fake: FakeKaltura;
  let admin: TestClient;
  const e: Record<string, string> = {};
  beforeAll(async () => {
    fake = await startFakeKaltura();
    admin = createTestClient(fake, { ks: fake.mintKs({ type: 2 }) });
    e.lecture1 = fake.addEntry({ name: 'Lecture 1: Intro', description: 'first lecture', tags: 'physics,intro', userId: 'alice', createdAt: 1000, plays: 5, views: 50, duration: 600, categoriesIds: '11,12' }).id;
    e.lecture2 = fake.addEntry({ name: 'Lecture 2: Waves', tags: 'physics', userId: 'bob', createdAt: 2000, plays: 50, views: 10, duration: 1200, categoriesIds: '12' }).id;
    e.party = fake.addEntry({ name: 'Guild party', description: 'not a LECTURE at all', userId: 'alice', createdAt: 3000, plays: 1, views: 99, duration: 60 }).id;
    e.pending = fake.addEntry({ name: 'Lecture 3 (processing)', status: 4, createdAt: 4000 }).id;
    e.moderated = fake.addEntry({ name: 'Lecture 4 (rejected)', moderationStatus: 3, createdAt: 5000 }).id;
  });
  afterAll(() => fake.close());

  it('media.list defaults to READY entries and filters on freeText, nameLike, idIn, userIdEqual, categories', async () => {
    expect(ids(await s.media.listAction().execute(admin))).toEqual([e.party, e.lecture2, e.lecture1]);
    expect(ids(await s.media.listAction(entryFilter({ freeText: 'lecture' })).execute(admin))).toEqual([e.party, e.lecture2, e.lecture1]);
    expect(ids(await s.media.listAction(entryFilter({ freeText: 'physics intro' })).execute(admin))).toEqual([e.lecture1]);
    expect(ids(await s.media.listAction(entryFilter({ nameLike: 'lecture' })).execute(admin))).toEqual([e.lecture2, e.lecture1]);
    expect(ids(await s.media.listAction(entryFilter({ idIn: `${e.lecture1},${e.pending}` })).execute(admin))).toEqual([e.lecture1]);
    expect(ids(await s.media.listAction(entryFilter({ userIdEqual: 'alice' })).execute(admin))).toEqual([e.party, e.lecture1]);
    expect(ids(await s.media.listAction(entryFilter({ categoriesIdsMatchOr: '11,99' })).execute(admin))).toEqual([e.lecture1]);
    expect(ids(await s.media.listAction(entryFilter({ statusEqual: '4' })).execute(admin))).toEqual([e.pending]);
    expect(ids(await s.media.listAction(entryFilter({ statusEqual: 2, nameLike: 'lecture' })).execute(admin))).toEqual([e.lecture2, e.lecture1]);
  });

  it('media.list orders by the MediaEntryOrderBy values and pages', async () => {
    const order = async (orderBy: string) => ids(await s.media.listAction(entryFilter({ orderBy })).execute(admin));
    expect(await order('+createdAt')).toEqual([e.lecture1, e.lecture2, e.party]);
    expect(await order('+name')).toEqual([e.party, e.lecture1, e.lecture2]);
    expect(await order('-plays')).toEqual([e.lecture2, e.lecture1, e.party]);
    expect(await order('-views')).toEqual([e.party, e.lecture1, e.lecture2]);
    expect(await order('-duration')).toEqual([e.lecture2, e.lecture1, e.party]);
    const page2 = await s.media.listAction(entryFilter({ orderBy: '+createdAt' }), kalturaObject('FilterPager', { pageSize: 2, pageIndex: 2 })).execute(admin);
    expect({ ids: ids(page2), total: page2.totalCount }).toEqual({ ids: [e.party], total: 3 });
  });

  it('applies the pager defaults: 30 per page, at most 500', async () => {
    const many = await startFakeKaltura();
    try {
      for (let i = 0; i < 520; i++) many.addEntry({ name: `bulk ${i}`, createdAt: i });
      const client = createTestClient(many, { ks: many.mintKs({}) });
      const first = await s.media.listAction().execute(client);
      expect({ count: first.objects.length, total: first.totalCount }).toEqual({ count: 30, total: 520 });
      const capped = await s.media.listAction(null, kalturaObject('FilterPager', { pageSize: 1000 })).execute(client);
      expect(capped.objects).toHaveLength(500);
      const last = await s.media.listAction(entryFilter({ orderBy: '+createdAt' }), kalturaObject('FilterPager', { pageSize: 500, pageIndex: 2 })).execute(client);
      expect(last.objects.map((x: { name: string }) => x.name)).toEqual(Array.from({ length: 20 }, (_, i) => `bulk ${500 + i}`));
    } finally {
      await many.close();
    }
  });

  it('media.get returns the entry with its fields, ENTRY_ID_NOT_FOUND otherwise', async () => {
    const entry = await s.media.get(e.lecture1).execute(admin);
    expect(entry).toMatchObject({ id: e.lecture1, type: 1, mediaType: 1, status: 2, duration: 600, msDuration: 600000, partnerId: fake.partnerId, objectType: 'KalturaMediaEntry' });
    expect(entry.thumbnailUrl).toContain(`/thumbnail/entry_id/${e.lecture1}`);
    const error = await rejectionOf(s.media.get('0_missing').execute(admin));
    expect(error).toEqual({ code: 'ENTRY_ID_NOT_FOUND', message: 'Entry id "0_missing" not found', objectType: 'KalturaAPIException', args: { ENTRY_ID: '0_missing' } });
  });

  it('a USER KS lists only its own entries', async () => {
    const user = createTestClient(fake, { ks: fake.mintKs({ type: 0, userId: 'bob' }) });
    expect(ids(await s.media.listAction().execute(user))).toEqual([e.lecture2]);
  });

  it('eSearch matches unified and field items with operators, highlights and order', async () => {
    const unified = kalturaObject('ESearchEntryParams', {
      searchOperator: kalturaObject('ESearchEntryOperator', {
        operator: 1,
        searchItems: [kalturaObject('ESearchUnifiedItem', { searchTerm: 'lecture', itemType: 2, addHighlight: true })],
      }),
      orderBy: kalturaObject('ESearchOrderBy', { orderItems: [kalturaObject('ESearchEntryOrderByItem', { sortField: 'created_at', sortOrder: 'asc' })] }),
    });
    const response = await s.eSearch.searchEntry(unified, kalturaObject('Pager', { pageSize: 10, pageIndex: 1 })).execute(admin);
    expect(response.objectType).toBe('KalturaESearchEntryResponse');
    expect(response.totalCount).toBe(3);
    expect(response.objects.map((r: { object: { id: string } }) => r.object.id)).toEqual([e.lecture1, e.lecture2, e.party]);
    expect(response.objects[0]).toMatchObject({ objectType: 'KalturaESearchEntryResult', object: { objectType: 'KalturaMediaEntry' } });
    expect(response.objects[0].highlight[0]).toEqual({
      fieldName: 'name', hits: [{ value: '<em>Lecture</em> 1: Intro', objectType: 'KalturaString' }], objectType: 'KalturaESearchHighlight',
    });

    const nameOnly = kalturaObject('ESearchEntryParams', {
      searchOperator: kalturaObject('ESearchEntryOperator', {
        operator: 1,
        searchItems: [
          kalturaObject('ESearchEntryItem', { fieldName: 'name', searchTerm: 'lecture', itemType: 2 }),
          kalturaObject('ESearchEntryOperator', { operator: 3, searchItems: [kalturaObject('ESearchEntryItem', { fieldName: 'kuser_id', searchTerm: 'bob', itemType: 1 })] }),
        ],
      }),
    });
    const names = await s.eSearch.searchEntry(nameOnly).execute(admin);
    expect(names.objects.map((r: { object: { id: string } }) => r.object.id)).toEqual([e.lecture1]);

    const exact = kalturaObject('ESearchEntryParams', {
      searchOperator: kalturaObject('ESearchEntryOperator', { operator: 1, searchItems: [kalturaObject('ESearchEntryItem', { fieldName: 'name', searchTerm: 'guild party', itemType: 1 })] }),
    });
    expect((await s.eSearch.searchEntry(exact).execute(admin)).objects.map((r: { object: { id: string } }) => r.object.id)).toEqual([e.party]);

    const bad = kalturaObject('ESearchEntryParams', {
      searchOperator: kalturaObject('ESearchEntryOperator', { operator: 1, searchItems: [kalturaObject('ESearchEntryItem', { fieldName: 'title', searchTerm: 'x', itemType: 2 })] }),
    });
    expect((await rejectionOf(s.eSearch.searchEntry(bad).execute(admin))).code).toBe('INVALID_ENUM_VALUE');
  });

  it('answers searchEntry with SERVICE_FORBIDDEN on an account without eSearch', async () => {
    const noSearch = await startFakeKaltura({ esearch: false });
    try {
      const client = createTestClient(noSearch, { ks: noSearch.mintKs({}) });
      const error = await rejectionOf(s.eSearch.searchEntry(kalturaObject('ESearchEntryParams', {})).execute(client));
      expect(error.args).toEqual({ SERVICE: 'elasticsearch_esearch->searchEntry' });
    } finally {
      await noSearch.close();
    }
  });
});

describe('fake Kaltura users', () => {
  let fake: FakeKaltura;
  let admin: TestClient;
  beforeAll(async () => {
    fake = await startFakeKaltura();
    admin = createTestClient(fake, { ks: fake.mintKs({ type: 2, userId: 'discord-bot' }) });
  });
  afterAll(() => fake.close());

  const user = (fields: Record<string, unknown>) => kalturaObject('User', fields);

  it('adds, gets, updates and deletes a user, computing fullName', async () => {
    const added = await s.user.add(user({ id: 'discord_123', screenName: 'alice', firstName: 'Alice', lastName: 'Liddell', email: 'alice@example.com', partnerData: '{"discordId":"123"}' })).execute(admin);
    expect(added).toMatchObject({ id: 'discord_123', fullName: 'Alice Liddell', status: 1, partnerId: fake.partnerId, objectType: 'KalturaUser' });
    const updated = await s.user.update('discord_123', user({ lastName: 'Pleasance' })).execute(admin);
    expect(updated).toMatchObject({ firstName: 'Alice', lastName: 'Pleasance', fullName: 'Alice Pleasance', email: 'alice@example.com' });
    expect((await s.user.get('discord_123').execute(admin)).fullName).toBe('Alice Pleasance');
    expect((await s.user.deleteAction('discord_123').execute(admin)).status).toBe(2);
    const gone = await rejectionOf(s.user.get('discord_123').execute(admin));
    expect(gone).toEqual({ code: 'INVALID_USER_ID', message: 'Invalid user id', objectType: 'KalturaAPIException', args: [] });
  });

  it('answers DUPLICATE_USER_BY_ID, INVALID_FIELD_VALUE for bad ids and URL names, INVALID_USER_ID args []', async () => {
    await s.user.add(user({ id: 'discord_200', firstName: 'Bob' })).execute(admin);
    expect(await rejectionOf(s.user.add(user({ id: 'discord_200' })).execute(admin))).toEqual({
      code: 'DUPLICATE_USER_BY_ID', message: 'User with id [discord_200] already exists in system', objectType: 'KalturaAPIException', args: { UID: 'discord_200' },
    });
    expect((await rejectionOf(s.user.add(user({ id: 'has space' })).execute(admin))).args).toEqual({ FIELD_NAME: 'id' });
    const url = await rejectionOf(s.user.add(user({ id: 'discord_201', firstName: 'see https://spam.example' })).execute(admin));
    expect({ code: url.code, message: url.message, args: url.args }).toEqual({ code: 'INVALID_FIELD_VALUE', message: 'value in field [firstName] is not valid', args: { FIELD_NAME: 'firstName' } });
    const missing = await rejectionOf(s.user.update('nobody', user({ firstName: 'X' })).execute(admin));
    expect(missing.args).toEqual([]);
    expect(missing.code).toBe('INVALID_USER_ID');
  });

  it('lets a USER KS read only itself', async () => {
    await s.user.add(user({ id: 'discord_300', firstName: 'Cy' })).execute(admin);
    const self = createTestClient(fake, { ks: fake.mintKs({ type: 0, userId: 'discord_300' }) });
    expect((await s.user.get().execute(self)).id).toBe('discord_300');
    const other = await rejectionOf(s.user.get('discord_200').execute(self));
    expect(other).toMatchObject({ code: 'CANNOT_RETRIEVE_ANOTHER_USER_USING_NON_ADMIN_SESSION', args: { USER_ID: 'discord_200' } });
    expect((await rejectionOf(s.user.add(user({ id: 'x1' })).execute(self))).code).toBe('SERVICE_FORBIDDEN');
  });
});
