import { describe, expect, it } from 'vitest';
import { expectedPosition } from '../../../../src/core/watch/sync-protocol.js';
import { roomEnv } from './fake-room-env.js';

describe('sync room: membership and host', () => {
  it('makes the first member host and welcomes a late joiner with the current timeline and members', () => {
    const env = roomEnv();
    const a = env.join('alice');
    expect(a.last('welcome')).toMatchObject({ you: 'alice', hostId: 'alice', wait: false, timeline: { seq: 0, playing: false, position: 0, rate: 1 } });
    a.send({ t: 'cmd', op: 'load', entryId: '1_vid' });
    a.send({ t: 'cmd', op: 'play' });
    env.clock.advance(4000);
    const b = env.join('bob');
    const w = b.last('welcome')!;
    expect(w.hostId).toBe('alice');
    expect(w.timeline).toMatchObject({ entryId: '1_vid', playing: true, position: 0, seq: 2 });
    expect(expectedPosition(w.timeline, w.serverTime)).toBeCloseTo(4, 6);
    expect(w.members.map((m) => [m.id, m.host])).toEqual([['alice', true], ['bob', false]]);
  });

  it('hands the host role to the longest-present member when the host leaves', () => {
    const env = roomEnv();
    const a = env.join('alice');
    env.clock.advance(10);
    const b = env.join('bob');
    env.clock.advance(10);
    const c = env.join('carol');
    b.handle.leave();
    env.clock.advance(10);
    const b2 = env.join('bob'); // now the newest
    a.handle.leave();
    expect(c.last('host')).toEqual({ t: 'host', hostId: 'carol' });
    expect(b2.last('host')).toEqual({ t: 'host', hostId: 'carol' });
    expect(env.rooms.room('inst-1')!.hostId).toBe('carol');
    c.send({ t: 'cmd', op: 'play' });
    expect(b2.last('timeline')).toMatchObject({ playing: true, by: 'carol' });
  });

  it('lets a second connection of the same member take over, keeping the host role; the old socket is closed', () => {
    const env = roomEnv();
    const a = env.join('alice');
    const b = env.join('bob');
    const a2 = env.join('alice');
    expect(a.closed).toEqual({ code: 4409, reason: 'replaced by a newer connection' });
    a.handle.leave(); // the old socket's close arrives late: must not remove alice
    expect(env.rooms.room('inst-1')!.members.map((m) => m.id)).toEqual(['alice', 'bob']);
    a.send({ t: 'cmd', op: 'play' }); // the old handle is dead
    expect(b.of('timeline')).toHaveLength(0);
    a2.send({ t: 'cmd', op: 'play' });
    expect(b.last('timeline')).toMatchObject({ playing: true, by: 'alice' });
  });

  it('drops an empty room; the next join starts a fresh one', () => {
    const env = roomEnv();
    const a = env.join('alice');
    a.send({ t: 'cmd', op: 'play' });
    a.handle.leave();
    expect(env.rooms.size).toBe(0);
    expect(env.clock.pending()).toBe(0);
    const b = env.join('bob');
    expect(b.last('welcome')).toMatchObject({ hostId: 'bob', timeline: { seq: 0, playing: false } });
  });

  it('turns away the 101st member of a room with 4429, and ignores a repeated hello', () => {
    const env = roomEnv();
    const peers = Array.from({ length: 100 }, (_, i) => env.join(`m${i}`));
    const extra = env.join('late');
    expect(extra.closed).toEqual({ code: 4429, reason: 'this watch party is full' });
    expect(env.rooms.room('inst-1')!.members).toHaveLength(100);
    peers[0]!.send({ t: 'hello', session: 'abc.def.ghi' });
    expect(peers[0]!.of('error')).toHaveLength(0);
    expect(peers[0]!.closed).toBeUndefined();
  });

  it('keeps instances apart', () => {
    const env = roomEnv();
    const a = env.join('alice', 'inst-1');
    const z = env.join('zed', 'inst-2');
    a.send({ t: 'cmd', op: 'play' });
    expect(z.of('timeline')).toHaveLength(0);
    expect(z.last('welcome')!.hostId).toBe('zed');
  });
});

describe('sync room: host commands and the timeline', () => {
  it('re-bases the timeline on every command so position + elapsed × rate is where everybody should be', () => {
    const env = roomEnv();
    const a = env.join('alice');
    const b = env.join('bob');
    a.send({ t: 'cmd', op: 'load', entryId: '1_vid' });
    a.send({ t: 'cmd', op: 'play' });
    env.clock.advance(2000);
    a.send({ t: 'cmd', op: 'rate', rate: 1.5 });
    expect(b.last('timeline')).toMatchObject({ playing: true, position: 2, rate: 1.5 });
    env.clock.advance(2000);
    a.send({ t: 'cmd', op: 'pause' });
    expect(b.last('timeline')).toMatchObject({ playing: false, position: 5, rate: 1.5 });
    a.send({ t: 'cmd', op: 'seek', position: 42 });
    expect(b.last('timeline')).toMatchObject({ playing: false, position: 42 });
    a.send({ t: 'cmd', op: 'play', position: 41.9 }); // the host's own position when it clicked
    expect(b.last('timeline')).toMatchObject({ playing: true, position: 41.9, by: 'alice', reason: 'cmd' });
    const seqs = b.of('timeline').map((f) => f.seq);
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("'load' starts the new video at 0, paused, normal rate", () => {
    const env = roomEnv();
    const a = env.join('alice');
    a.send({ t: 'cmd', op: 'rate', rate: 2 });
    a.send({ t: 'cmd', op: 'play' });
    env.clock.advance(3000);
    a.send({ t: 'cmd', op: 'load', entryId: '1_other' });
    expect(a.last('timeline')).toMatchObject({ entryId: '1_other', playing: false, position: 0, rate: 1 });
  });

  it("refuses a non-host's command with 'not-host', changes nothing and logs it once", () => {
    const env = roomEnv();
    const a = env.join('alice');
    const b = env.join('bob');
    b.send({ t: 'cmd', op: 'play' });
    b.send({ t: 'cmd', op: 'seek', position: 10 });
    b.send({ t: 'wait', on: true });
    expect(b.of('error').map((e) => e.code)).toEqual(['not-host', 'not-host', 'not-host']);
    expect(a.of('timeline')).toHaveLength(0);
    expect(env.rooms.room('inst-1')).toMatchObject({ wait: false, timeline: { playing: false, seq: 0 } });
    expect(env.lines.filter((l) => /non-host/.test(l.msg ?? ''))).toHaveLength(1);
    expect(b.closed).toBeUndefined(); // not-host is not a malformed frame
  });

  it('answers a ping with the receive and send times of the server clock', () => {
    const env = roomEnv();
    const a = env.join('alice');
    const t = env.clock.now();
    a.handle.receive(JSON.stringify({ t: 'ping', id: 3, t0: 123.5 }), t - 2);
    expect(a.last('pong')).toEqual({ t: 'pong', id: 3, t0: 123.5, t1: t - 2, t2: t });
  });
});

describe('sync room: bad input', () => {
  it("answers a malformed frame with 'bad-frame' and closes with 4400 at the third, logging once", () => {
    const env = roomEnv();
    const a = env.join('alice');
    const b = env.join('bob');
    b.handle.receive('{oops');
    b.handle.receive('x'.repeat(5000));
    expect(b.of('error').map((e) => e.message)).toEqual(['frame is not JSON', 'frame larger than 2048 bytes']);
    expect(b.closed).toBeUndefined();
    b.send({ t: 'cmd', op: 'rate', rate: 99 });
    expect(b.closed).toEqual({ code: 4400, reason: 'too many malformed frames' });
    expect(env.rooms.room('inst-1')!.members.map((m) => m.id)).toEqual(['alice']);
    expect(env.lines.filter((l) => /malformed/.test(l.msg ?? ''))).toHaveLength(1);
    a.send({ t: 'cmd', op: 'play' }); // the room still works
    expect(a.last('timeline')).toMatchObject({ playing: true });
  });

  it('treats a flood of frames as bad input instead of answering every one', () => {
    const env = roomEnv();
    const a = env.join('alice');
    for (let i = 0; i < 100; i++) a.send({ t: 'ping', id: i, t0: 0 });
    expect(a.of('pong').length).toBeLessThanOrEqual(40);
    expect(a.closed?.code).toBe(4400);
  });

  it('keeps broadcasting when one peer throws on send', () => {
    const env = roomEnv();
    const a = env.join('alice');
    env.rooms.join('inst-1', { id: 'broken', name: 'B' }, { send: () => { throw new Error('socket gone'); }, close: () => {} });
    const c = env.join('carol');
    a.send({ t: 'cmd', op: 'play' });
    expect(c.last('timeline')).toMatchObject({ playing: true });
  });
});
