import { afterEach, describe, expect, it } from 'vitest';
import { openTestStore, STORE_DRIVERS, type TestStore } from '../../helpers/stores';

describe.each(STORE_DRIVERS)('openTestStore(%s)', (driver) => {
  const open: TestStore[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
  });

  it('opens a migrated store of that engine, isolated from every other one', async () => {
    const a = await openTestStore(driver);
    open.push(a);
    const b = await openTestStore(driver);
    open.push(b);
    expect(a.dialect).toBe(driver);
    expect(a.storage.driver).toBe(driver);
    expect(a.migrated.to).toBeGreaterThan(0);
    await a.ping();
    expect(driver === 'sqlite' ? a.storage.path !== b.storage.path : a.storage.url !== b.storage.url).toBe(true);
    // Each is alone on its database (advisory locks are per database), so each leads.
    expect([a.leadership.isLeader(), b.leadership.isLeader()]).toEqual([true, true]);
  });
});
