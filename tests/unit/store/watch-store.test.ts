/**
 * Watch links and launch intents over both engines, on a database shared by two store instances
 * (two `serve`s on PostgreSQL; `serve` and a restart on SQLite): single use holds across them.
 */
import { describe, expect, it } from 'vitest';
import { STORE_DRIVERS } from '../../helpers/stores';
import { rawSql, useSettingsStores } from '../core/settings-fixtures';

const link = { tokenId: 'jti-0000000000000001', guildId: '1', userId: '2', entryId: '0_abc', roleIds: ['7', '8'], expiresAt: 10_000 };
const count = async (opened: Parameters<typeof rawSql>[0], table: string) => Number((await rawSql(opened, `SELECT COUNT(*) AS n FROM ${table}`))[0]!.n);

describe.each(STORE_DRIVERS)('the watch-link ledger (%s)', (driver) => {
  const { first, second } = useSettingsStores(driver);

  it('is used once across two instances of the store, and is kept', async () => {
    const a = await first();
    const b = await second(a.opened);
    await a.store.watchLinks.record(link, 0);
    expect(await b.store.watchLinks.find(link.tokenId)).toEqual(link);
    expect(await b.store.watchLinks.claim(link.tokenId, 500)).toBe(true);
    expect(await a.store.watchLinks.claim(link.tokenId, 501)).toBe(false);
    expect(await a.store.watchLinks.find(link.tokenId)).toEqual({ ...link, usedAt: 500 });
    expect(await a.store.watchLinks.find('jti-unknown')).toBeUndefined();
  });

  it('gives back only its own claim', async () => {
    const { store } = await first();
    await store.watchLinks.record(link, 0);
    expect(await store.watchLinks.claim(link.tokenId, 500)).toBe(true);
    await store.watchLinks.release(link.tokenId, 499); // not this claim: nothing changes
    expect(await store.watchLinks.claim(link.tokenId, 600)).toBe(false);
    await store.watchLinks.release(link.tokenId, 500);
    expect(await store.watchLinks.claim(link.tokenId, 600)).toBe(true);
  });

  it('refuses a second link with the same id and changes nothing; forgets expired ones in batches', async () => {
    const { store, opened } = await first();
    await store.watchLinks.record(link, 0);
    await expect(store.watchLinks.record({ ...link, entryId: '0_other' }, 0)).rejects.toThrow();
    expect((await store.watchLinks.find(link.tokenId))!.entryId).toBe('0_abc');
    await store.transaction(async (tx) => {
      for (let i = 0; i < 150; i++) await tx.watchLinks.record({ ...link, tokenId: `old-${i}`, expiresAt: 1_000 }, 0);
    });
    await store.watchLinks.record({ ...link, tokenId: 'new-1', expiresAt: 90_000 }, 20_000);
    expect(await count(opened, 'watch_links')).toBe(52); // 100 of 151 expired ones forgotten
    await store.watchLinks.record({ ...link, tokenId: 'new-2', expiresAt: 90_000 }, 20_000);
    expect((await rawSql(opened, 'SELECT token_id FROM watch_links ORDER BY token_id')).map((r) => r.token_id)).toEqual(['new-1', 'new-2']);
  });
});

describe.each(STORE_DRIVERS)('launch intents (%s)', (driver) => {
  const { first, second } = useSettingsStores(driver);

  it('keeps the newest per member and channel, is taken once (by either instance), and forgets old ones', async () => {
    const a = await first();
    const b = await second(a.opened);
    const { launches } = a.store;
    await launches.remember({ userId: 'u', guildId: 'g', channelId: 'c', entryId: '0_first', at: 1_000 }, 0);
    await launches.remember({ userId: 'u', guildId: 'g', channelId: 'c', entryId: '0_second', at: 2_000 }, 0);
    await launches.remember({ userId: 'v', guildId: 'g', channelId: 'c', entryId: '0_other', at: 2_000 }, 0);
    expect(await b.store.launches.take('u', 'g', 'c', 1_500)).toBe('0_second');
    expect(await launches.take('u', 'g', 'c', 0)).toBeUndefined();
    // too old when taken: removed, not returned
    expect(await launches.take('v', 'g', 'c', 2_001)).toBeUndefined();
    expect(await count(a.opened, 'activity_launches')).toBe(0);
    await launches.remember({ userId: 'u', guildId: 'g', channelId: 'c1', entryId: '0_a', at: 1_000 }, 0);
    await launches.remember({ userId: 'u', guildId: 'g', channelId: 'c2', entryId: '0_b', at: 9_000 }, 5_000);
    expect((await rawSql(a.opened, 'SELECT entry_id FROM activity_launches')).map((r) => r.entry_id)).toEqual(['0_b']);
  });
});

/** Instances racing on one PostgreSQL database (two SQLite stores in one process would block each other's thread). */
describe('single use under concurrency (postgres)', () => {
  const { first, second } = useSettingsStores('postgres');

  it('of 20 simultaneous claims of one link from two instances exactly one wins; a launch intent is taken once', async () => {
    const a = await first();
    const b = await second(a.opened);
    await a.store.watchLinks.record(link, 0);
    const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).store.watchLinks.claim(link.tokenId, 1_000 + i)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect((await a.store.watchLinks.find(link.tokenId))!.usedAt).toBe(1_000 + claims.indexOf(true));

    await a.store.launches.remember({ userId: 'u', guildId: 'g', channelId: 'c', entryId: '0_x', at: 1_000 }, 0);
    const taken = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).store.launches.take('u', 'g', 'c', 0)));
    expect(taken.filter((t) => t !== undefined)).toEqual(['0_x']);
  });
});
