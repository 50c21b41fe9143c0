import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach } from 'vitest';
import type { DefaultsConfig } from '../../../src/config/config-types';
import { createGuildSettings } from '../../../src/core/settings/create-guild-settings';
import { createGuildSettingsRepo } from '../../../src/store/guild-settings';
import { migrateDatabase } from '../../../src/store/migrate-database';
import { migrations } from '../../../src/store/migrations/index';
import { closeDatabase, openDatabase } from '../../../src/store/open-database';
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

/** Real SQLite files (a second connection plays the CLI while `serve` runs). */
export function useSettingsDb() {
  const tempDir = useTempDirs();
  const open: Database[] = [];
  afterEach(() => {
    for (const db of open.splice(0)) closeDatabase(db);
  });
  const openDb = (file = path.join(tempDir(), 'state.db')) => {
    const db = openDatabase(file);
    open.push(db);
    migrateDatabase(db, migrations, file);
    return { db, file };
  };
  const build = (file?: string, now = () => 1_700_000_000_000) => {
    const { db, file: f } = openDb(file);
    const repo = createGuildSettingsRepo(db);
    return { db, file: f, repo, settings: createGuildSettings({ repo, defaults: DEFAULTS, clock: { now } }) };
  };
  return { openDb, build };
}
