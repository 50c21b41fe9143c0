/**
 * The settings repository over both engines: JSON values with who and when, the audit of each
 * change written with it (atomically), and SQLite's data_version as the sign another process wrote.
 */
import { describe, expect, it } from 'vitest';
import { STORE_DRIVERS } from '../../helpers/stores';
import { ADMIN, G, OTHER, rawSql, ROLE_A, useSettingsStores } from '../core/settings-fixtures';

describe.each(STORE_DRIVERS)('guild settings store (%s)', (driver) => {
  const { first, second } = useSettingsStores(driver);

  it('stores JSON values with who and when, and the audit of each change (NULL = no server value)', async () => {
    const { store, opened } = await first();
    await store.settings.apply(G, [{ key: 'roles.moderatorRoleIds', oldValue: undefined, newValue: [ROLE_A] }], ADMIN, 10);
    await store.settings.apply(G, [{ key: 'meetings.record', oldValue: undefined, newValue: false }], 'cli:ops', 20);
    expect(await store.settings.list(G)).toEqual([
      { key: 'meetings.record', value: false, updatedAt: 20, updatedBy: 'cli:ops' },
      { key: 'roles.moderatorRoleIds', value: [ROLE_A], updatedAt: 10, updatedBy: ADMIN },
    ]);
    await store.settings.apply(G, [{ key: 'meetings.record', oldValue: false, newValue: undefined }], ADMIN, 30);
    expect((await store.settings.list(G)).map((s) => s.key)).toEqual(['roles.moderatorRoleIds']);
    expect(await store.settings.list(OTHER)).toEqual([]);
    expect(await rawSql(opened, 'SELECT key, old_value, new_value, actor, at FROM settings_audit ORDER BY id')).toEqual([
      { key: 'roles.moderatorRoleIds', old_value: null, new_value: `["${ROLE_A}"]`, actor: ADMIN, at: 10 },
      { key: 'meetings.record', old_value: null, new_value: 'false', actor: 'cli:ops', at: 20 },
      { key: 'meetings.record', old_value: 'false', new_value: null, actor: ADMIN, at: 30 },
    ]);
    expect((await store.settings.audit(G, 2)).map((e) => e.at)).toEqual([30, 20]);
    expect(await store.settings.audit(OTHER, 10)).toEqual([]);
  });

  it('writes the values and their audit rows in one transaction: if the audit fails, no value changes', async () => {
    const { store, opened } = await first();
    await store.settings.apply(G, [{ key: 'meetings.record', oldValue: undefined, newValue: true }], ADMIN, 10);
    await rawSql(opened, 'DROP TABLE settings_audit');
    await expect(
      store.settings.apply(G, [
        { key: 'meetings.record', oldValue: true, newValue: false },
        { key: 'meetings.kind', oldValue: undefined, newValue: 'webinar' },
      ], ADMIN, 20),
    ).rejects.toThrow(/settings_audit/);
    expect(await store.settings.list(G)).toEqual([{ key: 'meetings.record', value: true, updatedAt: 10, updatedBy: ADMIN }]);
  });

  it("revision(): SQLite moves it when another connection commits, not on this connection's writes; PostgreSQL: 0 (the change feed tells)", async () => {
    const a = await first();
    const r0 = await a.store.settings.revision();
    await a.store.settings.apply(G, [{ key: 'meetings.record', oldValue: undefined, newValue: true }], ADMIN, 1);
    expect(await a.store.settings.revision()).toBe(r0);
    const b = await second(a.opened);
    await b.store.settings.apply(G, [{ key: 'meetings.record', oldValue: true, newValue: false }], 'cli:ops', 2);
    if (driver === 'sqlite') expect(await a.store.settings.revision()).not.toBe(r0);
    else expect([r0, await a.store.settings.revision()]).toEqual([0, 0]);
  });
});

/**
 * Several instances write one PostgreSQL database at once (two SQLite stores in one process cannot:
 * better-sqlite3 waits for the other connection's lock synchronously, blocking the very thread
 * that would release it; one SQLite file has one `serve`, and BEGIN IMMEDIATE orders it with the CLI).
 */
describe('guild settings store, several instances (postgres)', () => {
  const { first, second } = useSettingsStores('postgres');

  it('lockGuild holds another instance writing that server until the transaction ends', async () => {
    const a = await first();
    const b = await second(a.opened);
    const order: string[] = [];
    let release: (() => void) | undefined;
    const holding = new Promise<void>((resolve) => (release = resolve));
    let locked: (() => void) | undefined;
    const aLocked = new Promise<void>((resolve) => (locked = resolve));
    const ta = a.store.transaction(async (tx) => {
      await tx.settings.lockGuild(G);
      locked!();
      await holding;
      order.push('a commits');
    });
    await aLocked;
    const tb = b.store.transaction(async (tx) => {
      await tx.settings.lockGuild(G);
      order.push('b has the lock');
    });
    const waiting = async () => Number((await rawSql(a.opened, "SELECT COUNT(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"))[0]!.n);
    for (let i = 0; (await waiting()) === 0; i++) {
      if (i > 400) throw new Error('b never waited for the lock');
      await new Promise((r) => setTimeout(r, 25));
    }
    release!();
    await Promise.all([ta, tb]);
    expect(order).toEqual(['a commits', 'b has the lock']);
  });
});
