import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Meeting } from '../../../src/core/meetings/meeting';
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

function openStore(file = path.join(tempDir(), 'state.db')) {
  const db = openDatabase(file);
  open.push(db);
  migrateDatabase(db, migrations, file);
  return { db, file, repo: createMeetingRepo(db), ledger: createJoinLedger(db) };
}

let n = 0;
const meeting = (over: Partial<Meeting> = {}): Meeting => ({
  id: `m_aaaaaaaaaaaaaa${String(++n).padStart(2, 'a')}`,
  guildId: '1',
  channelId: '2',
  hostId: '3',
  hostName: 'Ana',
  kind: 'meeting',
  title: 'Standup',
  durationMinutes: 30,
  record: false,
  status: 'starting',
  createdAt: 1_000,
  version: 0,
  cardVersion: 0,
  ...over,
});

describe('meetings in SQLite', () => {
  it('creates STRICT tables with the indexes the queries need', () => {
    const { db } = openStore();
    const sql = (name: string) => (db.prepare("SELECT sql FROM sqlite_master WHERE name = ?").get(name) as { sql: string }).sql;
    expect(sql('meetings')).toMatch(/\)\s*STRICT$/);
    expect(sql('join_tokens')).toMatch(/STRICT/);
    expect(sql('meetings_guild_status')).toContain('(guild_id, status)');
    expect(sql('meetings_status_ends')).toContain('(status, ends_at)');
    const repo = createMeetingRepo(db);
    expect(() => repo.insert(meeting({ status: 'paused' as never }))).toThrow(/CHECK constraint/);
    expect(() => repo.insert(meeting({ durationMinutes: 'long' as never }))).toThrow(/cannot store TEXT value in INTEGER column/);
  });

  it('reads back exactly what was written: optional fields absent, not null', () => {
    const { repo } = openStore();
    const bare = meeting();
    repo.insert(bare);
    const got = repo.get(bare.id)!;
    expect(got).toEqual(bare);
    expect(Object.keys(got)).not.toContain('description');
    expect(Object.keys(got)).not.toContain('eventId');

    const full = meeting({ description: 'd', record: true, status: 'live', resourceId: 5, eventId: 6, roomToken: 'r', startsAt: 1, endsAt: 2, endedAt: 3, endedBy: 'schedule', cardMessageId: '9', version: 4, cardVersion: 3 });
    repo.insert(full);
    expect(repo.get(full.id)).toEqual(full);
    expect(repo.get('m_nosuchmeetingxxx')).toBeUndefined();
  });

  it('transitions only from the given statuses, bumping the version once per change', () => {
    const { repo } = openStore();
    const m = meeting();
    repo.insert(m);
    expect(repo.transition(m.id, ['live'], { status: 'ended' })).toBeUndefined();
    expect(repo.get(m.id)).toMatchObject({ status: 'starting', version: 0 });

    const withIds = repo.transition(m.id, ['starting'], { eventId: 7, endsAt: 9_000 });
    expect(withIds).toMatchObject({ status: 'starting', eventId: 7, endsAt: 9_000, version: 1 });
    const live = repo.transition(m.id, ['starting'], { status: 'live', cardMessageId: 'c1' });
    expect(live).toMatchObject({ status: 'live', cardMessageId: 'c1', version: 2, cardVersion: 0 });

    const ended = repo.transition(m.id, ['live'], { status: 'ended', endedAt: 5, endedBy: '3' });
    expect(ended).toMatchObject({ status: 'ended', endedBy: '3', version: 3 });
    // a second "end" (another member, the reconciler) loses and changes nothing
    expect(repo.transition(m.id, ['live'], { status: 'ended', endedBy: 'schedule' })).toBeUndefined();
    expect(repo.get(m.id)).toMatchObject({ endedBy: '3', version: 3 });
    expect(repo.transition(m.id, [], { status: 'failed' })).toBeUndefined();
    expect(repo.transition('m_nosuchmeetingxxx', ['live'], { status: 'ended' })).toBeUndefined();
  });

  it('refuses to patch fields that are not patchable', () => {
    const { repo } = openStore();
    const m = meeting();
    repo.insert(m);
    expect(() => repo.transition(m.id, ['starting'], { version: 99 } as never)).toThrow(/not a patchable/);
    expect(() => repo.transition(m.id, ['starting'], { 'status = 1; --': 'x' } as never)).toThrow(/not a patchable/);
  });

  it('lets exactly one of two concurrent transitions win (two connections)', () => {
    const a = openStore();
    const b = openStore(a.file);
    const m = meeting({ status: 'live' });
    a.repo.insert(m);
    const results = [a.repo.transition(m.id, ['live'], { status: 'ended', endedBy: 'x' }), b.repo.transition(m.id, ['live'], { status: 'ended', endedBy: 'y' })];
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(b.repo.get(m.id)).toMatchObject({ endedBy: 'x', version: 1 });
  });

  it('lists stale cards (posted, behind their version) and never moves card_version back', () => {
    const { repo } = openStore();
    const fresh = meeting({ status: 'live', cardMessageId: 'c', version: 2, cardVersion: 2 });
    const stale = meeting({ status: 'ended', cardMessageId: 'c', version: 3, cardVersion: 2 });
    const noCard = meeting({ status: 'starting', version: 1, cardVersion: 0 });
    for (const m of [fresh, stale, noCard]) repo.insert(m);
    expect(repo.listStaleCards(10).map((m) => m.id)).toEqual([stale.id]);
    repo.markCardPosted(stale.id, 'c', 3);
    expect(repo.listStaleCards(10)).toEqual([]);
    repo.markCardPosted(stale.id, 'c', 1); // a slow, older render finishing late
    expect(repo.get(stale.id)!.cardVersion).toBe(3);
    repo.transition(fresh.id, ['live'], { status: 'ended' });
    expect(repo.listStaleCards(10).map((m) => m.id)).toEqual([fresh.id]);
    expect(repo.listStaleCards(0)).toEqual([]);
  });

  it('lists live meetings of a guild newest first, due ones, and stuck starts', () => {
    const { repo } = openStore();
    const old = meeting({ status: 'live', createdAt: 1, endsAt: 100 });
    const recent = meeting({ status: 'live', createdAt: 5, endsAt: 500 });
    const other = meeting({ status: 'live', guildId: '9', createdAt: 3, endsAt: 50 });
    const ended = meeting({ status: 'ended', createdAt: 4, endsAt: 10 });
    const stuck = meeting({ status: 'starting', createdAt: 2 });
    for (const m of [old, recent, other, ended, stuck]) repo.insert(m);
    expect(repo.listLive('1').map((m) => m.id)).toEqual([recent.id, old.id]);
    expect(repo.listDue(100).map((m) => m.id)).toEqual([other.id, old.id]);
    expect(repo.listDue(49)).toEqual([]);
    expect(repo.listStuckStarting(3).map((m) => m.id)).toEqual([stuck.id]);
    expect(repo.listStuckStarting(2)).toEqual([]);
  });
});

describe('the join ledger', () => {
  it('consumes a token id once, even across two connections to the same file', () => {
    const a = openStore();
    const b = openStore(a.file);
    const m = meeting({ status: 'live' });
    a.repo.insert(m);
    expect(a.ledger.consume('jti-1', m.id, 10_000, 1_000)).toBe(true);
    expect(b.ledger.consume('jti-1', m.id, 10_000, 1_001)).toBe(false);
    expect(a.ledger.consume('jti-1', m.id, 10_000, 1_002)).toBe(false);
    expect(b.ledger.consume('jti-2', m.id, 10_000, 1_003)).toBe(true);
  });

  it('refuses a token for a meeting that does not exist (foreign key)', () => {
    const { ledger } = openStore();
    expect(() => ledger.consume('jti', 'm_nosuchmeetingxxx', 1, 1)).toThrow(/FOREIGN KEY/);
  });

  it('records joins and prunes only tokens that expired before the cut-off', () => {
    const { repo, ledger, db } = openStore();
    const m = meeting({ status: 'live' });
    repo.insert(m);
    ledger.recordJoin({ meetingId: m.id, userId: '5', role: 'moderator', at: 2 });
    ledger.recordJoin({ meetingId: m.id, userId: '6', role: 'attendee', at: 1 });
    expect(ledger.listJoins(m.id)).toEqual([
      { userId: '6', role: 'attendee', at: 1 },
      { userId: '5', role: 'moderator', at: 2 },
    ]);
    ledger.consume('old', m.id, 100, 50);
    ledger.consume('new', m.id, 300, 50);
    expect(ledger.prune(200)).toBe(1);
    expect((db.prepare('SELECT token_id FROM join_tokens').all() as { token_id: string }[]).map((r) => r.token_id)).toEqual(['new']);
    expect(ledger.consume('new', m.id, 300, 60)).toBe(false);
  });
});
