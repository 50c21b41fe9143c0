/** The status this member reports to the room, derived from its media element. */
import type { MemberStatus } from '../../core/watch/sync-protocol.js';
import type { MediaSnapshot } from './drift-controller.js';

export const HAVE_FUTURE_DATA = 3;

/**
 * 'buffering' = the element cannot play on: a 'waiting' event not yet followed by 'playing'/'canplay',
 * or too little data while the group is meant to play — or while the room is holding the group for
 * buffering members (otherwise the member that caused the hold would turn 'paused' the moment the
 * room pauses it, the room would resume, and the two would oscillate).
 */
export function mediaStatus(
  media: MediaSnapshot, group: { readonly playing: boolean; readonly holding: boolean }, stalled: boolean,
): MemberStatus {
  if (media.ended) return 'ended';
  if (stalled) return 'buffering';
  if ((group.playing || group.holding) && (media.readyState < HAVE_FUTURE_DATA || media.seeking)) return 'buffering';
  return media.paused ? 'paused' : 'playing';
}

/**
 * Buffering must persist this long before it is reported: our own corrective seeks stall the
 * element for tens of ms, and in wait mode each report would pause the whole group.
 */
export const BUFFERING_REPORT_DELAY_MS = 400;
