import { ENTRY_ID } from '../../core/media/scoped-media';

/**
 * Button custom ids carry the only state a click brings back: `kaltura:<action>:<id>`.
 * Meeting ids are `m_` + 16 base32 characters; Kaltura entry ids are a partition digit, `_` and
 * up to 32 letters or digits (e.g. `1_abcd1234`): both far below Discord's 100-character limit.
 * A click is input: an id of any other shape matches no route (the member gets "unknown").
 */
export const customId = {
  join: (meetingId: string) => `kaltura:join:${meetingId}`,
  end: (meetingId: string) => `kaltura:end:${meetingId}`,
  /** Posts the public video card (a button on search results). */
  share: (entryId: string) => `kaltura:share:${entryId}`,
  /** Hands the clicker a personal single-use player link. */
  watch: (entryId: string) => `kaltura:watch:${entryId}`,
  /** Opens the Activity on this video (LAUNCH_ACTIVITY). */
  together: (entryId: string) => `kaltura:together:${entryId}`,
};

const PATTERN = /^kaltura:(join|end):(m_[a-z0-9]{16})$/;

export function parseCustomId(id: string | undefined): { action: 'join' | 'end'; meetingId: string } | undefined {
  const m = id ? PATTERN.exec(id) : null;
  return m ? { action: m[1] as 'join' | 'end', meetingId: m[2]! } : undefined;
}

/** A Kaltura entry id as this bot accepts it from Discord (custom ids, the `entry` option): the core's rule. */
export const isEntryId = (id: string | undefined): id is string => id !== undefined && ENTRY_ID.test(id);

export type MediaAction = 'share' | 'watch' | 'together';
const MEDIA_PATTERN = new RegExp(`^kaltura:(share|watch|together):(${ENTRY_ID.source.slice(1, -1)})$`);

export function parseMediaCustomId(id: string | undefined): { action: MediaAction; entryId: string } | undefined {
  const m = id ? MEDIA_PATTERN.exec(id) : null;
  return m ? { action: m[1] as MediaAction, entryId: m[2]! } : undefined;
}
