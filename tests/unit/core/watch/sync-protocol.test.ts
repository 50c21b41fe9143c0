import { describe, expect, it } from 'vitest';
import {
  expectedPosition, isParseError, MAX_FRAME_BYTES, parseClientFrame, parseServerFrame,
} from '../../../../src/core/watch/sync-protocol.js';

const err = (text: unknown) => {
  const p = parseClientFrame(text);
  return isParseError(p) ? p.error : undefined;
};

describe('parseClientFrame', () => {
  it('reads every client frame of the contract', () => {
    expect(parseClientFrame('{"t":"hello","session":"eyJ.abc.def"}')).toEqual({ t: 'hello', session: 'eyJ.abc.def' });
    expect(parseClientFrame('{"t":"ping","id":7,"t0":1733270400123.25}')).toEqual({ t: 'ping', id: 7, t0: 1733270400123.25 });
    expect(parseClientFrame('{"t":"state","status":"buffering","position":12.5,"entryId":"1_abcd1234"}'))
      .toEqual({ t: 'state', status: 'buffering', position: 12.5, entryId: '1_abcd1234' });
    expect(parseClientFrame('{"t":"cmd","op":"seek","position":30}')).toEqual({ t: 'cmd', op: 'seek', position: 30 });
    expect(parseClientFrame('{"t":"cmd","op":"rate","rate":1.5}')).toEqual({ t: 'cmd', op: 'rate', rate: 1.5 });
    expect(parseClientFrame('{"t":"cmd","op":"load","entryId":"0_x"}')).toEqual({ t: 'cmd', op: 'load', entryId: '0_x' });
    expect(parseClientFrame('{"t":"cmd","op":"play"}')).toEqual({ t: 'cmd', op: 'play' });
    expect(parseClientFrame('{"t":"wait","on":true}')).toEqual({ t: 'wait', on: true });
  });

  it('refuses frames over 2 KB before parsing, counting UTF-8 bytes', () => {
    const pad = (s: string, n: number) => `{"t":"hello","session":"${s.repeat(n)}"}`;
    expect(err(pad('a', MAX_FRAME_BYTES))).toMatch(/larger than 2048 bytes/);
    // 700 × "é" is 1400 bytes as UTF-8 but only 700 UTF-16 units: still under; 1100 × "é" is over.
    expect(err(`{"t":"x","p":"${'é'.repeat(1100)}"}`)).toMatch(/larger than/);
    expect(err(`{"t":"x","p":"${'é'.repeat(700)}"}`)).toMatch(/unknown frame type/);
  });

  it('names what is wrong with a malformed frame', () => {
    expect(err('not json')).toBe('frame is not JSON');
    expect(err('[1,2]')).toBe('frame must be a JSON object');
    expect(err('{"op":"play"}')).toBe('frame needs a string "t"');
    expect(err(new Uint8Array(3))).toBe('frame must be a text frame');
    expect(err('{"t":"launch"}')).toMatch(/unknown frame type "launch"/);
    expect(err('{"t":"cmd","op":"rate","rate":3}')).toBe('"rate" must be between 0.25 and 2');
    expect(err('{"t":"cmd","op":"rate","rate":0.1}')).toBe('"rate" must be between 0.25 and 2');
    expect(err('{"t":"cmd","op":"rate"}')).toBe('"rate" needs a rate');
    expect(err('{"t":"cmd","op":"seek"}')).toBe('"seek" needs a position');
    expect(err('{"t":"cmd","op":"load"}')).toBe('"load" needs an entryId');
    expect(err('{"t":"cmd","op":"eject"}')).toMatch(/"op" must be one of play, pause, seek, rate, load/);
    expect(err('{"t":"cmd","op":"seek","position":1e400}')).toBe('"position" must be a finite number');
    expect(err('{"t":"cmd","op":"seek","position":-1}')).toMatch(/"position" must be between 0/);
    expect(err('{"t":"cmd","op":"seek","position":"12"}')).toBe('"position" must be a finite number');
    expect(err('{"t":"state","status":"playing","position":1,"entryId":"<img src=x>"}')).toMatch(/"entryId" has characters/);
    expect(err('{"t":"state","status":"dancing","position":1}')).toMatch(/"status" must be one of/);
    expect(err('{"t":"ping","id":1.5,"t0":1}')).toBe('"id" must be an integer');
    expect(err('{"t":"wait","on":"yes"}')).toBe('"on" must be a boolean');
    expect(err('{"t":"wait","on":true,"__proto__":{"x":1}}')).toMatch(/unexpected field "__proto__"/);
    expect(err(`{"t":"hello","session":"${'a'.repeat(1501)}"}`)).toMatch(/"session" must be a string of 1..1500/);
  });
});

describe('parseServerFrame and expectedPosition', () => {
  it('reads a timeline and refuses one that would put NaN or a wild rate into the player', () => {
    const tl = { t: 'timeline', seq: 3, entryId: '1_a', playing: true, position: 10, rate: 1.5, at: 5000, by: 'u1', reason: 'cmd' };
    expect(parseServerFrame(JSON.stringify(tl))).toEqual(tl);
    expect(isParseError(parseServerFrame(JSON.stringify({ ...tl, rate: 16 })))).toBe(true);
    expect(isParseError(parseServerFrame(JSON.stringify({ ...tl, position: null })))).toBe(true);
    expect(isParseError(parseServerFrame('{"t":"presence","members":[{"id":"u","name":"A","status":"hiding","host":false}],"wait":false}'))).toBe(true);
  });

  it('advances a playing timeline by elapsed server time × rate and freezes a paused one', () => {
    const tl = { playing: true, position: 10, rate: 1.5, at: 5000 };
    expect(expectedPosition(tl, 7000)).toBe(13);
    expect(expectedPosition({ ...tl, playing: false }, 7000)).toBe(10);
  });
});
