import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { ALL_KEYS, createPgChangeFeed, type PgChangeFeed } from '../../../../src/store/postgres/pg-change-feed';
import { captureLogger } from '../../../helpers/capture-logger';
import { createTestPostgresDatabase, type TestPostgresDatabase } from '../../../helpers/stores';
import { until } from '../../../helpers/until';

const opened: { close(): Promise<void> }[] = [];
const databases: TestPostgresDatabase[] = [];
afterEach(async () => {
  for (const o of opened.splice(0).reverse()) await o.close();
  for (const d of databases.splice(0)) await d.drop();
});

async function twoInstances(): Promise<{ url: string; a: PgChangeFeed; b: PgChangeFeed }> {
  const d = await createTestPostgresDatabase();
  databases.push(d);
  const a = await createPgChangeFeed({ url: d.url, logger: captureLogger().logger, maxReconnectDelayMs: 200 });
  opened.push(a);
  const b = await createPgChangeFeed({ url: d.url, logger: captureLogger().logger, maxReconnectDelayMs: 200 });
  opened.push(b);
  return { url: d.url, a, b };
}

describe('PostgreSQL change feed (LISTEN/NOTIFY)', () => {
  it("delivers a change to the other instance's subscriber, and to the publisher's own at once", async () => {
    const { a, b } = await twoInstances();
    const seenByA: string[] = [];
    const seenByB: string[] = [];
    a.subscribe('settings', (k) => seenByA.push(k));
    b.subscribe('settings', (k) => seenByB.push(k));
    await a.publish('settings', '111111111111111111');
    expect(seenByA).toEqual(['111111111111111111']);
    await until('b to hear it', () => seenByB.length > 0);
    expect(seenByB).toEqual(['111111111111111111']);
  });

  it('keeps topics apart and stops calling a subscriber that unsubscribed', async () => {
    const { a, b } = await twoInstances();
    const settings: string[] = [];
    const categories: string[] = [];
    const stop = b.subscribe('settings', (k) => settings.push(k));
    b.subscribe('categories', (k) => categories.push(k));
    stop();
    await a.publish('settings', 'guild-1');
    await a.publish('categories', 'guild-2');
    // Notifications arrive in commit order: once guild-2 is here, guild-1 would have been too.
    await until('the categories change', () => categories.length > 0);
    expect(categories).toEqual(['guild-2']);
    expect(settings).toEqual([]);
  });

  it('refuses an empty or oversized key and a bogus topic, delivering nothing', async () => {
    const { a } = await twoInstances();
    const seen: string[] = [];
    a.subscribe('settings', (k) => seen.push(k));
    await expect(a.publish('settings', '')).rejects.toThrow(/1–200 characters/);
    await expect(a.publish('settings', 'x'.repeat(201))).rejects.toThrow(/1–200 characters/);
    await expect(a.publish('nope' as 'settings', 'k')).rejects.toThrow(/known topic/);
    expect(seen).toEqual([]);
  });

  it('reconnects after its connection is killed, tells subscribers to drop everything, and hears later changes', async () => {
    const { url, a, b } = await twoInstances();
    const seenByB: string[] = [];
    b.subscribe('categories', (k) => seenByB.push(k));
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'kaltura-discord change feed'`,
    );
    await admin.end();
    await until('b to reconnect', () => seenByB.includes(ALL_KEYS));
    // a may still be reconnecting: its publication then goes nowhere, so retry until b hears one.
    for (let i = 0; !seenByB.includes('after'); i++) {
      if (i > 100) throw new Error('no change heard after the reconnect');
      await a.publish('categories', 'after');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(seenByB[0]).toBe(ALL_KEYS);
  });
});
