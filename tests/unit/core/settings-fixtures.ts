import pg from 'pg';
import { afterEach } from 'vitest';
import type { DefaultsConfig } from '../../../src/config/config-types';
import type { Store } from '../../../src/core/ports/store';
import { createGuildSettings, type GuildSettings } from '../../../src/core/settings/create-guild-settings';
import { postgresTypes } from '../../../src/store/sql/postgres-types';
import { openStore, type OpenedStore } from '../../../src/store/open-store';
import { openTestStore, type StoreDriver } from '../../helpers/stores';
import { captureLogger } from '../../helpers/capture-logger';
import { useTempDirs } from '../../helpers/temp-dir';

export const G = '1200000000000000001';
export const OTHER = '1200000000000000002';
export const ROLE_A = '1400000000000000001';
export const ROLE_B = '1400000000000000002';
export const CHANNEL = '1300000000000000002';
export const ADMIN = '1500000000000000009';

/** The YAML defaults as `loadConfig` resolves them (one moderator role set by the operator). */
export const DEFAULTS: DefaultsConfig = {
  roles: { moderatorRoleIds: [ROLE_A] },
  permissions: { startMeetings: 'manage-events', starterRoleIds: [] },
  meetings: { kind: 'meeting', durationMinutes: 60, record: false },
  notifications: {
    recordingReady: { enabled: true, template: 'The recording of **{title}** is ready ({duration}).' },
    sessionStarted: { enabled: false, template: '{host} started a {kind}: **{title}**.' },
    sessionEnded: { enabled: false, template: '**{title}** has ended after {duration}.' },
    memberJoined: { enabled: false, template: '{member} joined **{title}**.' },
  },
};

type TestStore = Awaited<ReturnType<typeof openTestStore>>; // an OpenedStore with the storage it was opened from

/** Runs SQL the repositories do not offer (seeding odd rows, breaking a table), on either engine. */
export async function rawSql(opened: TestStore, text: string, params: readonly unknown[] = []): Promise<Record<string, unknown>[]> {
  if (opened.sqlite) {
    const statement = opened.sqlite.prepare(text);
    if (statement.reader) return statement.all(...params) as Record<string, unknown>[];
    statement.run(...params);
    return [];
  }
  let n = 0;
  const client = new pg.Client({ connectionString: opened.storage.url, types: postgresTypes }); // bigint as number, as the store reads it
  await client.connect();
  try {
    return (await client.query(text.replace(/\?/g, () => `$${++n}`), [...params])).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

/**
 * Fresh stores per test on the given engine (SQLite: a file in a temp dir; PostgreSQL: a new
 * database), closed after it. `second(first)` opens another instance on the same database, as a
 * second `serve` (or the CLI) would: its own connection(s) and its own change feed.
 */
export function useSettingsStores(driver: StoreDriver) {
  const tempDir = useTempDirs();
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    // Newest first: a second instance before the test store that owns (and drops) the database.
    for (const o of open.splice(0).reverse()) await o.close();
  });
  const settingsOver = (store: Store, changes: OpenedStore['changes'], now: () => number): GuildSettings => {
    const settings = createGuildSettings({ store, defaults: DEFAULTS, clock: { now }, changes });
    open.push({ close: async () => settings.close() });
    return settings;
  };
  const first = async (now = () => 1_700_000_000_000) => {
    const opened = await openTestStore(driver, { dir: tempDir() });
    open.push(opened);
    return { opened, store: opened.store, settings: settingsOver(opened.store, opened.changes, now), settingsOver: (store: Store) => settingsOver(store, opened.changes, now) };
  };
  const second = async (of: TestStore, now = () => 1_700_000_000_000) => {
    const opened = await openStore(of.storage, { logger: captureLogger().logger, instanceId: 'second' });
    open.push(opened);
    return { opened, store: opened.store, settings: settingsOver(opened.store, opened.changes, now) };
  };
  return { first, second };
}
