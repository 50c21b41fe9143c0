import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createJoinLedger } from '../../../src/store/join-ledger';
import { createMeetingRepo } from '../../../src/store/meeting-repo';
import { migrateDatabase } from '../../../src/store/migrate-database';
import { migrations } from '../../../src/store/migrations/index';
import { closeDatabase, openDatabase } from '../../../src/store/open-database';
import { useTempDirs } from '../../helpers/temp-dir';

const tempDir = useTempDirs();
const open: Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) closeDatabase(db);
});

const MEETING = 'm_aaaaaaaaaaaaaaaa';

function openStore(file = path.join(tempDir(), 'state.db')) {
  const db = openDatabase(file);
  open.push(db);
  migrateDatabase(db, migrations, file);
  const repo = createMeetingRepo(db);
  if (!repo.get(MEETING)) {
    repo.insert({ id: MEETING, guildId: '1', channelId: '2', hostId: '3', hostName: 'Ana', kind: 'meeting', title: 'T', durationMinutes: 30, record: false, status: 'live', createdAt: 1, version: 0, cardVersion: 0 });
  }
  return { db, file, ledger: createJoinLedger(db) };
}

/** What a join link stands for (name, role ids) is kept server-side, survives a restart and is pruned with used tokens. */
describe('join grants (migration 008)', () => {
  const grant = { tokenId: 'jti-1', meetingId: MEETING, userId: '42', displayName: '会議 👩‍👩‍👧‍👦 Ana', roleIds: ['700', '701'], expiresAt: 10_000 };

  it('stores a grant and reads it back after reopening the database', () => {
    const first = openStore();
    first.ledger.recordGrant(grant);
    closeDatabase(open.pop()!);
    const again = openStore(first.file);
    expect(again.ledger.findGrant('jti-1')).toEqual(grant);
    expect(again.ledger.findGrant('jti-2')).toBeUndefined();
  });

  it('refuses a second grant for the same token id and changes nothing', () => {
    const { ledger } = openStore();
    ledger.recordGrant(grant);
    expect(() => ledger.recordGrant({ ...grant, displayName: 'Mallory' })).toThrow();
    expect(ledger.findGrant('jti-1')!.displayName).toBe(grant.displayName);
  });

  it('is pruned once expired, with the used tokens', () => {
    const { ledger } = openStore();
    ledger.recordGrant(grant);
    ledger.recordGrant({ ...grant, tokenId: 'jti-later', expiresAt: 50_000 });
    ledger.prune(20_000);
    expect(ledger.findGrant('jti-1')).toBeUndefined();
    expect(ledger.findGrant('jti-later')).toBeDefined();
  });
});
