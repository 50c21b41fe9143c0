/**
 * Migration 009 (watch links, launch intents) on a populated version 8 database, and the two
 * repositories over a real file shared by two connections (single use holds across them).
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createActivityLaunches } from '../../../src/store/activity-launches';
import { createJoinLedger } from '../../../src/store/join-ledger';
import { createMeetingRepo } from '../../../src/store/meeting-repo';
import { migrateDatabase } from '../../../src/store/migrate-database';
import { migrations } from '../../../src/store/migrations/index';
import { closeDatabase, openDatabase } from '../../../src/store/open-database';
import { createWatchLinkLedger } from '../../../src/store/watch-links';
import { useTempDirs } from '../../helpers/temp-dir';

const tempDir = useTempDirs();
const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) closeDatabase(db);
});

function openStore(file: string) {
  const db = openDatabase(file);
  open.push(db);
  migrateDatabase(db, migrations, file);
  return { db, links: createWatchLinkLedger(db), launches: createActivityLaunches(db) };
}

const link = { tokenId: 'jti-0000000000000001', guildId: '1', userId: '2', entryId: '0_abc', roleIds: ['7', '8'], expiresAt: 10_000 };

describe('migrating a populated version 8 database to 009', () => {
  it('keeps meetings, grants and joins, and adds the watch tables', () => {
    const db = new Database(':memory:');
    open.push(db);
    const v8 = migrations.findIndex((m) => m.name === 'watch');
    expect(v8).toBe(8);
    migrateDatabase(db, migrations.slice(0, v8), ':memory:');
    expect(db.pragma('user_version', { simple: true })).toBe(8);
    const repo = createMeetingRepo(db);
    repo.insert({ id: 'm_aaaaaaaaaaaaaaaa', guildId: '1', channelId: '2', hostId: '3', hostName: 'Ana', kind: 'meeting', title: 'Kept', durationMinutes: 30, record: true, status: 'ended', createdAt: 1, endedAt: 2, templateEntryId: '0_tpl', version: 1, cardVersion: 1 });
    const ledger = createJoinLedger(db);
    ledger.recordGrant({ tokenId: 'g1', meetingId: 'm_aaaaaaaaaaaaaaaa', userId: '42', displayName: 'Ana', roleIds: ['9'], expiresAt: 5_000 });
    ledger.recordJoin({ meetingId: 'm_aaaaaaaaaaaaaaaa', userId: '42', role: 'attendee', at: 3 });

    expect(migrateDatabase(db, migrations, ':memory:')).toEqual({ from: 8, to: 9 });
    expect(repo.findByTemplateEntryId('0_tpl')).toMatchObject({ title: 'Kept', status: 'ended' });
    expect(ledger.findGrant('g1')).toMatchObject({ displayName: 'Ana', roleIds: ['9'] });
    expect(ledger.listJoins('m_aaaaaaaaaaaaaaaa')).toEqual([{ userId: '42', role: 'attendee', at: 3 }]);
    const links = createWatchLinkLedger(db);
    links.record(link, 0);
    expect(links.find(link.tokenId)).toEqual(link);
    const launches = createActivityLaunches(db);
    launches.remember({ userId: '2', guildId: '1', channelId: '3', entryId: '0_abc', at: 100 }, 0);
    expect(launches.take('2', '1', '3', 0)).toBe('0_abc');
  });
});

describe('the watch-link ledger', () => {
  it('is used once, across two connections to one file, and survives reopening', () => {
    const file = path.join(tempDir(), 'state.db');
    const a = openStore(file);
    const b = openStore(file);
    a.links.record(link, 0);
    expect(b.links.find(link.tokenId)).toEqual(link);
    expect(b.links.claim(link.tokenId, 500)).toBe(true);
    expect(a.links.claim(link.tokenId, 501)).toBe(false);
    expect(a.links.find(link.tokenId)).toEqual({ ...link, usedAt: 500 });
    closeDatabase(open.shift()!);
    closeDatabase(open.shift()!);
    expect(openStore(file).links.find(link.tokenId)!.usedAt).toBe(500);
  });

  it('gives back only its own claim', () => {
    const { links } = openStore(path.join(tempDir(), 'state.db'));
    links.record(link, 0);
    expect(links.claim(link.tokenId, 500)).toBe(true);
    links.release(link.tokenId, 499); // not this claim: nothing changes
    expect(links.claim(link.tokenId, 600)).toBe(false);
    links.release(link.tokenId, 500);
    expect(links.claim(link.tokenId, 600)).toBe(true);
  });

  it('refuses a second link with the same id and changes nothing; forgets expired ones in batches', () => {
    const { db, links } = openStore(path.join(tempDir(), 'state.db'));
    links.record(link, 0);
    expect(() => links.record({ ...link, entryId: '0_other' }, 0)).toThrow();
    expect(links.find(link.tokenId)!.entryId).toBe('0_abc');
    for (let i = 0; i < 150; i++) links.record({ ...link, tokenId: `old-${i}`, expiresAt: 1_000 }, 0);
    links.record({ ...link, tokenId: 'new-1', expiresAt: 90_000 }, 20_000);
    expect(db.prepare('SELECT count(*) FROM watch_links').pluck().get()).toBe(52); // 100 of 151 expired ones forgotten
    links.record({ ...link, tokenId: 'new-2', expiresAt: 90_000 }, 20_000);
    expect(db.prepare('SELECT token_id FROM watch_links ORDER BY token_id').pluck().all()).toEqual(['new-1', 'new-2']);
  });
});

describe('launch intents', () => {
  it('keeps the newest per member and channel, is taken once, and forgets old ones', () => {
    const { db, launches } = openStore(path.join(tempDir(), 'state.db'));
    launches.remember({ userId: 'u', guildId: 'g', channelId: 'c', entryId: '0_first', at: 1_000 }, 0);
    launches.remember({ userId: 'u', guildId: 'g', channelId: 'c', entryId: '0_second', at: 2_000 }, 0);
    launches.remember({ userId: 'v', guildId: 'g', channelId: 'c', entryId: '0_other', at: 2_000 }, 0);
    expect(launches.take('u', 'g', 'c', 1_500)).toBe('0_second');
    expect(launches.take('u', 'g', 'c', 0)).toBeUndefined();
    // too old when taken: removed, not returned
    expect(launches.take('v', 'g', 'c', 2_001)).toBeUndefined();
    expect(db.prepare('SELECT count(*) FROM activity_launches').pluck().get()).toBe(0);
    launches.remember({ userId: 'u', guildId: 'g', channelId: 'c1', entryId: '0_a', at: 1_000 }, 0);
    launches.remember({ userId: 'u', guildId: 'g', channelId: 'c2', entryId: '0_b', at: 9_000 }, 5_000);
    expect(db.prepare('SELECT entry_id FROM activity_launches').pluck().all()).toEqual(['0_b']);
  });
});
