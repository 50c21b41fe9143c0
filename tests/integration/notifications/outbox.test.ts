import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createOutboxDispatcher, type OutboxDispatcher, type OutboxDispatcherOptions } from '../../../src/core/notifications/outbox-dispatcher';
import { systemClock } from '../../../src/core/ports/clock';
import type { NotificationStore } from '../../../src/core/ports/notification-store';
import { migrateDatabase } from '../../../src/store/migrate-database';
import { migrations } from '../../../src/store/migrations/index';
import { createNotificationStore } from '../../../src/store/notification-store';
import { closeDatabase, openDatabase } from '../../../src/store/open-database';
import { captureLogger } from '../../helpers/capture-logger';
import { useTempDirs } from '../../helpers/temp-dir';
import { createTestSender, until, type TestSender } from './test-sender';

const logs = captureLogger();
const tempDir = useTempDirs();
const A = '910000000000000001';
const B = '910000000000000002';
const FAST = { baseMs: 1, maxMs: 4 };

const opened: Database[] = [];
const dispatchers: OutboxDispatcher[] = [];
afterEach(async () => {
  for (const d of dispatchers.splice(0)) await d.stop();
  for (const db of opened.splice(0)) closeDatabase(db);
});
afterAll(() => expect(logs.text()).not.toMatch(/djJ8|eyJ[A-Za-z0-9_-]{10,}\.eyJ/));

function openStore(file = path.join(tempDir(), 'state.db')): { db: Database; file: string; store: NotificationStore } {
  const db = openDatabase(file);
  opened.push(db);
  migrateDatabase(db, migrations, file);
  return { db, file, store: createNotificationStore(db) };
}

function dispatcher(store: NotificationStore, sender: TestSender, extra: Partial<OutboxDispatcherOptions> = {}): OutboxDispatcher {
  const d = createOutboxDispatcher({ outbox: store.outbox, sender, clock: systemClock, logger: logs.logger, backoff: FAST, ...extra });
  dispatchers.push(d);
  return d;
}

let keys = 0;
function enqueue(store: NotificationStore, channelId: string, ...contents: string[]): void {
  store.transact(() => {
    for (const content of contents) store.outbox.enqueue({ channelId, message: { content }, dedupeKey: `test:${++keys}` }, Date.now());
  });
}

const statuses = (db: Database) => db.prepare('SELECT status, attempts FROM outbox ORDER BY id').all() as { status: string; attempts: number }[];
const numbered = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

describe('outbox dispatcher', () => {
  it('keeps a channel in order through transient failures: the 2nd message fails 3 times, all arrive once, in order', async () => {
    const { db, store } = openStore();
    const sender = createTestSender();
    sender.fail(3, { retryable: true, match: (_, m) => m.content === 'm2' });
    enqueue(store, A, 'm1', 'm2', 'm3', 'm4');
    dispatcher(store, sender).start();
    await until(() => sender.posted.length === 4, 'four messages');
    expect(sender.contents(A)).toEqual(['m1', 'm2', 'm3', 'm4']);
    // m3 was never tried before m2 got through
    expect(sender.attempts.map((a) => a.content)).toEqual(['m1', 'm2', 'm2', 'm2', 'm2', 'm3', 'm4']);
    expect(new Set(sender.attempts.filter((a) => a.content === 'm2').map((a) => a.nonce)).size).toBe(1); // one nonce per row
    expect(statuses(db)).toEqual([
      { status: 'sent', attempts: 0 },
      { status: 'sent', attempts: 3 },
      { status: 'sent', attempts: 0 },
      { status: 'sent', attempts: 0 },
    ]);
    const rows = db.prepare('SELECT nonce, message_id, sent_at FROM outbox').all() as { nonce: string; message_id: string; sent_at: number }[];
    for (const r of rows) {
      expect(r.nonce.length).toBeLessThanOrEqual(25);
      expect(r.message_id).toMatch(/^\d+$/);
      expect(r.sent_at).toBeGreaterThan(0);
    }
  });

  it('sends to different channels independently: one stuck channel does not hold up another', async () => {
    const { store } = openStore();
    const sender = createTestSender();
    sender.hold(A); // A's send hangs in flight
    enqueue(store, A, 'a1', 'a2');
    enqueue(store, B, 'b1', 'b2', 'b3');
    const d = dispatcher(store, sender);
    d.start();
    await until(() => sender.posted.length === 3, 'B delivered');
    expect(sender.contents(B)).toEqual(['b1', 'b2', 'b3']);
    expect(sender.contents(A)).toEqual([]);
    sender.release(A);
    await until(() => sender.posted.length === 5, 'A delivered');
    expect(sender.contents(A)).toEqual(['a1', 'a2']);
  });

  it('a channel in backoff waits while other channels go on', async () => {
    const { store } = openStore();
    const sender = createTestSender();
    sender.fail(40, { retryable: true, match: (c) => c === A });
    enqueue(store, A, 'a1', 'a2');
    enqueue(store, B, ...numbered('b', 20));
    dispatcher(store, sender, { maxAttempts: 1_000 }).start();
    await until(() => sender.contents(B).length === 20, 'B delivered');
    await until(() => sender.contents(A).length === 2, 'A delivered after its failures');
    expect(sender.contents(B)).toEqual(numbered('b', 20));
    expect(sender.contents(A)).toEqual(['a1', 'a2']);
  });

  it('a permanent refusal goes dead after one try, is logged at warn, and the channel moves on', async () => {
    const { db, store } = openStore();
    const sender = createTestSender();
    sender.fail(1, { retryable: false, reason: 'Missing Permissions', match: (_, m) => m.content === 'first' });
    enqueue(store, A, 'first', 'second');
    dispatcher(store, sender).start();
    await until(() => sender.posted.length === 1, 'the second message');
    expect(sender.contents(A)).toEqual(['second']);
    expect(sender.attempts.filter((a) => a.content === 'first')).toHaveLength(1);
    expect(db.prepare('SELECT status, attempts, last_error, sent_at FROM outbox ORDER BY id').all()).toEqual([
      { status: 'dead', attempts: 1, last_error: 'FakeDiscordError: Missing Permissions', sent_at: null },
      expect.objectContaining({ status: 'sent' }),
    ]);
    expect(logs.lines.filter((l) => l.level === 40 && String(l.msg).includes('refused a notification for good'))).toEqual([
      expect.objectContaining({ channelId: A, attempts: 1, reason: 'FakeDiscordError: Missing Permissions' }),
    ]);
    expect(store.outbox.stats(Date.now())).toEqual({ pending: 0, dead: 1 });
  });

  it('a message whose attempt budget is spent goes dead and does not block the next', async () => {
    const { db, store } = openStore();
    const sender = createTestSender();
    sender.fail(1_000, { retryable: true, match: (_, m) => m.content === 'doomed' });
    enqueue(store, A, 'doomed', 'next');
    dispatcher(store, sender, { maxAttempts: 4 }).start();
    await until(() => sender.posted.length === 1, 'the next message');
    expect(statuses(db)).toEqual([
      { status: 'dead', attempts: 4 },
      { status: 'sent', attempts: 0 },
    ]);
  });

  it('a crash after Discord accepted but before the row was marked sent still yields exactly one message', async () => {
    const first = openStore();
    const sender = createTestSender();
    sender.crashAfterAccept = 1;
    enqueue(first.store, A, 'only once', 'after');
    const d1 = dispatcher(first.store, sender, { backoff: { baseMs: 60_000, maxMs: 60_000 } });
    d1.start();
    await until(() => statuses(first.db)[0]!.attempts === 1, 'the failed attempt recorded');
    await d1.stop();
    expect(sender.posted.map((p) => p.message.content)).toEqual(['only once']); // Discord has it; we do not know
    first.db.exec('UPDATE outbox SET next_attempt_at = 0'); // the restart comes after the backoff
    closeDatabase(first.db);

    const second = openStore(first.file); // "restart": a new connection and a new dispatcher
    dispatcher(second.store, sender).start();
    await until(() => statuses(second.db).every((s) => s.status === 'sent'), 'both rows sent');
    expect(sender.contents(A)).toEqual(['only once', 'after']);
    expect(sender.attempts.filter((a) => a.content === 'only once')).toHaveLength(2); // re-sent with its nonce, deduplicated
  });

  it('a process that dies mid-send (no answer, never marked) resumes on restart without a duplicate', async () => {
    const first = openStore();
    const sender = createTestSender();
    sender.hangAfterAccept = 1;
    enqueue(first.store, A, 'in flight at the crash');
    const d1 = dispatcher(first.store, sender, { stopTimeoutMs: 20 });
    d1.start();
    await until(() => sender.posted.length === 1, 'the send to reach Discord');
    await d1.stop(); // gives up waiting: the row must stay pending, not half-marked
    expect(statuses(first.db)).toEqual([{ status: 'pending', attempts: 0 }]);
    closeDatabase(first.db);

    const second = openStore(first.file);
    dispatcher(second.store, sender).start();
    await until(() => statuses(second.db)[0]!.status === 'sent', 'the row sent');
    expect(sender.posted).toHaveLength(1);
    expect(logs.lines.some((l) => String(l.msg).includes('stopped before every notification send finished'))).toBe(true);
  });

  it('delivers a burst of 500 to one channel, in order, once each, through scattered failures', async () => {
    const { db, store } = openStore();
    const sender = createTestSender();
    const burst = numbered('n', 500);
    for (const n of ['n50', 'n250', 'n499']) sender.fail(2, { retryable: true, match: (_, m) => m.content === n });
    enqueue(store, A, ...burst);
    expect(store.outbox.stats(Date.now())).toMatchObject({ pending: 500, dead: 0, oldestPendingAgeMs: expect.any(Number) });
    dispatcher(store, sender, { concurrency: 8 }).start();
    await until(() => sender.posted.length === 500, '500 messages', 30_000);
    expect(sender.contents(A)).toEqual(burst);
    expect(new Set(sender.posted.map((p) => p.nonce)).size).toBe(500);
    expect((db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE status = 'sent'").get() as { n: number }).n).toBe(500);
    expect(store.outbox.stats(Date.now())).toEqual({ pending: 0, dead: 0 });
  });

  it('stop() mid-burst leaves every row consistent, and a new dispatcher finishes in order', async () => {
    const { db, store, file } = openStore();
    const sender = createTestSender();
    const burst = numbered('n', 300);
    enqueue(store, A, ...burst);
    enqueue(store, B, ...numbered('b', 100));
    const d1 = dispatcher(store, sender);
    d1.start();
    await until(() => sender.posted.length >= 60, 'part of the burst');
    await d1.stop();
    const sentRows = (db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE status = 'sent'").get() as { n: number }).n;
    expect(sentRows).toBe(sender.posted.length); // everything Discord has is marked, nothing more
    expect(sentRows).toBeLessThan(400);
    const afterStop = sender.attempts.length;
    await new Promise((r) => setTimeout(r, 20));
    expect(sender.attempts.length).toBe(afterStop); // stopped means stopped
    closeDatabase(db);

    const again = openStore(file);
    dispatcher(again.store, sender).start();
    await until(() => sender.posted.length === 400, 'the rest of the burst', 30_000);
    expect(sender.contents(A)).toEqual(burst);
    expect(sender.contents(B)).toEqual(numbered('b', 100));
  });

  it('one cause enqueues one message: a second enqueue with the same dedupe key is refused', () => {
    const { store } = openStore();
    expect(store.outbox.enqueue({ channelId: A, message: { content: 'x' }, dedupeKey: 'recording:m_1' }, 1)).toBe(true);
    expect(store.outbox.enqueue({ channelId: B, message: { content: 'y' }, dedupeKey: 'recording:m_1' }, 2)).toBe(false);
    expect(store.outbox.stats(10)).toEqual({ pending: 1, dead: 0, oldestPendingAgeMs: 9 });
  });
});
