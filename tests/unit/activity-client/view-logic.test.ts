import { describe, expect, it } from 'vitest';
import { formatDuration, formatRate } from '../../../src/activity-client/format';
import { pickSource } from '../../../src/activity-client/pick-source';
import { controlsModel, presenceRows, type RoomFacts } from '../../../src/activity-client/room-view-model';

describe('formatDuration', () => {
  it('shows minutes:seconds, and hours only when there are any', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(65.9)).toBe('1:05');
    expect(formatDuration(3725)).toBe('1:02:05');
  });
  it('shows a dash for a duration the server did not know', () => {
    expect(formatDuration(Number.NaN)).toBe('–');
    expect(formatDuration(-1)).toBe('–');
  });
  it('rates read like a player’s', () => {
    expect(formatRate(1)).toBe('1×');
    expect(formatRate(1.25)).toBe('1.25×');
  });
});

const room = (over: Partial<RoomFacts> = {}): RoomFacts => ({
  you: 'u2',
  hostId: 'u1',
  wait: false,
  members: [
    { id: 'u3', name: 'carol', status: 'buffering', host: false },
    { id: 'u2', name: 'bob', status: 'playing', host: false },
    { id: 'u1', name: 'alice', status: 'paused', host: true },
  ],
  ...over,
});

describe('presence list', () => {
  it('puts the host first, then you, then the others, each with what they are doing', () => {
    expect(presenceRows(room()).map((r) => [r.name, r.label, r.host, r.you])).toEqual([
      ['alice', 'paused', true, false],
      ['bob', 'watching', false, true],
      ['carol', 'buffering…', false, false],
    ]);
  });
  it('keeps a member name with markup as the text it is (rendered with textContent)', () => {
    const rows = presenceRows(room({ members: [{ id: 'u1', name: '<img src=x onerror=alert(1)>', status: 'joining', host: true }] }));
    expect(rows[0]).toMatchObject({ name: '<img src=x onerror=alert(1)>', label: 'joining…', host: true });
  });
});

describe('host controls model', () => {
  it('a non-host sees who the host is; the host is told so', () => {
    expect(controlsModel(room())).toMatchObject({ isHost: false, hostLine: 'host: alice' });
    expect(controlsModel(room({ you: 'u1' }))).toMatchObject({ isHost: true, hostLine: 'You are the host' });
  });
  it('follows a hand-over (the host frame) even before presence catches up', () => {
    expect(controlsModel(room({ hostId: 'u2' }))).toMatchObject({ isHost: true });
  });
  it('lists whom the group is waiting for', () => {
    expect(controlsModel(room()).waitingFor).toEqual(['carol']);
  });
  it('before the socket is up nobody is host', () => {
    expect(controlsModel({ members: [], wait: false })).toMatchObject({ isHost: false, hostLine: 'host: (connecting…)' });
  });
});

describe('pickSource', () => {
  const sources = [
    { src: '/kaltura-cdn/p/1/hls/index.m3u8', type: 'application/x-mpegURL' },
    { src: '/kaltura-cdn/p/1/serveFlavor/a.mp4', type: 'video/mp4' },
  ];
  it('takes the first source the browser plays, preferring "probably"', () => {
    const chromium = (t: string) => (t === 'video/mp4' ? 'maybe' : '');
    expect(pickSource(sources, chromium)?.type).toBe('video/mp4');
    const safari = (t: string) => (t === 'application/x-mpegURL' ? 'probably' : 'maybe');
    expect(pickSource(sources, safari)?.type).toBe('application/x-mpegURL');
  });
  it('none playable → undefined (the player says so)', () => {
    expect(pickSource(sources, () => '')).toBeUndefined();
  });
  it('never follows an absolute URL to another host (Discord’s CSP would block it)', () => {
    const abs = [{ src: 'https://cdnapisec.kaltura.com/p/1/a.mp4', type: 'video/mp4' }, { src: '//evil.example/a.mp4', type: 'video/mp4' }];
    expect(pickSource(abs, () => 'probably')).toBeUndefined();
  });
});
