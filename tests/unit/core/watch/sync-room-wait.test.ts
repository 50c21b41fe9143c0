import { describe, expect, it } from 'vitest';
import { roomEnv } from './fake-room-env.js';

function playingRoom(wait: boolean) {
  const env = roomEnv({ waitTimeoutMs: 10_000 });
  const a = env.join('alice');
  const b = env.join('bob');
  a.send({ t: 'cmd', op: 'load', entryId: '1_v' });
  a.send({ t: 'cmd', op: 'play' });
  a.send({ t: 'wait', on: wait });
  a.send({ t: 'state', status: 'playing', position: 0 });
  b.send({ t: 'state', status: 'playing', position: 0 });
  return { env, a, b };
}

describe('sync room: wait for buffering members', () => {
  it('pauses the group while a member buffers and resumes from the same position when all are ready', () => {
    const { env, a, b } = playingRoom(true);
    env.clock.advance(3000);
    b.send({ t: 'state', status: 'buffering', position: 3 });
    expect(a.last('timeline')).toMatchObject({ playing: false, position: 3, by: 'server', reason: 'buffering' });
    env.clock.advance(1500);
    b.send({ t: 'state', status: 'paused', position: 3 });
    expect(a.last('timeline')).toMatchObject({ playing: true, position: 3, by: 'server', reason: 'ready' });
  });

  it('gives up waiting after the bound and does not wait again for the same stall', () => {
    const { env, a, b } = playingRoom(true);
    b.send({ t: 'state', status: 'buffering', position: 0 });
    env.clock.advance(9_999);
    expect(a.last('timeline')).toMatchObject({ playing: false, reason: 'buffering' });
    env.clock.advance(1);
    expect(a.last('timeline')).toMatchObject({ playing: true, reason: 'gave-up', position: 0 });
    b.send({ t: 'state', status: 'buffering', position: 0 });
    expect(a.last('timeline')).toMatchObject({ playing: true, reason: 'gave-up' });
    b.send({ t: 'state', status: 'playing', position: 0.5 });
    b.send({ t: 'state', status: 'buffering', position: 0.6 }); // a new stall is waited for again
    expect(a.last('timeline')).toMatchObject({ playing: false, reason: 'buffering' });
  });

  it("lets the host's play override the wait", () => {
    const { a, b } = playingRoom(true);
    b.send({ t: 'state', status: 'buffering', position: 0 });
    a.send({ t: 'cmd', op: 'play' });
    expect(b.last('timeline')).toMatchObject({ playing: true, reason: 'cmd' });
    b.send({ t: 'state', status: 'buffering', position: 0 });
    expect(b.last('timeline')).toMatchObject({ playing: true, reason: 'cmd' });
  });

  it('resumes when the buffering member leaves or the host turns waiting off', () => {
    const first = playingRoom(true);
    first.b.send({ t: 'state', status: 'buffering', position: 0 });
    first.b.handle.leave();
    expect(first.a.last('timeline')).toMatchObject({ playing: true, reason: 'ready' });
    const second = playingRoom(true);
    second.b.send({ t: 'state', status: 'buffering', position: 0 });
    second.a.send({ t: 'wait', on: false });
    expect(second.b.last('timeline')).toMatchObject({ playing: true, reason: 'ready' });
  });

  it('does not pause anybody when waiting is off; buffering only shows in presence', () => {
    const { env, a, b } = playingRoom(false);
    const before = a.of('timeline').length;
    env.clock.advance(1000);
    b.send({ t: 'state', status: 'buffering', position: 1 });
    env.clock.advance(1000);
    expect(a.of('timeline')).toHaveLength(before);
    expect(a.last('presence')!.members.find((m) => m.id === 'bob')).toMatchObject({ status: 'buffering', host: false });
  });
});

describe('sync room: presence', () => {
  it('sends at most 4 presence frames a second and the last one carries the newest statuses', () => {
    const env = roomEnv();
    const a = env.join('alice');
    const b = env.join('bob');
    env.clock.advance(1000);
    const before = a.of('presence').length;
    const statuses = ['playing', 'paused', 'buffering'] as const;
    for (let i = 0; i < 40; i++) {
      b.send({ t: 'state', status: statuses[i % 3], position: i });
      env.clock.advance(25);
    }
    const sent = a.of('presence').length - before;
    expect(sent).toBeGreaterThanOrEqual(3);
    expect(sent).toBeLessThanOrEqual(5); // 1 s of changes → 4 per second, plus the coalesced tail
    env.clock.advance(1000);
    const last = a.last('presence')!;
    expect(last.members.find((m) => m.id === 'bob')).toMatchObject({ status: statuses[39 % 3], position: 39 });
    expect(last.members.map((m) => m.id)).toEqual(['alice', 'bob']);
    expect(last.wait).toBe(false);
  });

  it("shows a new member as 'joining' until its first state", () => {
    const env = roomEnv();
    const a = env.join('alice');
    env.clock.advance(1000);
    env.join('bob');
    expect(a.last('presence')!.members.find((m) => m.id === 'bob')!.status).toBe('joining');
  });
});
