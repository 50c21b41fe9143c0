/**
 * The authoritative timeline's transitions, as pure functions of (timeline, command, now).
 * Every change re-bases the timeline at `now` (position = where playback is now), so a client
 * only ever needs the newest timeline and the server clock to know where to be.
 */
import { expectedPosition, type CmdFrame, type Timeline, type TimelineReason } from './sync-protocol.js';

export function initialTimeline(now: number): Timeline {
  return { seq: 0, playing: false, position: 0, rate: 1, at: now, by: 'server' };
}

function rebase(tl: Timeline, now: number, by: string, reason: TimelineReason): Timeline {
  const { entryId } = tl;
  return {
    seq: tl.seq + 1,
    ...(entryId === undefined ? {} : { entryId }),
    playing: tl.playing,
    position: expectedPosition(tl, now),
    rate: tl.rate,
    at: now,
    by,
    reason,
  };
}

/**
 * A host command. play/pause take the host's own position when it sent one (what the host saw
 * when clicking), else the server's expected position; 'load' starts the new entry at 0, paused, rate 1.
 */
export function applyCmd(tl: Timeline, cmd: CmdFrame, by: string, now: number): Timeline {
  const next = rebase(tl, now, by, 'cmd');
  switch (cmd.op) {
    case 'play':
      return { ...next, playing: true, position: cmd.position ?? next.position };
    case 'pause':
      return { ...next, playing: false, position: cmd.position ?? next.position };
    case 'seek':
      return { ...next, position: cmd.position ?? next.position };
    case 'rate':
      return { ...next, rate: cmd.rate ?? next.rate };
    case 'load':
      return { ...next, ...(cmd.entryId === undefined ? {} : { entryId: cmd.entryId }), playing: false, position: 0, rate: 1 };
  }
}

/** The room (not a member) pauses or resumes the group: wait mode. */
export function setPlaying(tl: Timeline, playing: boolean, reason: TimelineReason, now: number): Timeline {
  return { ...rebase(tl, now, 'server', reason), playing };
}
