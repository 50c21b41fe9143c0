import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createOutboxDispatcher, type OutboxDispatcher, type OutboxDispatcherOptions } from '../../../src/core/notifications/outbox-dispatcher';
import { systemClock } from '../../../src/core/ports/clock';
import type { Store } from '../../../src/core/ports/store';
import { captureLogger } from '../../helpers/capture-logger';
import { STORE_DRIVERS } from '../../helpers/stores';
import { useTempDirs } from '../../helpers/temp-dir';
import { openNotificationTestStore, type NotificationTestStore } from './notification-test-store';
import { createTestSender, until, type TestSender } from './test-sender';

const logs = captureLogger();
const tempDir = useTempDirs();
const A = '910000000000000001';
const B = '910000000000000002';
const FAST = { baseMs: 1, maxMs: 4 };

const opened: NotificationTestStore[] = [];
const dispatchers: OutboxDispatcher[] = [];
afterEach(async () => {
  for (const d of dispatchers.splice(0)) await d.stop();
  for (const o of opened.splice(0)) await o.close();
});
afterAll(() => expect(logs.text()).not.toMatch(/djJ8|eyJ[A-Za-z0-9_-]{10,}\.eyJ/));

function dispatcher(store: Store, sender: TestSender, extra: Partial<OutboxDispatcherOptions> = {}): OutboxDispatcher {
  const d = createOutboxDispatcher({ outbox: store.outbox, sender, clock: systemClock, logger: logs.logger, backoff: FAST, ...extra });
  dispatchers.push(d);
  return d;
}

let keys = 0;
async function enqueue(store: Store, channelId: string, ...contents: string[]): Promise<void> {
  await store.transaction(async (tx) => {
    for (const content of contents) await tx.outbox.enqueue({ channelId, message: { content }, dedupeKey: `test:${++keys}` }, systemClock.now());
  });
}

const numbered = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

describe('outbox dispatcher on SQLite (one process)', () => {
  it('resends at once, after a kill and restart, what the killed process was sending (not after its lease)', async () => {
    const t = await openNotificationTestStore('sqlite', tempDir());
    opened.push(t);
    await enqueue(t.store, A, 'in flight at the kill', 'next');
    await enqueue(t.store, B, 'b1');
    // the killed process had leased A's head (and told Discord: same nonce) for another minute
    const [held] = await t.store.outbox.claimHeads(1, 'killed-process', 60_000, systemClock.now());
    const sender = createTestSender();
    dispatcher(t.store, sender, { exclusive: true }).start();
    await until(() => sender.posted.length === 3, 'all three');
    expect(sender.contents(A)).toEqual(['in flight at the kill', 'next']);
    expect(sender.attempts.find((a) => a.content === 'in flight at the kill')!.nonce).toBe(held!.nonce);
    expect(logs.lines.some((l) => String(l.msg).includes('resuming notifications a stopped process was sending') && l.freed === 1)).toBe(true);
  });
});

describe.each(STORE_DRIVERS)('outbox dispatcher (%s)', (driver) => {
  async function open(): Promise<NotificationTestStore> {
    const o = await openNotificationTestStore(driver, tempDir());
    opened.push(o);
    return o;
  }
  const statuses = (t: NotificationTestStore) => t.all<{ status: string; attempts: number }>('SELECT status, attempts FROM outbox ORDER BY id');
  const sentCount = async (t: NotificationTestStore) => (await t.all<{ n: number }>("SELECT CAST(COUNT(*) AS INTEGER) AS n FROM outbox WHERE status = 'sent'"))[0]!.n;

  it('keeps a channel in order through transient failures: the 2nd message fails 3 times, all arrive once, in order', async () => {
    const t = await open();
    const sender = createTestSender();
    sender.fail(3, { retryable: true, match: (_, m) => m.content === 'm2' });
    await enqueue(t.store, A, 'm1', 'm2', 'm3', 'm4');
    dispatcher(t.store, sender).start();
    await until(() => sender.posted.length === 4, 'four messages');
    expect(sender.contents(A)).toEqual(['m1', 'm2', 'm3', 'm4']);
    // m3 was never tried before m2 got through
    expect(sender.attempts.map((a) => a.content)).toEqual(['m1', 'm2', 'm2', 'm2', 'm2', 'm3', 'm4']);
    expect(new Set(sender.attempts.filter((a) => a.content === 'm2').map((a) => a.nonce)).size).toBe(1); // one nonce per row
    await until(async () => (await sentCount(t)) === 4, 'all four marked sent');
    expect(await statuses(t)).toEqual([
      { status: 'sent', attempts: 0 },
      { status: 'sent', attempts: 3 },
      { status: 'sent', attempts: 0 },
      { status: 'sent', attempts: 0 },
    ]);
    const rows = await t.all<{ nonce: string; message_id: string; sent_at: number; lease_owner: string | null }>('SELECT nonce, message_id, sent_at, lease_owner FROM outbox');
    for (const r of rows) {
      expect(r.nonce.length).toBeLessThanOrEqual(25);
      expect(r.message_id).toMatch(/^\d+$/);
      expect(r.sent_at).toBeGreaterThan(0);
      expect(r.lease_owner).toBeNull(); // settling frees the row
    }
  });

  it('sends to different channels independently: one stuck channel does not hold up another', async () => {
    const t = await open();
    const sender = createTestSender();
    sender.hold(A); // A's send hangs in flight
    await enqueue(t.store, A, 'a1', 'a2');
    await enqueue(t.store, B, 'b1', 'b2', 'b3');
    dispatcher(t.store, sender).start();
    await until(() => sender.posted.length === 3, 'B delivered');
    expect(sender.contents(B)).toEqual(['b1', 'b2', 'b3']);
    expect(sender.contents(A)).toEqual([]);
    sender.release(A);
    await until(() => sender.posted.length === 5, 'A delivered');
    expect(sender.contents(A)).toEqual(['a1', 'a2']);
  });

  it('a channel in backoff waits while other channels go on', async () => {
    const t = await open();
    const sender = createTestSender();
    sender.fail(40, { retryable: true, match: (c) => c === A });
    await enqueue(t.store, A, 'a1', 'a2');
    await enqueue(t.store, B, ...numbered('b', 20));
    dispatcher(t.store, sender, { maxAttempts: 1_000 }).start();
    await until(() => sender.contents(B).length === 20, 'B delivered');
    await until(() => sender.contents(A).length === 2, 'A delivered after its failures');
    expect(sender.contents(B)).toEqual(numbered('b', 20));
    expect(sender.contents(A)).toEqual(['a1', 'a2']);
  });

  it('a permanent refusal goes dead after one try, is logged at warn, and the channel moves on', async () => {
    const t = await open();
    const sender = createTestSender();
    sender.fail(1, { retryable: false, reason: 'Missing Permissions', match: (_, m) => m.content === 'first' });
    const logsBefore = logs.lines.length;
    await enqueue(t.store, A, 'first', 'second');
    dispatcher(t.store, sender).start();
    await until(() => sender.posted.length === 1, 'the second message');
    await until(async () => (await sentCount(t)) === 1, 'the second marked sent');
    expect(sender.contents(A)).toEqual(['second']);
    expect(sender.attempts.filter((a) => a.content === 'first')).toHaveLength(1);
    expect(await t.all('SELECT status, attempts, last_error, sent_at FROM outbox ORDER BY id')).toEqual([
      { status: 'dead', attempts: 1, last_error: 'FakeDiscordError: Missing Permissions', sent_at: null },
      expect.objectContaining({ status: 'sent' }),
    ]);
    expect(logs.lines.slice(logsBefore).filter((l) => l.level === 40 && String(l.msg).includes('refused a notification for good') && l.channelId === A && l.reason === 'FakeDiscordError: Missing Permissions')).toHaveLength(1);
    expect(await t.store.outbox.stats(Date.now())).toEqual({ pending: 0, dead: 1 });
  });

  it('a message whose attempt budget is spent goes dead and does not block the next', async () => {
    const t = await open();
    const sender = createTestSender();
    sender.fail(1_000, { retryable: true, match: (_, m) => m.content === 'doomed' });
    await enqueue(t.store, A, 'doomed', 'next');
    dispatcher(t.store, sender, { maxAttempts: 4 }).start();
    await until(() => sender.posted.length === 1, 'the next message');
    await until(async () => (await sentCount(t)) === 1, 'the next marked sent');
    expect(await statuses(t)).toEqual([
      { status: 'dead', attempts: 4 },
      { status: 'sent', attempts: 0 },
    ]);
  });

  it('a crash after Discord accepted but before the row was marked sent still yields exactly one message', async () => {
    const t = await open();
    const sender = createTestSender();
    sender.crashAfterAccept = 1;
    await enqueue(t.store, A, 'only once', 'after');
    const d1 = dispatcher(t.store, sender, { backoff: { baseMs: 60_000, maxMs: 60_000 } });
    d1.start();
    await until(async () => (await statuses(t))[0]!.attempts === 1, 'the failed attempt recorded');
    await d1.stop();
    expect(sender.posted.map((p) => p.message.content)).toEqual(['only once']); // Discord has it; we do not know
    await t.run('UPDATE outbox SET next_attempt_at = 0'); // the restart comes after the backoff

    const restarted = await t.peer(); // "restart": a new connection and a new dispatcher
    dispatcher(restarted, sender).start();
    await until(async () => (await statuses(t)).every((s) => s.status === 'sent'), 'both rows sent');
    expect(sender.contents(A)).toEqual(['only once', 'after']);
    expect(sender.attempts.filter((a) => a.content === 'only once')).toHaveLength(2); // re-sent with its nonce, deduplicated
  });

  it('a dispatcher stopped mid-send (no answer) gives its lease back: the next one resends at once without a duplicate', async () => {
    const t = await open();
    const sender = createTestSender();
    sender.hangAfterAccept = 1;
    await enqueue(t.store, A, 'in flight at the stop');
    const d1 = dispatcher(t.store, sender, { stopTimeoutMs: 20 });
    d1.start();
    await until(() => sender.posted.length === 1, 'the send to reach Discord');
    await d1.stop(); // gives up waiting: the row must stay pending, not half-marked
    expect(await statuses(t)).toEqual([{ status: 'pending', attempts: 0 }]);
    expect(await t.all('SELECT lease_owner FROM outbox')).toEqual([{ lease_owner: null }]);

    dispatcher(await t.peer(), sender).start();
    await until(async () => (await statuses(t))[0]!.status === 'sent', 'the row sent');
    expect(sender.posted).toHaveLength(1);
    expect(logs.lines.some((l) => String(l.msg).includes('stopped before every notification send finished'))).toBe(true);
  });

  // One channel is sent to one message at a time (two round trips each on PostgreSQL): a smaller burst there keeps the suite short.
  const BURST = driver === 'sqlite' ? 500 : 200;
  it(`delivers a burst of ${BURST} to one channel, in order, once each, through scattered failures`, async () => {
    const t = await open();
    const sender = createTestSender();
    const burst = numbered('n', BURST);
    for (const n of [`n${BURST / 10}`, `n${BURST / 2}`, `n${BURST - 1}`]) sender.fail(2, { retryable: true, match: (_, m) => m.content === n });
    await enqueue(t.store, A, ...burst);
    expect(await t.store.outbox.stats(Date.now())).toMatchObject({ pending: BURST, dead: 0, oldestPendingAgeMs: expect.any(Number) });
    dispatcher(t.store, sender, { concurrency: 8 }).start();
    await until(() => sender.posted.length === BURST, 'the burst', 110_000);
    expect(sender.contents(A)).toEqual(burst);
    expect(new Set(sender.posted.map((p) => p.nonce)).size).toBe(BURST);
    expect(sender.attempts).toHaveLength(BURST + 6); // the six failures, nothing else twice
    await until(async () => (await sentCount(t)) === BURST, 'the burst marked sent');
    expect(await t.store.outbox.stats(Date.now())).toEqual({ pending: 0, dead: 0 });
  }, 120_000);

  it('stop() mid-burst leaves every row consistent, and a new dispatcher finishes in order', async () => {
    const t = await open();
    const sender = createTestSender();
    const burst = numbered('n', 300);
    await enqueue(t.store, A, ...burst);
    await enqueue(t.store, B, ...numbered('b', 100));
    const d1 = dispatcher(t.store, sender);
    d1.start();
    await until(() => sender.posted.length >= 60, 'part of the burst');
    await d1.stop();
    const sentRows = await sentCount(t);
    expect(sentRows).toBe(sender.posted.length); // everything Discord has is marked, nothing more
    expect(sentRows).toBeLessThan(400);
    const afterStop = sender.attempts.length;
    await new Promise((r) => setTimeout(r, 20));
    expect(sender.attempts.length).toBe(afterStop); // stopped means stopped

    dispatcher(await t.peer(), sender).start();
    await until(() => sender.posted.length === 400, 'the rest of the burst', 110_000);
    expect(sender.contents(A)).toEqual(burst);
    expect(sender.contents(B)).toEqual(numbered('b', 100));
  }, 120_000);

  it('two dispatchers on one database (two instances) send every message exactly once, each channel in order', async () => {
    const t = await open();
    const sender = createTestSender();
    const channels = Array.from({ length: 6 }, (_, i) => `92000000000000000${i}`);
    for (const c of channels) await enqueue(t.store, c, ...numbered(`${c.slice(-1)}:`, 40));
    // the first instance is stuck on one channel's head; the second must take every other channel and never that head
    sender.hold(channels[0]!);
    const one = dispatcher(t.store, sender, { concurrency: 1 });
    one.start();
    await until(() => sender.attempts.length === 1, 'the first instance to be stuck on a send');
    const stuck = sender.attempts[0]!.channelId;
    const two = dispatcher(await t.peer(), sender, { concurrency: 3 });
    two.start();
    await until(() => sender.posted.length === 200, 'the other channels', 110_000);
    expect(sender.attempts.filter((a) => a.channelId === stuck)).toHaveLength(1);
    sender.release(stuck);
    await until(() => sender.posted.length === 240, 'every message', 110_000);
    for (const c of channels) expect(sender.contents(c)).toEqual(numbered(`${c.slice(-1)}:`, 40));
    // exactly once: not merely deduplicated by the nonce; no message was even tried twice
    expect(sender.attempts).toHaveLength(240);
    expect(new Set(sender.attempts.map((a) => a.nonce)).size).toBe(240);
    await until(async () => (await sentCount(t)) === 240, 'every row marked sent');
    expect(one.owner).not.toBe(two.owner);
  }, 240_000);

  it('a lease owner that dies mid-send keeps its channel until the lease runs out; then the other dispatcher finishes, once', async () => {
    const t = await open();
    const sender = createTestSender();
    const LEASE_MS = 60_000;
    await enqueue(t.store, A, 'a1', 'a2', 'a3');
    await enqueue(t.store, B, 'b1');
    let now = Date.now(); // after the rows were written: they are due
    const clock = { now: () => now };
    sender.hangAfterAccept = 1; // Discord takes a1, then the process dies before hearing back
    const dying = createOutboxDispatcher({ outbox: t.store.outbox, sender, clock, logger: logs.logger, backoff: FAST, leaseMs: LEASE_MS, concurrency: 1, stopTimeoutMs: 20 });
    dying.start();
    await until(() => sender.attempts.length === 1, 'the dying instance to send a1');
    expect(sender.attempts[0]!.content).toBe('a1'); // the oldest head
    // (never stopped: a killed process gives nothing back)

    const survivor = dispatcher(await t.peer(), sender, { clock, leaseMs: LEASE_MS });
    survivor.start();
    // the pass that took B also looked at A: its head is leased to the dead instance, so A waits
    await until(() => sender.contents(B).length === 1, 'the other channel');
    expect(sender.attempts.filter((a) => a.channelId === A)).toHaveLength(1);
    now += LEASE_MS;
    survivor.kick();
    await until(() => sender.contents(A).length === 3 && sender.contents(B).length === 1, 'everything', 30_000);
    expect(sender.contents(A)).toEqual(['a1', 'a2', 'a3']);
    expect(sender.posted).toHaveLength(4);
    const a1Attempts = sender.attempts.filter((a) => a.content === 'a1');
    expect(a1Attempts).toHaveLength(2); // the dead owner's send and the takeover, with one nonce
    expect(new Set(a1Attempts.map((a) => a.nonce)).size).toBe(1);
    await until(async () => (await sentCount(t)) === 4, 'all marked sent');
    expect(await t.all('SELECT lease_owner FROM outbox WHERE lease_owner IS NOT NULL')).toEqual([]);
    await dying.stop(); // test cleanup only: its send never answers
  });
});
