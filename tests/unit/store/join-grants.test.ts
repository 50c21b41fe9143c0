import { afterEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '../../helpers/temp-dir';
import { MEETING_STORE_DRIVERS, openStoreUnderTest, type StoreUnderTest } from '../../integration/meetings/store-under-test';

const tempDir = useTempDirs();
const open: StoreUnderTest[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

const MEETING = 'm_aaaaaaaaaaaaaaaa';

/** What a join link stands for (name, role ids) is kept server-side, survives a restart and is pruned with used tokens. */
describe.each(MEETING_STORE_DRIVERS)('join grants (migration 008, %s)', (driver) => {
  async function openStore() {
    const s = await openStoreUnderTest(driver, tempDir());
    open.push(s);
    await s.store.meetings.insert({ id: MEETING, guildId: '1', channelId: '2', hostId: '3', hostName: 'Ana', kind: 'meeting', title: 'T', durationMinutes: 30, record: false, status: 'live', createdAt: 1, version: 0, cardVersion: 0 });
    return { ...s, ledger: s.store.joinLedger };
  }
  const grant = { tokenId: 'jti-1', meetingId: MEETING, userId: '42', displayName: '会議 👩‍👩‍👧‍👦 Ana', roleIds: ['700', '701'], expiresAt: 10_000 };

  it('stores a grant and reads it back from another connection (a restart)', async () => {
    const first = await openStore();
    await first.ledger.recordGrant(grant);
    const again = await first.another();
    expect(await again.joinLedger.findGrant('jti-1')).toEqual(grant);
    expect(await again.joinLedger.findGrant('jti-2')).toBeUndefined();
  });

  it('refuses a second grant for the same token id and changes nothing', async () => {
    const { ledger } = await openStore();
    await ledger.recordGrant(grant);
    await expect(ledger.recordGrant({ ...grant, displayName: 'Mallory' })).rejects.toThrow();
    expect((await ledger.findGrant('jti-1'))!.displayName).toBe(grant.displayName);
  });

  it('is pruned once expired, with the used tokens', async () => {
    const { ledger } = await openStore();
    await ledger.recordGrant(grant);
    await ledger.recordGrant({ ...grant, tokenId: 'jti-later', expiresAt: 50_000 });
    await ledger.prune(20_000);
    expect(await ledger.findGrant('jti-1')).toBeUndefined();
    expect(await ledger.findGrant('jti-later')).toBeDefined();
  });
});
