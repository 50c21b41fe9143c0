import { afterEach, describe, expect, it } from 'vitest';
import type { Meeting } from '../../../src/core/meetings/meeting';
import { useTempDirs } from '../../helpers/temp-dir';
import { MEETING_STORE_DRIVERS, openStoreUnderTest, type StoreUnderTest } from '../../integration/meetings/store-under-test';

const tempDir = useTempDirs();
const open: StoreUnderTest[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

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

describe.each(MEETING_STORE_DRIVERS)('meetings in the store (%s)', (driver) => {
  async function openStore() {
    const s = await openStoreUnderTest(driver, tempDir());
    open.push(s);
    return { ...s, repo: s.store.meetings, ledger: s.store.joinLedger };
  }

  it('has the indexes the queries need and refuses rows the schema forbids', async () => {
    const s = await openStore();
    if (driver === 'sqlite') {
      const sql = async (name: string) => (await s.all<{ sql: string }>('SELECT sql FROM sqlite_master WHERE name = ?', [name]))[0]!.sql;
      expect(await sql('meetings')).toMatch(/\)\s*STRICT$/);
      expect(await sql('join_tokens')).toMatch(/STRICT/);
      expect(await sql('meetings_guild_status')).toContain('(guild_id, status)');
      expect(await sql('meetings_status_ends')).toContain('(status, ends_at)');
    } else {
      const index = async (name: string) => (await s.all<{ indexdef: string }>('SELECT indexdef FROM pg_indexes WHERE indexname = ?', [name]))[0]!.indexdef;
      expect(await index('meetings_guild_status')).toContain('(guild_id, status)');
      expect(await index('meetings_status_ends')).toContain('(status, ends_at)');
    }
    await expect(s.repo.insert(meeting({ status: 'paused' as never }))).rejects.toThrow(/check constraint/i);
    await expect(s.repo.insert(meeting({ durationMinutes: 'long' as never }))).rejects.toThrow(/cannot store TEXT value in INTEGER column|invalid input syntax for type bigint/);
    expect(await s.all('SELECT id FROM meetings')).toEqual([]);
  });

  it('reads back exactly what was written: optional fields absent, not null', async () => {
    const { repo } = await openStore();
    const bare = meeting();
    await repo.insert(bare);
    const got = (await repo.get(bare.id))!;
    expect(got).toEqual(bare);
    expect(Object.keys(got)).not.toContain('description');
    expect(Object.keys(got)).not.toContain('eventId');

    const full = meeting({ description: 'd', record: true, status: 'live', resourceId: 5, eventId: 6, roomToken: 'r', startsAt: 1, endsAt: 2, endedAt: 3, endedBy: 'schedule', cardMessageId: '9', version: 4, cardVersion: 3 });
    await repo.insert(full);
    expect(await repo.get(full.id)).toEqual(full);
    // epoch-ms times past 2^31 (every real one) come back as the same numbers
    const late = meeting({ createdAt: Date.UTC(2026, 10, 25), startsAt: Date.UTC(2026, 10, 25, 1), endsAt: Date.UTC(2026, 10, 25, 2) });
    await repo.insert(late);
    expect(await repo.get(late.id)).toEqual(late);
    expect(await repo.get('m_nosuchmeetingxxx')).toBeUndefined();
  });

  it('transitions only from the given statuses, bumping the version once per change', async () => {
    const { repo } = await openStore();
    const m = meeting();
    await repo.insert(m);
    expect(await repo.transition(m.id, ['live'], { status: 'ended' })).toBeUndefined();
    expect(await repo.get(m.id)).toMatchObject({ status: 'starting', version: 0 });

    const withIds = await repo.transition(m.id, ['starting'], { eventId: 7, endsAt: 9_000 });
    expect(withIds).toMatchObject({ status: 'starting', eventId: 7, endsAt: 9_000, version: 1 });
    const live = await repo.transition(m.id, ['starting'], { status: 'live', cardMessageId: 'c1' });
    expect(live).toMatchObject({ status: 'live', cardMessageId: 'c1', version: 2, cardVersion: 0 });

    const ended = await repo.transition(m.id, ['live'], { status: 'ended', endedAt: 5, endedBy: '3' });
    expect(ended).toMatchObject({ status: 'ended', endedBy: '3', version: 3 });
    // a second "end" (another member, the reconciler) loses and changes nothing
    expect(await repo.transition(m.id, ['live'], { status: 'ended', endedBy: 'schedule' })).toBeUndefined();
    expect(await repo.get(m.id)).toMatchObject({ endedBy: '3', version: 3 });
    expect(await repo.transition(m.id, [], { status: 'failed' })).toBeUndefined();
    expect(await repo.transition('m_nosuchmeetingxxx', ['live'], { status: 'ended' })).toBeUndefined();
  });

  it('refuses to patch fields that are not patchable', async () => {
    const { repo } = await openStore();
    const m = meeting();
    await repo.insert(m);
    await expect(repo.transition(m.id, ['starting'], { version: 99 } as never)).rejects.toThrow(/not a patchable/);
    await expect(repo.transition(m.id, ['starting'], { 'status = 1; --': 'x' } as never)).rejects.toThrow(/not a patchable/);
    expect(await repo.get(m.id)).toEqual(m);
  });

  it('lets exactly one of two concurrent transitions win (two instances on PostgreSQL)', async () => {
    const a = await openStore();
    const b = await a.peer();
    const m = meeting({ status: 'live' });
    await a.repo.insert(m);
    const results = await Promise.all([a.repo.transition(m.id, ['live'], { status: 'ended', endedBy: 'x' }), b.meetings.transition(m.id, ['live'], { status: 'ended', endedBy: 'y' })]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.find(Boolean)!.endedBy;
    expect(await b.meetings.get(m.id)).toMatchObject({ endedBy: winner, version: 1 });
  });

  it('lists stale cards (posted, behind their version) and never moves card_version back', async () => {
    const { repo } = await openStore();
    const fresh = meeting({ status: 'live', cardMessageId: 'c', version: 2, cardVersion: 2 });
    const stale = meeting({ status: 'ended', cardMessageId: 'c', version: 3, cardVersion: 2 });
    const noCard = meeting({ status: 'starting', version: 1, cardVersion: 0 });
    for (const m of [fresh, stale, noCard]) await repo.insert(m);
    expect((await repo.listStaleCards(10)).map((m) => m.id)).toEqual([stale.id]);
    await repo.markCardPosted(stale.id, 'c', 3);
    expect(await repo.listStaleCards(10)).toEqual([]);
    await repo.markCardPosted(stale.id, 'c', 1); // a slow, older render finishing late
    expect((await repo.get(stale.id))!.cardVersion).toBe(3);
    await repo.transition(fresh.id, ['live'], { status: 'ended' });
    expect((await repo.listStaleCards(10)).map((m) => m.id)).toEqual([fresh.id]);
    expect(await repo.listStaleCards(0)).toEqual([]);
  });

  it('lists live meetings of a guild newest first, due ones, and stuck starts', async () => {
    const { repo } = await openStore();
    const old = meeting({ status: 'live', createdAt: 1, endsAt: 100 });
    const recent = meeting({ status: 'live', createdAt: 5, endsAt: 500 });
    const other = meeting({ status: 'live', guildId: '9', createdAt: 3, endsAt: 50 });
    const ended = meeting({ status: 'ended', createdAt: 4, endsAt: 10 });
    const stuck = meeting({ status: 'starting', createdAt: 2 });
    for (const m of [old, recent, other, ended, stuck]) await repo.insert(m);
    expect((await repo.listLive('1')).map((m) => m.id)).toEqual([recent.id, old.id]);
    expect((await repo.listDue(100)).map((m) => m.id)).toEqual([other.id, old.id]);
    expect(await repo.listDue(49)).toEqual([]);
    expect((await repo.listStuckStarting(3)).map((m) => m.id)).toEqual([stuck.id]);
    expect(await repo.listStuckStarting(2)).toEqual([]);
  });

  it('counts what a member hosts (starting, or live and not past its end) and lists recordings to look for, never-checked first', async () => {
    const { repo } = await openStore();
    const hosting = [meeting({ status: 'starting' }), meeting({ status: 'live', endsAt: 5_000 }), meeting({ status: 'live' })];
    const notHosting = [meeting({ status: 'live', endsAt: 1_000 }), meeting({ status: 'ended' }), meeting({ status: 'live', hostId: '4' }), meeting({ status: 'live', guildId: '9' })];
    for (const m of [...hosting, ...notHosting]) await repo.insert(m);
    expect(await repo.countHosting('1', '3', 1_000)).toBe(3);
    expect(await repo.countHosting('1', '5', 1_000)).toBe(0);

    const checked = meeting({ status: 'ended', templateEntryId: '0_a', endedAt: 10 });
    const never = meeting({ status: 'ended', templateEntryId: '0_b', endedAt: 20 });
    const tooOld = meeting({ status: 'ended', templateEntryId: '0_c', endedAt: 1 });
    for (const m of [checked, never, tooOld]) await repo.insert(m);
    await repo.markRecordingChecked(checked.id, 30);
    expect((await repo.listAwaitingRecording(5, 10)).map((m) => m.id)).toEqual([never.id, checked.id]);
    expect(await repo.findByTemplateEntryId('0_b')).toMatchObject({ id: never.id });
    expect(await repo.addRecording(never.id, '0_rec', 40)).toBe(true);
    expect(await repo.addRecording(never.id, '0_rec', 41)).toBe(false); // announced once, whoever finds it
    expect(await repo.findLastRecorded('1')).toBeUndefined();
    await repo.insert(meeting({ status: 'ended', recordingEntryId: '0_r1', createdAt: 1, endedAt: 50 }));
    const last = meeting({ status: 'ended', recordingEntryId: '0_r2', createdAt: 2, endedAt: 60 });
    await repo.insert(last);
    await repo.insert(meeting({ status: 'ended', recordingEntryId: '0_r3', guildId: '9', endedAt: 70 }));
    expect(await repo.findLastRecorded('1')).toMatchObject({ id: last.id, channelId: '2', endedAt: 60 });
  });
});

describe.each(MEETING_STORE_DRIVERS)('the join ledger (%s)', (driver) => {
  async function openStore() {
    const s = await openStoreUnderTest(driver, tempDir());
    open.push(s);
    return { ...s, repo: s.store.meetings, ledger: s.store.joinLedger };
  }

  it('consumes a token id once, even across two connections to the same database', async () => {
    const a = await openStore();
    const b = await a.another();
    const m = meeting({ status: 'live' });
    await a.repo.insert(m);
    expect(await a.ledger.consume('jti-1', m.id, 10_000, 1_000)).toBe(true);
    expect(await b.joinLedger.consume('jti-1', m.id, 10_000, 1_001)).toBe(false);
    expect(await a.ledger.consume('jti-1', m.id, 10_000, 1_002)).toBe(false);
    expect(await b.joinLedger.consume('jti-2', m.id, 10_000, 1_003)).toBe(true);
  });

  it('lets exactly one of many simultaneous redemptions of one token id through (two instances on PostgreSQL)', async () => {
    const a = await openStore();
    const b = await a.peer();
    const m = meeting({ status: 'live' });
    await a.repo.insert(m);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a.ledger : b.joinLedger).consume('jti-race', m.id, 10_000, 1_000 + i)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await a.all('SELECT token_id FROM join_tokens')).toEqual([{ token_id: 'jti-race' }]);
  });

  it('refuses a token for a meeting that does not exist (foreign key)', async () => {
    const { ledger } = await openStore();
    await expect(ledger.consume('jti', 'm_nosuchmeetingxxx', 1, 1)).rejects.toThrow(/foreign key/i);
  });

  it('records joins and prunes only tokens that expired before the cut-off', async () => {
    const { repo, ledger, all } = await openStore();
    const m = meeting({ status: 'live' });
    await repo.insert(m);
    await ledger.recordJoin({ meetingId: m.id, userId: '5', role: 'moderator', at: 2 });
    await ledger.recordJoin({ meetingId: m.id, userId: '6', role: 'attendee', at: 1 });
    expect(await ledger.listJoins(m.id)).toEqual([
      { userId: '6', role: 'attendee', at: 1 },
      { userId: '5', role: 'moderator', at: 2 },
    ]);
    await ledger.consume('old', m.id, 100, 50);
    await ledger.consume('new', m.id, 300, 50);
    expect(await ledger.prune(200)).toBe(1);
    expect((await all<{ token_id: string }>('SELECT token_id FROM join_tokens')).map((r) => r.token_id)).toEqual(['new']);
    expect(await ledger.consume('new', m.id, 300, 60)).toBe(false);
  });
});
