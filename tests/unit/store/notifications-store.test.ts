import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Meeting } from '../../../src/core/meetings/meeting';
import type { WebhookEvent } from '../../../src/core/ports/webhook-verifier';
import { migrateDatabase } from '../../../src/store/migrate-database';
import { meetings as meetingsMigration } from '../../../src/store/migrations/002-meetings';
import { initial } from '../../../src/store/migrations/001-initial';
import { migrations } from '../../../src/store/migrations/index';
import { createNotificationStore } from '../../../src/store/notification-store';
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
  return { db, store: createNotificationStore(db) };
}

let n = 0;
const meeting = (over: Partial<Meeting> = {}): Meeting => ({
  id: `m_bbbbbbbbbbbbbb${String(++n).padStart(2, 'b')}`,
  guildId: '1',
  channelId: '2',
  hostId: '3',
  hostName: 'Ana',
  kind: 'meeting',
  title: 'Standup',
  durationMinutes: 30,
  record: true,
  status: 'ended',
  createdAt: 1_000,
  roomToken: `${String(n).padStart(2, '0')}${'a'.repeat(30)}`,
  templateEntryId: `0_tmpl${String(n).padStart(4, '0')}`,
  eventId: 500 + n,
  endedAt: 10_000,
  version: 2,
  cardVersion: 2,
  ...over,
});

const ready = (id: string, jobId?: string): WebhookEvent => ({ kind: 'entry.ready', entry: { id, name: 'x', status: 2 }, ...(jobId && { jobId }) });

describe('migration 003', () => {
  it('adds the recording columns to existing meetings and creates STRICT inbox and outbox tables', () => {
    const file = path.join(tempDir(), 'old.db');
    const db = openDatabase(file);
    open.push(db);
    migrateDatabase(db, [initial, meetingsMigration], file);
    db.prepare("INSERT INTO meetings (id, guild_id, channel_id, host_id, host_name, kind, title, duration_minutes, record, status, created_at) VALUES ('m_old', '1', '2', '3', 'A', 'meeting', 'T', 5, 0, 'ended', 1)").run();
    expect(migrateDatabase(db, migrations, file)).toEqual({ from: 2, to: migrations.length });
    const store = createNotificationStore(db);
    expect(store.meetings.get('m_old')).not.toHaveProperty('recordingEntryId');
    const sql = (name: string) => (db.prepare('SELECT sql FROM sqlite_master WHERE name = ?').get(name) as { sql: string }).sql;
    expect(sql('webhook_inbox')).toMatch(/STRICT$/);
    expect(sql('outbox')).toMatch(/STRICT$/);
    expect(sql('outbox_pending')).toContain("WHERE status = 'pending'");
    expect(() => db.prepare("INSERT INTO outbox (channel_id, body, nonce, dedupe_key, next_attempt_at, created_at) VALUES ('1', '{}', ?, 'k', 0, 0)").run('x'.repeat(26))).toThrow(/CHECK constraint/);
  });
});

describe('meetings: recording fields and lookups', () => {
  it('reads back the recording fields and sets them through transition (bumping version)', () => {
    const { store } = openStore();
    const m = meeting({ recordingEntryId: '0_abc', recordingUrl: 'https://cdn.example/w' });
    store.meetings.insert(m);
    expect(store.meetings.get(m.id)).toEqual(m);
    const bare = meeting();
    store.meetings.insert(bare);
    expect(store.meetings.transition(bare.id, ['live', 'ended'], { recordingEntryId: '0_def', recordingUrl: 'u' })).toMatchObject({ recordingEntryId: '0_def', recordingUrl: 'u', version: 3 });
  });

  it('finds a meeting by template entry and by event id', () => {
    const { store } = openStore();
    const m = meeting();
    store.meetings.insert(m);
    expect(store.meetings.findByTemplateEntryId(m.templateEntryId!)?.id).toBe(m.id);
    expect(store.meetings.findByEventId(m.eventId!)?.id).toBe(m.id);
    expect(store.meetings.findByTemplateEntryId('0_nothere')).toBeUndefined();
    expect(store.meetings.findByEventId(1)).toBeUndefined();
  });

  it('remembers each recording of a meeting once', () => {
    const { store } = openStore();
    const m = meeting();
    store.meetings.insert(m);
    expect(store.meetings.addRecording(m.id, '0_rec00001', 1)).toBe(true);
    expect(store.meetings.addRecording(m.id, '0_rec00001', 2)).toBe(false);
    expect(store.meetings.addRecording(m.id, '0_rec00002', 3)).toBe(true);
  });

  it('lists ended meetings with a template within the window (recorded or not), never-checked first, then oldest check', () => {
    const { store } = openStore();
    const a = meeting({ endedAt: 5_000 });
    const b = meeting({ endedAt: 6_000, recordingEntryId: '0_x' }); // a restarted room records again
    const c = meeting({ endedAt: 7_000 });
    const tooOld = meeting({ endedAt: 100 });
    const noTemplate = meeting({ templateEntryId: undefined }); // started before templates: nothing to match
    const live = meeting({ status: 'live', endedAt: undefined });
    for (const m of [a, b, c, tooOld, noTemplate, live]) store.meetings.insert(m);
    expect(store.meetings.listAwaitingRecording(1_000, 10).map((m) => m.id)).toEqual([a.id, b.id, c.id]);
    store.meetings.markRecordingChecked(a.id, 20_000);
    store.meetings.markRecordingChecked(c.id, 10_000);
    expect(store.meetings.listAwaitingRecording(1_000, 10).map((m) => m.id)).toEqual([b.id, c.id, a.id]);
    expect(store.meetings.listAwaitingRecording(1_000, 2).map((m) => m.id)).toEqual([b.id, c.id]);
    expect(store.meetings.get(a.id)!.version).toBe(a.version); // checking is not a change the card shows
  });
});

describe('webhook inbox', () => {
  it('stores an event once per job id, or per body hash without one', () => {
    const { store } = openStore();
    expect(store.inbox.accept(ready('0_a', '77'), 'h1', 1)).toBe('stored');
    expect(store.inbox.accept(ready('0_a', '77'), 'h2', 2)).toBe('duplicate');
    expect(store.inbox.accept(ready('0_b'), 'h3', 3)).toBe('stored');
    expect(store.inbox.accept(ready('0_b'), 'h3', 4)).toBe('duplicate');
    expect(store.inbox.accept(ready('0_c'), 'h4', 5)).toBe('stored');
    expect(store.inbox.counts()).toEqual({ pending: 3, dead: 0 });
  });

  it('returns due events with their Dates revived, and tracks retries, done and dead', () => {
    const { store } = openStore();
    const changed: WebhookEvent = { kind: 'schedule-event.changed', jobId: '1', event: { id: 9, status: 1, startsAt: new Date(1_000_000), endsAt: new Date(2_000_000) } };
    store.inbox.accept(changed, 'h', 10);
    store.inbox.accept(ready('0_a', '2'), 'h', 11);
    const due = store.inbox.listDue(11, 10);
    expect(due.map((d) => d.event)).toEqual([changed, ready('0_a', '2')]);
    store.inbox.markRetry(due[0]!.id, 1, 500, 'Kaltura timeout');
    store.inbox.markDone(due[1]!.id, 12);
    expect(store.inbox.listDue(499, 10)).toEqual([]);
    expect(store.inbox.listDue(500, 10)).toEqual([expect.objectContaining({ id: due[0]!.id, attempts: 1 })]);
    store.inbox.markDead(due[0]!.id, 15, 'gave up', 600);
    expect(store.inbox.counts()).toEqual({ pending: 0, dead: 1 });
    expect(store.inbox.prune(11)).toBe(1);
    expect(store.inbox.prune(12)).toBe(1);
  });
});

describe('outbox', () => {
  it('gives each row its own short nonce and keeps the message body intact', () => {
    const { db, store } = openStore();
    const message = { content: 'hi 🎬', replyToMessageId: '8', linkButtons: [{ label: 'Watch', url: 'https://x' }] };
    store.outbox.enqueue({ channelId: 'c1', message, dedupeKey: 'k1' }, 5);
    store.outbox.enqueue({ channelId: 'c1', message: { content: 'two' }, dedupeKey: 'k2' }, 6);
    const heads = store.outbox.pendingHeads(10);
    expect(heads).toEqual([{ id: 1, channelId: 'c1', message, nonce: expect.stringMatching(/^[A-Za-z0-9_-]{16}$/), dedupeKey: 'k1', attempts: 0, nextAttemptAt: 5, createdAt: 5 }]);
    const nonces = (db.prepare('SELECT nonce FROM outbox').all() as { nonce: string }[]).map((r) => r.nonce);
    expect(new Set(nonces).size).toBe(2);
  });

  it('serves one head per channel, earliest next attempt first; sent and dead rows stop blocking', () => {
    const { store } = openStore();
    const put = (channelId: string, key: string, now: number) => store.outbox.enqueue({ channelId, message: { content: key }, dedupeKey: key }, now);
    put('A', 'a1', 1);
    put('A', 'a2', 2);
    put('B', 'b1', 3);
    put('C', 'c1', 4);
    const heads = () => store.outbox.pendingHeads(10).map((h) => h.message.content);
    expect(heads()).toEqual(['a1', 'b1', 'c1']);
    store.outbox.markRetry(1, 1, 100, 'later');
    expect(heads()).toEqual(['b1', 'c1', 'a1']); // A waits in backoff; a2 stays behind a1
    store.outbox.markDead(1, 2, 'Missing Access', 50);
    expect(heads()).toEqual(['a2', 'b1', 'c1']);
    store.outbox.markSent(3, '999', 60);
    expect(heads()).toEqual(['a2', 'c1']);
    expect(store.outbox.stats(104)).toEqual({ pending: 2, dead: 1, oldestPendingAgeMs: 102 });
    // marking is only from pending: a late "sent" cannot revive a dead row
    store.outbox.markSent(1, '1', 70);
    expect(store.outbox.stats(104).dead).toBe(1);
    expect(store.outbox.prune(100)).toBe(2);
    expect(store.outbox.stats(104)).toEqual({ pending: 2, dead: 0, oldestPendingAgeMs: 102 });
  });

  it('commits a state change and its message together, or neither (transact)', () => {
    const { db, store } = openStore();
    const m = meeting({ status: 'live', endedAt: undefined });
    store.meetings.insert(m);
    expect(() =>
      store.transact(() => {
        store.meetings.transition(m.id, ['live'], { status: 'ended', endedAt: 1, endedBy: 'kaltura' });
        store.outbox.enqueue({ channelId: 'c', message: { content: 'ended' }, dedupeKey: `ended:${m.id}` }, 1);
        throw new Error('crash before commit');
      }),
    ).toThrow('crash before commit');
    expect(store.meetings.get(m.id)!.status).toBe('live');
    expect(store.outbox.stats(1).pending).toBe(0);
    // nested: a savepoint inside the outer transaction
    store.transact(() => {
      store.transact(() => store.outbox.enqueue({ channelId: 'c', message: { content: 'x' }, dedupeKey: 'x' }, 1));
      expect(db.inTransaction).toBe(true);
    });
    expect(store.outbox.stats(1).pending).toBe(1);
  });
});
