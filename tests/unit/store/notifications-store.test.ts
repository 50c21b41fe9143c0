import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Meeting } from '../../../src/core/meetings/meeting';
import type { Store } from '../../../src/core/ports/store';
import type { WebhookEvent } from '../../../src/core/ports/webhook-verifier';
import { migrateDatabase } from '../../../src/store/migrate-database';
import { migrations } from '../../../src/store/migrations/index';
import { closeDatabase, openDatabase } from '../../../src/store/open-database';
import { createSqliteStore } from '../../../src/store/sql/sqlite-store';
import { STORE_DRIVERS } from '../../helpers/stores';
import { useTempDirs } from '../../helpers/temp-dir';
import { openNotificationTestStore, type NotificationTestStore } from '../../integration/notifications/notification-test-store';

const tempDir = useTempDirs();
const opened: NotificationTestStore[] = [];
afterEach(async () => {
  for (const o of opened.splice(0)) await o.close();
});

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
const LEASE = 1_000;

describe('migrations 003 and 010 (SQLite, upgrading a database in use)', () => {
  it('adds the recording columns and the inbox/outbox tables, then the leases; rows from before 010 are claimable', async () => {
    const file = path.join(tempDir(), 'old.db');
    const db = openDatabase(file);
    try {
      migrateDatabase(db, migrations.slice(0, 2), file);
      db.prepare("INSERT INTO meetings (id, guild_id, channel_id, host_id, host_name, kind, title, duration_minutes, record, status, created_at) VALUES ('m_old', '1', '2', '3', 'A', 'meeting', 'T', 5, 0, 'ended', 1)").run();
      migrateDatabase(db, migrations.slice(0, 9), file);
      db.prepare("INSERT INTO outbox (channel_id, body, nonce, dedupe_key, next_attempt_at, created_at) VALUES ('c', '{\"content\":\"from 0.9\"}', 'nonce-from-009', 'k', 0, 0)").run();
      expect(() => db.prepare("INSERT INTO outbox (channel_id, body, nonce, dedupe_key, next_attempt_at, created_at) VALUES ('1', '{}', ?, 'k2', 0, 0)").run('x'.repeat(26))).toThrow(/CHECK constraint/);
      expect(migrateDatabase(db, migrations, file)).toEqual({ from: 9, to: migrations.length });
      const store = createSqliteStore(db);
      expect(await store.meetings.get('m_old')).not.toHaveProperty('recordingEntryId');
      const sql = (name: string) => (db.prepare('SELECT sql FROM sqlite_master WHERE name = ?').get(name) as { sql: string }).sql;
      expect(sql('webhook_inbox')).toMatch(/STRICT$/);
      expect(sql('outbox')).toMatch(/STRICT$/);
      expect(await store.outbox.claimHeads(10, 'me', LEASE, 5)).toEqual([expect.objectContaining({ nonce: 'nonce-from-009', message: { content: 'from 0.9' } })]);
    } finally {
      closeDatabase(db);
    }
  });
});

describe.each(STORE_DRIVERS)('notifications store (%s)', (driver) => {
  async function open(): Promise<NotificationTestStore> {
    const o = await openNotificationTestStore(driver, tempDir());
    opened.push(o);
    return o;
  }

  describe('meetings: recording fields and lookups', () => {
    it('reads back the recording fields and sets them through transition (bumping version)', async () => {
      const { store } = await open();
      const m = meeting({ recordingEntryId: '0_abc', recordingUrl: 'https://cdn.example/w' });
      await store.meetings.insert(m);
      expect(await store.meetings.get(m.id)).toEqual(m);
      const bare = meeting();
      await store.meetings.insert(bare);
      expect(await store.meetings.transition(bare.id, ['live', 'ended'], { recordingEntryId: '0_def', recordingUrl: 'u' })).toMatchObject({ recordingEntryId: '0_def', recordingUrl: 'u', version: 3 });
    });

    it('finds a meeting by template entry and by event id; remembers each recording once', async () => {
      const { store } = await open();
      const m = meeting();
      await store.meetings.insert(m);
      expect((await store.meetings.findByTemplateEntryId(m.templateEntryId!))?.id).toBe(m.id);
      expect((await store.meetings.findByEventId(m.eventId!))?.id).toBe(m.id);
      expect(await store.meetings.findByTemplateEntryId('0_nothere')).toBeUndefined();
      expect(await store.meetings.findByEventId(1)).toBeUndefined();
      expect(await store.meetings.addRecording(m.id, '0_rec00001', 1)).toBe(true);
      expect(await store.meetings.addRecording(m.id, '0_rec00001', 2)).toBe(false);
      expect(await store.meetings.addRecording(m.id, '0_rec00002', 3)).toBe(true);
    });

    it('lists ended meetings with a template within the window (recorded or not), never-checked first, then oldest check', async () => {
      const { store } = await open();
      const a = meeting({ endedAt: 5_000 });
      const b = meeting({ endedAt: 6_000, recordingEntryId: '0_x' }); // a restarted room records again
      const c = meeting({ endedAt: 7_000 });
      const tooOld = meeting({ endedAt: 100 });
      const noTemplate = meeting({ templateEntryId: undefined }); // started before templates: nothing to match
      const live = meeting({ status: 'live', endedAt: undefined });
      for (const m of [a, b, c, tooOld, noTemplate, live]) await store.meetings.insert(m);
      const ids = async (limit: number) => (await store.meetings.listAwaitingRecording(1_000, limit)).map((m) => m.id);
      expect(await ids(10)).toEqual([a.id, b.id, c.id]);
      await store.meetings.markRecordingChecked(a.id, 20_000);
      await store.meetings.markRecordingChecked(c.id, 10_000);
      expect(await ids(10)).toEqual([b.id, c.id, a.id]);
      expect(await ids(2)).toEqual([b.id, c.id]);
      expect((await store.meetings.get(a.id))!.version).toBe(a.version); // checking is not a change the card shows
    });
  });

  describe('webhook inbox', () => {
    it('stores an event once per job id, or per body hash without one', async () => {
      const { store } = await open();
      expect(await store.inbox.accept(ready('0_a', '77'), 'h1', 1)).toBe('stored');
      expect(await store.inbox.accept(ready('0_a', '77'), 'h2', 2)).toBe('duplicate');
      expect(await store.inbox.accept(ready('0_b'), 'h3', 3)).toBe('stored');
      expect(await store.inbox.accept(ready('0_b'), 'h3', 4)).toBe('duplicate');
      expect(await store.inbox.accept(ready('0_c'), 'h4', 5)).toBe('stored');
      expect(await store.inbox.counts()).toEqual({ pending: 3, dead: 0 });
    });

    it('claims due events with their Dates revived, oldest first, and tracks retries, done and dead', async () => {
      const { store } = await open();
      const changed: WebhookEvent = { kind: 'schedule-event.changed', jobId: '1', event: { id: 9, status: 1, startsAt: new Date(1_000_000), endsAt: new Date(2_000_000) } };
      await store.inbox.accept(changed, 'h', 10);
      await store.inbox.accept(ready('0_a', '2'), 'h', 11);
      await store.inbox.accept(ready('0_later', '3'), 'h', 50);
      const due = await store.inbox.claimDue(10, 'me', LEASE, 11);
      expect(due.map((d) => d.event)).toEqual([changed, ready('0_a', '2')]);
      expect(await store.inbox.markRetry(due[0]!.id, 'me', 1, 500, 'Kaltura timeout')).toBe(true);
      expect(await store.inbox.markDone(due[1]!.id, 'me', 12)).toBe(true);
      expect((await store.inbox.claimDue(10, 'me', LEASE, 499)).map((d) => d.event)).toEqual([ready('0_later', '3')]);
      const again = await store.inbox.claimDue(10, 'me', LEASE, 500);
      expect(again).toEqual([expect.objectContaining({ id: due[0]!.id, attempts: 1 })]);
      expect(await store.inbox.markDead(due[0]!.id, 'me', 15, 'gave up', 600)).toBe(true);
      expect(await store.inbox.counts()).toEqual({ pending: 1, dead: 1 });
      expect(await store.inbox.prune(11)).toBe(1);
      expect(await store.inbox.prune(12)).toBe(1);
      expect(await store.inbox.counts()).toEqual({ pending: 1, dead: 0 });
    });

    it('leases a claimed event to one owner: nobody else claims or settles it until the lease runs out', async () => {
      const { store } = await open();
      await store.inbox.accept(ready('0_a', '1'), 'h', 0);
      const [mine] = await store.inbox.claimDue(10, 'A', LEASE, 0);
      expect(await store.inbox.claimDue(10, 'B', LEASE, LEASE - 1)).toEqual([]);
      expect(await store.inbox.markDone(mine!.id, 'B', 5)).toBe(false);
      // A died: after the lease B takes the event over, and A's late outcome is not recorded
      expect(await store.inbox.claimDue(10, 'B', LEASE, LEASE)).toEqual([expect.objectContaining({ id: mine!.id })]);
      expect(await store.inbox.markRetry(mine!.id, 'A', 1, 0, 'late')).toBe(false);
      expect(await store.inbox.markDone(mine!.id, 'B', LEASE + 1)).toBe(true);
      expect(await store.inbox.counts()).toEqual({ pending: 0, dead: 0 });
      // a restarted SQLite process frees every lease (nobody else works on its database)
      await store.inbox.accept(ready('0_b', '2'), 'h', 0);
      await store.inbox.claimDue(10, 'A', LEASE, LEASE + 1);
      expect(await store.inbox.releaseAll()).toBe(1);
      expect(await store.inbox.claimDue(10, 'C', LEASE, LEASE + 2)).toHaveLength(1);
    });
  });

  describe('outbox', () => {
    const put = (store: Store, channelId: string, key: string, now: number) => store.outbox.enqueue({ channelId, message: { content: key }, dedupeKey: key }, now);
    const heads = async (store: Store, owner: string, now: number) => (await store.outbox.claimHeads(10, owner, LEASE, now)).map((h) => h.message.content);

    it('gives each row its own short nonce and keeps the message body intact', async () => {
      const { store, all } = await open();
      const message = { content: 'hi 🎬', replyToMessageId: '8', linkButtons: [{ label: 'Watch', url: 'https://x' }] };
      expect(await store.outbox.enqueue({ channelId: 'c1', message, dedupeKey: 'k1' }, 5)).toBe(true);
      await store.outbox.enqueue({ channelId: 'c1', message: { content: 'two' }, dedupeKey: 'k2' }, 6);
      const claimed = await store.outbox.claimHeads(10, 'me', LEASE, 6);
      expect(claimed).toEqual([{ id: expect.any(Number), channelId: 'c1', message, nonce: expect.stringMatching(/^[A-Za-z0-9_-]{16}$/), dedupeKey: 'k1', attempts: 0, nextAttemptAt: 5, createdAt: 5 }]);
      const nonces = (await all<{ nonce: string }>('SELECT nonce FROM outbox')).map((r) => r.nonce);
      expect(new Set(nonces).size).toBe(2);
    });

    it('one cause enqueues one message: a second enqueue with the same dedupe key is refused', async () => {
      const { store } = await open();
      expect(await put(store, 'A', 'recording:m_1', 1)).toBe(true);
      expect(await store.outbox.enqueue({ channelId: 'B', message: { content: 'y' }, dedupeKey: 'recording:m_1' }, 2)).toBe(false);
      expect(await store.outbox.stats(10)).toEqual({ pending: 1, dead: 0, oldestPendingAgeMs: 9 });
    });

    it('claims one head per channel, due ones only, earliest next attempt first; sent and dead rows stop blocking', async () => {
      const { store } = await open();
      await put(store, 'A', 'a1', 1);
      await put(store, 'A', 'a2', 2);
      await put(store, 'B', 'b1', 3);
      await put(store, 'C', 'c1', 4);
      await put(store, 'D', 'd1', 40);
      const claimed = await store.outbox.claimHeads(10, 'me', LEASE, 10);
      expect(claimed.map((h) => h.message.content)).toEqual(['a1', 'b1', 'c1']);
      const [a1, b1, c1] = claimed;
      expect(await store.outbox.markRetry(a1!.id, 'me', 1, 100, 'later')).toBe(true);
      expect(await store.outbox.markSent(b1!.id, 'me', '999', 11)).toBe(true);
      expect(await store.outbox.release([c1!.id], 'me')).toBe(1);
      // A waits in backoff (a2 stays behind a1); B moved on; C was given back; D is due now
      expect(await heads(store, 'me', 50)).toEqual(['c1', 'd1']);
      expect(await store.outbox.nextWakeAt(50)).toBe(100); // A's backoff ends before C's and D's leases
      expect(await heads(store, 'me', 100)).toEqual(['a1']);
      expect(await store.outbox.markDead(a1!.id, 'me', 2, 'Missing Access', 100)).toBe(true);
      expect(await heads(store, 'me', 101)).toEqual(['a2']);
      expect(await store.outbox.stats(104)).toEqual({ pending: 3, dead: 1, oldestPendingAgeMs: 102 });
      // marking is only from pending: a late "sent" cannot revive a dead row
      expect(await store.outbox.markSent(a1!.id, 'me', '1', 102)).toBe(false);
      expect((await store.outbox.stats(104)).dead).toBe(1);
      expect(await store.outbox.prune(100)).toBe(2);
      expect(await store.outbox.stats(104)).toEqual({ pending: 3, dead: 0, oldestPendingAgeMs: 102 });
    });

    it('leases a head to one dispatcher; after the lease runs out another takes it over (same nonce) and the first cannot settle it', async () => {
      const { store } = await open();
      await put(store, 'A', 'a1', 0);
      await put(store, 'A', 'a2', 0);
      await put(store, 'B', 'b1', 0);
      const first = await store.outbox.claimHeads(1, 'one', LEASE, 0);
      expect(first.map((h) => h.message.content)).toEqual(['a1']);
      // the other dispatcher gets B, never A's head (leased) nor A's second message (behind it)
      expect(await heads(store, 'two', 1)).toEqual(['b1']);
      expect(await heads(store, 'two', LEASE - 1)).toEqual([]);
      expect(await store.outbox.markSent(first[0]!.id, 'two', 'x', 2)).toBe(false);
      expect(await store.outbox.nextWakeAt(LEASE - 1)).toBe(LEASE); // A's lease runs out first (B's a moment later)
      expect((await store.outbox.claimHeads(10, 'two', LEASE, LEASE)).map((h) => h.message.content)).toEqual(['a1']);
      expect(await store.outbox.release([first[0]!.id], 'two')).toBe(1);
      const takeover = await store.outbox.claimHeads(10, 'two', LEASE, LEASE + 1);
      expect(takeover.map((h) => [h.message.content, h.nonce])).toEqual([
        ['a1', first[0]!.nonce],
        ['b1', expect.any(String)],
      ]);
      expect(await store.outbox.markSent(first[0]!.id, 'one', 'late', LEASE + 1)).toBe(false);
      expect(await store.outbox.release([first[0]!.id], 'one')).toBe(0);
      expect(await store.outbox.markRetry(first[0]!.id, 'one', 1, 0, 'late')).toBe(false);
      expect(await store.outbox.markSent(first[0]!.id, 'two', '1234', LEASE + 1)).toBe(true);
      expect(await heads(store, 'one', LEASE + 2)).toEqual(['a2']);
      // a restarted SQLite process frees every lease (nobody else sends from its database)
      expect(await store.outbox.releaseAll()).toBe(2); // a2 (one), b1 (two)
      expect(await heads(store, 'three', LEASE + 3)).toEqual(['a2', 'b1']);
    });

    it('concurrent claimers never get the same row (eight at once over 40 channels)', async () => {
      const t = await open();
      for (let c = 0; c < 40; c++) for (let i = 0; i < 2; i++) await put(t.store, `ch${c}`, `ch${c}-${i}`, 0);
      // PostgreSQL: four pools, as four instances; SQLite: one process has one connection, whose units take turns
      const stores = driver === 'postgres' ? [t.store, await t.peer(), await t.peer(), await t.peer()] : [t.store];
      const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => stores[i % stores.length]!.outbox.claimHeads(10, `owner${i}`, LEASE, 1)));
      const rest = await t.store.outbox.claimHeads(100, 'last', LEASE, 1);
      const all = [...claims.flat(), ...rest];
      expect(claims.every((c) => c.length <= 10)).toBe(true); // each claim honours its limit
      expect(new Set(all.map((h) => h.id)).size).toBe(all.length); // nobody got a row twice
      expect(all.map((h) => h.message.content).sort()).toEqual(Array.from({ length: 40 }, (_, c) => `ch${c}-0`).sort()); // every head once, never a second message
    });

    it('commits a state change and its message together, or neither (store.transaction, savepoints)', async () => {
      const { store } = await open();
      const m = meeting({ status: 'live', endedAt: undefined });
      await store.meetings.insert(m);
      await expect(
        store.transaction(async (tx) => {
          await tx.meetings.transition(m.id, ['live'], { status: 'ended', endedAt: 1, endedBy: 'kaltura' });
          await tx.outbox.enqueue({ channelId: 'c', message: { content: 'ended' }, dedupeKey: `ended:${m.id}` }, 1);
          throw new Error('crash before commit');
        }),
      ).rejects.toThrow('crash before commit');
      expect((await store.meetings.get(m.id))!.status).toBe('live');
      expect((await store.outbox.stats(1)).pending).toBe(0);
      await store.transaction(async (tx) => {
        await tx.outbox.enqueue({ channelId: 'c', message: { content: 'kept' }, dedupeKey: 'kept' }, 1);
        await expect(
          tx.savepoint(async (sp) => {
            await sp.outbox.enqueue({ channelId: 'c', message: { content: 'x' }, dedupeKey: 'x' }, 1);
            throw new Error('inner');
          }),
        ).rejects.toThrow('inner');
      });
      expect((await store.outbox.claimHeads(10, 'me', LEASE, 1)).map((h) => h.message.content)).toEqual(['kept']);
    });
  });
});
