/**
 * The unit of work, the same on both engines: all-or-nothing transactions, savepoints,
 * afterCommit, top-level calls as their own transactions, and misuse refused at once.
 */
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { CleanupJobKind, NewCleanupJob } from '../../../src/core/ports/cleanup-jobs';
import type { StorageConfig } from '../../../src/config/config-types';
import { migrateDatabase } from '../../../src/store/migrate-database';
import { migrations } from '../../../src/store/migrations/index';
import { closeDatabase, openDatabase } from '../../../src/store/open-database';
import { openStore, type OpenedStore } from '../../../src/store/open-store';
import { createSqliteStore } from '../../../src/store/sql/sqlite-store';
import { StoreError } from '../../../src/store/store-error';
import { captureLogger } from '../../helpers/capture-logger';
import { createTestPostgresDatabase, STORE_DRIVERS, type StoreDriver } from '../../helpers/stores';
import { useTempDirs } from '../../helpers/temp-dir';

const job = (objectId: string, kind: CleanupJobKind = 'delete-entry'): NewCleanupJob => ({ kind, objectId, meetingId: 'm_1', dueAt: 100 });
const dueIds = async (opened: OpenedStore): Promise<string[]> => (await opened.store.cleanupJobs.listDue(1_000, 100)).map((j) => j.objectId).sort();

describe.each(STORE_DRIVERS)('the %s store', (driver: StoreDriver) => {
  const tempDir = useTempDirs();
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function open(): Promise<OpenedStore> {
    let storage: StorageConfig;
    if (driver === 'postgres') {
      const database = await createTestPostgresDatabase();
      cleanups.push(() => database.drop());
      storage = { driver, path: '', url: database.url, poolSize: 4 };
    } else {
      storage = { driver, path: path.join(tempDir(), 'state.db') };
    }
    const opened = await openStore(storage, { logger: captureLogger().logger, instanceId: 'test-1' });
    cleanups.push(() => opened.close());
    return opened;
  }

  it('commits every write of a unit together, and none when it throws', async () => {
    const opened = await open();
    await opened.store.transaction(async (tx) => {
      await tx.cleanupJobs.enqueue(job('a'), 1);
      await tx.cleanupJobs.enqueue(job('b'), 1);
    });
    await expect(
      opened.store.transaction(async (tx) => {
        await tx.cleanupJobs.enqueue(job('c'), 1);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await dueIds(opened)).toEqual(['a', 'b']);
    // Integers come back as numbers on both engines (PostgreSQL's count(*) is a bigint).
    expect(await opened.store.cleanupJobs.counts(1_000)).toMatchObject({ pending: 2, due: 2 });
  });

  it('rolls back a savepoint alone, so a statement expected to fail can be caught and the unit goes on', async () => {
    const opened = await open();
    const woken: string[] = [];
    await opened.store.transaction(async (tx) => {
      await tx.cleanupJobs.enqueue(job('kept'), 1);
      tx.afterCommit(() => woken.push('outer'));
      // A kind the schema's CHECK refuses: the statement fails on both engines.
      const refused = await tx
        .savepoint(async (inner) => {
          await inner.cleanupJobs.enqueue(job('undone'), 1);
          inner.afterCommit(() => woken.push('undone'));
          await inner.cleanupJobs.enqueue(job('bad', 'no-such-kind' as CleanupJobKind), 1);
        })
        .catch((err: Error) => err);
      expect(refused).toBeInstanceOf(Error);
      await tx.savepoint(async (inner) => {
        await inner.savepoint(async (deeper) => {
          await deeper.cleanupJobs.enqueue(job('nested'), 1);
        });
      });
      expect(woken).toEqual([]); // not before the commit
    });
    expect(await dueIds(opened)).toEqual(['kept', 'nested']);
    expect(woken).toEqual(['outer']);
  });

  it('runs no afterCommit callback when the unit rolls back', async () => {
    const opened = await open();
    const woken: string[] = [];
    await opened.store
      .transaction(async (tx) => {
        tx.afterCommit(() => woken.push('x'));
        throw new Error('no');
      })
      .catch(() => undefined);
    expect(woken).toEqual([]);
  });

  it('refuses the store itself inside a unit at once (instead of waiting on its own lock), and is usable after', async () => {
    const opened = await open();
    const { store } = opened;
    await store.transaction(async (tx) => {
      await expect(store.cleanupJobs.listDue(1_000, 10)).rejects.toThrow(StoreError);
      await expect(store.cleanupJobs.listDue(1_000, 10)).rejects.toThrow(/use the transaction passed to fn/);
      await expect(store.transaction(async () => undefined)).rejects.toThrow(/use the transaction passed to fn/);
      await tx.cleanupJobs.enqueue(job('a'), 1);
    });
    expect(await dueIds(opened)).toEqual(['a']);
  });

  it('refuses a statement through a transaction that has ended (a missing await), writing nothing', async () => {
    const opened = await open();
    let leaked: Parameters<Parameters<typeof opened.store.transaction>[0]>[0] | undefined;
    await opened.store.transaction(async (tx) => {
      leaked = tx;
    });
    await expect(leaked!.cleanupJobs.enqueue(job('late'), 1)).rejects.toThrow(/after its transaction ended/);
    expect(await dueIds(opened)).toEqual([]);
  });

  it('refuses two sibling savepoints at once (they would release each other)', async () => {
    const opened = await open();
    await opened.store.transaction(async (tx) => {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const first = tx.savepoint(async (inner) => {
        await held;
        await inner.cleanupJobs.enqueue(job('first'), 1);
      });
      await expect(tx.savepoint(async () => undefined)).rejects.toThrow(/savepoints of one transaction must nest/);
      release();
      await first;
    });
    expect(await dueIds(opened)).toEqual(['first']);
  });

  it('keeps concurrent units apart: of twenty racing first-saves, one wins and every caller sees it', async () => {
    const opened = await open();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        opened.store.transaction(async (tx) => tx.guildCategories.save('g1', { id: 100 + i, fullName: `Root>g${i}` }, i)),
      ),
    );
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(await opened.store.guildCategories.get('g1')).toEqual(results[0]);
    const added = await Promise.all(Array.from({ length: 20 }, () => opened.store.cleanupJobs.enqueue(job('once'), 1)));
    expect(added.filter(Boolean)).toHaveLength(1);
  });

  it('answers the readiness probe and refuses work once closed', async () => {
    const opened = await open();
    await expect(opened.ping()).resolves.toBeUndefined();
    expect(opened.leadership.instanceId).toBe('test-1');
    await opened.close();
    await expect(opened.store.cleanupJobs.listDue(1, 1)).rejects.toThrow();
    await opened.close(); // twice is fine
  });
});

describe('engine-specific guarantees', () => {
  const tempDir = useTempDirs();

  it('PostgreSQL: a failed statement swallowed inside a unit fails the commit loudly instead of losing the other writes silently', async () => {
    const database = await createTestPostgresDatabase();
    const opened = await openStore({ driver: 'postgres', path: '', url: database.url, poolSize: 2 }, { logger: captureLogger().logger, instanceId: 't' });
    try {
      await expect(
        opened.store.transaction(async (tx) => {
          await tx.cleanupJobs.enqueue(job('a'), 1);
          await tx.cleanupJobs.enqueue(job('bad', 'no-such-kind' as CleanupJobKind), 1).catch(() => undefined);
        }),
      ).rejects.toThrow(/rolled the transaction back because a statement in it failed; nothing was written/);
      expect(await dueIds(opened)).toEqual([]);
    } finally {
      await opened.close();
      await database.drop();
    }
  });

  it('PostgreSQL: a single call that loses a deadlock is run again and succeeds (40P01 retried)', async () => {
    const database = await createTestPostgresDatabase();
    const opened = await openStore({ driver: 'postgres', path: '', url: database.url, poolSize: 4 }, { logger: captureLogger().logger, instanceId: 't' });
    const watcher = new pg.Client({ connectionString: database.url });
    await watcher.connect();
    try {
      const { store } = opened;
      const set = (key: string, value: number) => ({ key, oldValue: undefined, newValue: value });
      await store.settings.apply('g', [set('a.one', 1), set('a.two', 1)], 'u', 1);
      let holding!: () => void;
      let go!: () => void;
      const held = new Promise<void>((r) => (holding = r));
      const proceed = new Promise<void>((r) => (go = r));
      const unit = store.transaction(async (tx) => {
        await tx.settings.apply('g', [set('a.two', 2)], 'u', 2); // this unit holds a.two
        holding();
        await proceed;
        // … and now waits for a.one: a deadlock, which PostgreSQL breaks by failing the call that waited first.
        await tx.settings.apply('g', [set('a.one', 2)], 'u', 2);
      });
      await held;
      // The single call locks a.one, then waits for a.two.
      const implicit = store.settings.apply('g', [set('a.one', 3), set('a.two', 3)], 'u', 3);
      for (let i = 0; ; i++) {
        const { rows } = await watcher.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
        if (rows[0].n > 0) break;
        if (i > 400) throw new Error('the single call never waited for the lock');
        await new Promise((r) => setTimeout(r, 25));
      }
      go();
      await unit;
      await implicit;
      expect((await store.settings.list('g')).map((s) => [s.key, s.value])).toEqual([['a.one', 3], ['a.two', 3]]);
    } finally {
      await watcher.end();
      await opened.close();
      await database.drop();
    }
  });

  it('SQLite: a unit waiting for the connection gives up after the bound, with a clear error, instead of hanging', async () => {
    const db = openDatabase(path.join(tempDir(), 'state.db'));
    migrateDatabase(db, migrations, 'state.db');
    const store = createSqliteStore(db, { lockTimeoutMs: 50 });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = store.transaction(async (tx) => {
      await tx.cleanupJobs.enqueue(job('first'), 1);
      await held;
    });
    await expect(store.cleanupJobs.listDue(1_000, 10)).rejects.toThrow(/the database stayed busy for 50 ms/);
    release();
    await first;
    expect((await store.cleanupJobs.listDue(1_000, 10)).map((j) => j.objectId)).toEqual(['first']);
    closeDatabase(db);
  });
});
