import { describe, expect, it } from 'vitest';
import { expectedPosition } from '../../../../src/core/watch/sync-protocol.js';
import { syncWorld } from './fake-sync-world.js';

type World = ReturnType<typeof syncWorld>;
/** Worst |media − group| (ms) over the members right now. */
function worstErrorMs(w: World, members: { media: { currentTime: number } }[]): number {
  const tl = w.rooms.room('inst')!.timeline;
  const want = expectedPosition(tl, w.timers.now());
  return Math.max(...members.map((m) => Math.abs(m.media.currentTime - want) * 1000));
}

async function threeInSync() {
  const w = syncWorld({ latencyMs: 20, jitterMs: 8 });
  const a = w.client('alice', { skewMs: 0 });
  await w.timers.advance(50);
  const b = w.client('bob', { skewMs: 350 });
  const c = w.client('carol', { skewMs: -1234 });
  await w.timers.advance(1000);
  return { w, a, b, c, all: [a, b, c] };
}

describe('sync client against the real room', () => {
  it('keeps three members with skewed clocks on the host’s play, seek, rate and pause', async () => {
    const { w, a, b, c, all } = await threeInSync();
    expect(a.c.isHost).toBe(true);
    expect(b.c.state()).toMatchObject({ host: false, hostId: 'alice', connection: 'open' });
    // The clock estimate finds the skews (to within the network's asymmetry).
    expect(b.c.state().offsetMs).toBeCloseTo(-350, -1);
    expect(c.c.state().offsetMs).toBeCloseTo(1234, -1);

    a.c.play();
    await w.timers.advance(3000);
    expect(all.every((m) => !m.media.paused)).toBe(true);
    expect(worstErrorMs(w, all)).toBeLessThan(15);

    a.c.seek(120);
    await w.timers.advance(1500);
    expect(all.every((m) => m.media.currentTime > 121)).toBe(true);
    expect(worstErrorMs(w, all)).toBeLessThan(15);

    a.c.setRate(1.5);
    await w.timers.advance(2000);
    expect(worstErrorMs(w, all)).toBeLessThan(15);
    expect(b.media.playbackRate).toBeCloseTo(1.5, 1);

    a.c.pause();
    await w.timers.advance(500);
    expect(all.every((m) => m.media.paused)).toBe(true);
    const paused = w.rooms.room('inst')!.timeline.position;
    for (const m of all) expect(Math.abs(m.media.currentTime - paused)).toBeLessThan(0.021);
  });

  it('brings a late joiner to the group’s position', async () => {
    const { w, a, all } = await threeInSync();
    a.c.play();
    await w.timers.advance(30_000);
    const d = w.client('dave', { skewMs: 777 });
    await w.timers.advance(2000);
    expect(d.media.currentTime).toBeGreaterThan(30);
    expect(worstErrorMs(w, [...all, d])).toBeLessThan(50);
  });

  it('reconnects after a 5 s cut and catches up with what the host did meanwhile', async () => {
    const { w, a, c } = await threeInSync();
    a.c.play();
    await w.timers.advance(2000);
    w.cut('carol', 5000);
    await w.timers.advance(100);
    expect(c.c.state().connection).toBe('reconnecting');
    a.c.seek(300);
    await w.timers.advance(4900);
    expect(Math.abs(c.media.currentTime - 300)).toBeGreaterThan(1); // still on the old timeline
    await w.timers.advance(2000);
    expect(c.c.state().connection).toBe('open');
    expect(worstErrorMs(w, [c])).toBeLessThan(150);
  });

  it('notices a connection that went silent without closing, and reconnects', async () => {
    const { w, a, c } = await threeInSync();
    a.c.play();
    await w.timers.advance(1000);
    w.silence('carol');
    a.c.seek(90);
    await w.timers.advance(4000);
    expect(c.c.state().connection).toBe('open'); // nothing told it yet
    await w.timers.advance(4000); // 5 s without a pong: dropped, reconnected, caught up
    expect(c.events.connection).toContain('reconnecting');
    expect(c.c.state().connection).toBe('open');
    expect(worstErrorMs(w, [c])).toBeLessThan(50);
  });

  it('refuses nothing locally but reports the room’s not-host refusal', async () => {
    const { w, b } = await threeInSync();
    b.c.play();
    await w.timers.advance(200);
    expect(b.events.errors).toEqual([{ code: 'not-host', message: 'Only the host controls playback.' }]);
    expect(w.rooms.room('inst')!.timeline.playing).toBe(false);
    expect(() => b.c.setRate(4)).toThrow(RangeError);
  });

  it('tells the members about a new host when the host leaves', async () => {
    const { w, a, b, c } = await threeInSync();
    a.c.stop();
    await w.timers.advance(200);
    expect(b.events.hosts.at(-1)).toBe('bob');
    expect(b.c.isHost).toBe(true);
    expect(c.c.state().hostId).toBe('bob');
    b.c.play();
    await w.timers.advance(1000);
    expect(c.media.paused).toBe(false);
  });

  it('has the host load the launched entry into an empty room, and tells everyone to load it', async () => {
    const w = syncWorld();
    const a = w.client('alice', { launchedEntryId: '1_launch' });
    await w.timers.advance(300);
    const b = w.client('bob', { launchedEntryId: '1_other' });
    await w.timers.advance(300);
    expect(w.rooms.room('inst')!.timeline.entryId).toBe('1_launch');
    expect(a.events.entries.at(-1)).toBe('1_launch');
    expect(b.events.entries.at(-1)).toBe('1_launch');
  });

  it('renews a refused session once and reconnects; stops for good when replaced by another tab', async () => {
    const w = syncWorld();
    w.refusedSessions.add('session-alice');
    let renewals = 0;
    const a = w.client('alice', { renewSession: async () => { renewals++; w.refusedSessions.clear(); return true; } });
    await w.timers.advance(2000);
    expect(renewals).toBe(1);
    expect(a.c.state().connection).toBe('open');
    const again = w.client('alice');
    await w.timers.advance(2000);
    expect(a.events.connection.at(-1)).toBe('closed');
    expect(again.c.state().connection).toBe('open');
  });

  it('says so and keeps retrying while its socket reaches an instance that does not serve the party (4421), then joins', async () => {
    const w = syncWorld();
    w.misrouted.add('session-alice');
    const a = w.client('alice');
    await w.timers.advance(3000);
    expect(a.c.state().connection).toBe('reconnecting');
    expect(a.events.details).toContain('served elsewhere');
    w.misrouted.clear();
    await w.timers.advance(30_000);
    expect(a.c.state().connection).toBe('open');
  });

  it('stops, instead of retrying for ever, when the session is refused and it cannot sign in again', async () => {
    const w = syncWorld();
    w.refusedSessions.add('session-alice');
    const a = w.client('alice');
    await w.timers.advance(5000);
    expect(a.events.connection).toEqual(['connecting', 'closed']);
  });

  it('says when the browser blocks autoplay', async () => {
    const w = syncWorld();
    const a = w.client('alice');
    a.media.blockAutoplay = true;
    await w.timers.advance(300);
    a.c.play();
    await w.timers.advance(300);
    expect(a.events.blocked).toBeGreaterThanOrEqual(1);
  });
});

describe('sync client: buffering and wait mode', () => {
  it('pauses the group while a member buffers (wait on) and plays on afterwards', async () => {
    const { w, a, b, c, all } = await threeInSync();
    a.c.setWait(true);
    a.c.play();
    await w.timers.advance(2000);
    c.media.stall(1500);
    await w.timers.advance(700);
    expect(w.rooms.room('inst')!.timeline).toMatchObject({ playing: false, reason: 'buffering' });
    expect(b.media.paused).toBe(true);
    await w.timers.advance(2000);
    expect(w.rooms.room('inst')!.timeline).toMatchObject({ playing: true, reason: 'ready' });
    await w.timers.advance(1000);
    expect(worstErrorMs(w, all)).toBeLessThan(20);
  });

  it('does not report the brief stall of its own corrective seek', async () => {
    const { w, a, all } = await threeInSync();
    a.c.setWait(true);
    a.c.play();
    await w.timers.advance(1000);
    a.c.seek(200); // everyone seeks (40 ms in the fake element): nobody reports buffering, so nobody waits
    await w.timers.advance(1500);
    expect(w.rooms.room('inst')!.timeline.reason).toBe('cmd');
    expect(worstErrorMs(w, all)).toBeLessThan(15);
  });
});

describe('naive baseline mode', () => {
  it('applies a timeline once and does not correct a member whose clock is off', async () => {
    const w = syncWorld({ latencyMs: 20 });
    const a = w.client('alice', { mode: 'naive' });
    const b = w.client('bob', { mode: 'naive', skewMs: 600 });
    await w.timers.advance(500);
    a.c.play();
    await w.timers.advance(3000);
    expect(worstErrorMs(w, [b])).toBeGreaterThan(300); // the skew shows up as position error
    expect(worstErrorMs(w, [a])).toBeLessThan(150);
  });
});
