import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { categoryRootPath, createGuildCategories } from '../../../src/core/categories/create-guild-categories';
import type { GuildCategories } from '../../../src/core/ports/guild-categories';
import { createKaltura, type Kaltura } from '../../../src/kaltura/create-kaltura';
import { startFakeKaltura, type FakeKaltura } from '../../fakes/kaltura/index';
import { useTempDirs } from '../../helpers/temp-dir';
import { configFor, createCapturingLogger, FAST_RETRY } from '../kaltura/helpers';
import { MEETING_STORE_DRIVERS, openStoreUnderTest, type StoreUnderTest } from '../meetings/store-under-test';

const logger = createCapturingLogger();
const G1 = '1200000000000000001';
const G2 = '1200000000000000002';
let fake: FakeKaltura;
let kaltura: Kaltura;
const tempDir = useTempDirs();
let opened: StoreUnderTest;
const settings = new Map<string, number>();

function categoriesFor(root = 'kaltura-discord'): GuildCategories {
  return createGuildCategories({
    directory: kaltura.categories,
    store: opened.store,
    rootPath: categoryRootPath(root),
    settingFor: async (g) => settings.get(g),
    clock: { now: () => 1_000 },
    logger,
  });
}
const adds = () => fake.requests.filter((r) => r.service === 'category' && r.action === 'add').length;
const live = () => [...fake.store.categories.values()].filter((c) => c.status === 2).map((c) => c.fullName).sort();

describe.each(MEETING_STORE_DRIVERS)('server categories (%s)', (driver) => {
  beforeEach(async () => {
    fake = await startFakeKaltura();
    kaltura = createKaltura({ config: configFor(fake), logger, clock: { now: () => Date.now() }, retry: FAST_RETRY });
    opened = await openStoreUnderTest(driver, tempDir());
    settings.clear();
  });
  afterEach(async () => {
    await opened.close();
    await kaltura.close();
    await fake.close();
    expect(fake.internalErrors).toEqual([]);
  });

  describe('a Kaltura category per Discord server', () => {
    it('creates the root path and one category per server on first use, once, and keeps it', async () => {
      const categories = categoriesFor('Media Space > discord');
      const [a, again] = await Promise.all([categories.categoryFor(G1), categories.categoryFor(G1)]); // concurrent first uses
      expect(a).toEqual(again);
      expect(a).toMatchObject({ fullName: `Media Space>discord>${G1}`, source: 'created' });
      const b = await categories.categoryFor(G2);
      expect(b.fullName).toBe(`Media Space>discord>${G2}`);
      expect(b.id).not.toBe(a.id);
      expect(live()).toEqual(['Media Space', 'Media Space>discord', `Media Space>discord>${G1}`, `Media Space>discord>${G2}`]);
      expect(adds()).toBe(4);
      // kept in the store: a new instance (a restart) does not ask Kaltura again
      const before = fake.requests.length;
      expect(await categoriesFor('Media Space > discord').categoryFor(G1)).toMatchObject({ id: a.id, source: 'stored' });
      expect(fake.requests.length).toBe(before);
    });

    it('finds a category that already exists (another instance made it) instead of creating a second', async () => {
      const first = await categoriesFor().categoryFor(G1);
      await opened.all('DELETE FROM guild_categories'); // a second bot with its own database
      const found = await categoriesFor().categoryFor(G1);
      expect(found).toMatchObject({ id: first.id, source: 'found' });
      expect(adds()).toBe(2);
    });

    it('recovers from DUPLICATE_CATEGORY when another instance creates it between the lookup and the add', async () => {
      const categories = categoriesFor();
      await categories.categoryFor(G2); // the root exists now
      // Someone else creates G1's category right after our lookup answers "none": our add then collides.
      const realList = fake.store.categories;
      let raced = false;
      const origGet = realList.values.bind(realList);
      (realList as { values: () => IterableIterator<unknown> }).values = () => {
        const rootId = [...origGet()].find((c) => (c as { fullName: string }).fullName === 'kaltura-discord') as { id: number; fullIds: string };
        if (!raced && fake.requests.at(-1)?.action === 'list' && fake.requests.at(-1)?.params.filter?.fullNameEqual === `kaltura-discord>${G1}`) {
          raced = true;
          const result = [...origGet()];
          realList.set(4_999_999, { id: 4_999_999, parentId: rootId.id, depth: 1, partnerId: fake.partnerId, name: G1, fullName: `kaltura-discord>${G1}`, fullIds: `${rootId.fullIds}>4999999`, status: 2, createdAt: 0, updatedAt: 0, objectType: 'KalturaCategory' });
          return result.values() as IterableIterator<never>;
        }
        return origGet();
      };
      const got = await categories.categoryFor(G1);
      expect(raced).toBe(true);
      expect(got.id).toBe(4_999_999);
      expect(fake.requests.filter((r) => r.errorCode === 'DUPLICATE_CATEGORY')).toHaveLength(1);
    });

    it("uses an admin's category setting without asking Kaltura; describe() checks one with category.get", async () => {
      const categories = categoriesFor();
      settings.set(G1, 777);
      expect(await categories.categoryFor(G1)).toMatchObject({ id: 777, source: 'setting' });
      expect(fake.requests.filter((r) => r.service === 'category')).toEqual([]);
      expect(await categories.describe(777)).toBeUndefined();
      const made = await categories.categoryFor(G2);
      expect(await categories.describe(made.id)).toMatchObject({ id: made.id, fullName: `kaltura-discord>${G2}` });
      expect(fake.requests.at(-1)).toMatchObject({ service: 'category', action: 'get' });
    });

    it('a Kaltura failure on first use is thrown and nothing is kept', async () => {
      fake.inject({ kind: 'status', status: 503 }, { service: 'category' });
      await expect(categoriesFor().categoryFor(G1)).rejects.toThrow();
      expect(await opened.all('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM guild_categories')).toEqual([{ n: 0 }]);
      fake.clearFaults();
      expect((await categoriesFor().categoryFor(G1)).source).toBe('created');
    });

    it("refuses to point a server at another server's category, or at one that holds every server's category", async () => {
      const categories = categoriesFor('Media Space > discord');
      const own1 = await categories.categoryFor(G1);
      const course = await kaltura.categories.ensurePath(['Course media']);
      const root = await kaltura.categories.ensurePath(['Media Space', 'discord']);
      const top = await kaltura.categories.ensurePath(['Media Space']);
      // made by another bot instance (its own database) for a third server: not in our table, but under the root
      const G3 = '1200000000000000003';
      const third = await kaltura.categories.ensurePath(['Media Space', 'discord', G3]);

      expect(await categories.checkAssignable(G2, own1.id)).toMatchObject({ ok: false, reason: 'another-server' });
      expect(await categories.checkAssignable(G2, third.id)).toMatchObject({ ok: false, reason: 'another-server' });
      expect(await categories.checkAssignable(G2, root.id)).toMatchObject({ ok: false, reason: 'holds-servers' });
      expect(await categories.checkAssignable(G2, top.id)).toMatchObject({ ok: false, reason: 'holds-servers' });
      expect(await categories.checkAssignable(G2, 987_654)).toEqual({ ok: false, reason: 'not-found' });
      // its own category, and one nobody holds, are fine
      expect(await categories.checkAssignable(G1, own1.id)).toMatchObject({ ok: true, category: { id: own1.id } });
      expect(await categories.checkAssignable(G2, course.id)).toMatchObject({ ok: true, category: { id: course.id, fullName: 'Course media' } });
      // once server 2 chose "Course media" with its setting, server 1 cannot take it too
      await opened.store.settings.apply(G2, [{ key: 'kaltura.categoryId', oldValue: undefined, newValue: course.id }], 'admin', 2_000);
      expect(await categories.checkAssignable(G1, course.id)).toMatchObject({ ok: false, reason: 'another-server' });
      expect(await categories.checkAssignable(G2, course.id)).toMatchObject({ ok: true });
    });
  });
});
