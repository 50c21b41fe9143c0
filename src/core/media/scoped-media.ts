/**
 * The two rules every answer of the video library obeys:
 * - scope: only the server's own Kaltura category is ever asked (search and findPlayable both take
 *   its id), so media of another server cannot appear, not even in a count;
 * - privacy: a meeting recording (its rootEntryId is the meeting's template entry) belongs to the
 *   meeting's channel, and a member who cannot see that channel is answered as if it did not exist.
 */
import type { Actor } from '../meetings/actor';
import { canSee } from '../meetings/meeting-visibility';
import type { MediaEntry } from '../ports/media-library';
import type { MeetingRepo } from '../ports/meeting-repo';
import { within } from './bounded-wait';
import { unknownMedia } from './media-errors';
import type { MediaContext } from './media-service-deps';

/** Kaltura entry ids (`0_abcd1234`), as the Kaltura adapter accepts them. */
export const ENTRY_ID = /^[0-9]_[A-Za-z0-9]{1,32}$/;

export async function categoryIdFor(ctx: MediaContext, guildId: string): Promise<number> {
  return (await within(ctx.categories.categoryFor(guildId), ctx.waitMs, 'kaltura')).id;
}

/**
 * `threadMember`: the member was already found able to see the meeting's private thread (a watch
 * link issued from it); who is in a private thread is not something the adapter can always tell.
 */
export interface Visibility {
  readonly threadMember?: boolean;
  /** The meetings to look in: a transaction's, when many entries are checked at once. Default: the store's. */
  readonly meetings?: Pick<MeetingRepo, 'findByTemplateEntryId'>;
}

/**
 * True when the entry is a recording (or the template) of a meeting the member may not see: in a
 * channel they cannot view, or of another server (fail closed; should not happen, as each server
 * records into its own category).
 */
export async function isHiddenFrom(ctx: MediaContext, actor: Actor, guildId: string, entry: Pick<MediaEntry, 'id' | 'rootEntryId'>, options: Visibility = {}): Promise<boolean> {
  for (const id of new Set([entry.id, entry.rootEntryId ?? entry.id])) {
    const meeting = await (options.meetings ?? ctx.store.meetings).findByTemplateEntryId(id);
    if (meeting && (meeting.guildId !== guildId || !canSee(ctx.access, actor, meeting, options))) return true;
  }
  return false;
}

/** What may be listed: playable, in this very category (defence in depth over the adapter's filter), not hidden. */
export const isListable = async (ctx: MediaContext, actor: Actor, guildId: string, categoryId: number, entry: MediaEntry, options: Visibility = {}): Promise<boolean> =>
  entry.ready &&
  entry.mediaType !== 'other' &&
  (entry.categoryIds === undefined || entry.categoryIds.includes(categoryId)) &&
  !(await isHiddenFrom(ctx, actor, guildId, entry, options));

/**
 * The entry when it is playable in the server's category and the member may see it; else the
 * same UserError as for an id that does not exist (another server's id typed by hand included).
 */
export async function findVisible(ctx: MediaContext, actor: Actor, guildId: string, entryId: string): Promise<MediaEntry> {
  if (typeof entryId !== 'string' || !ENTRY_ID.test(entryId)) throw unknownMedia();
  const categoryId = await categoryIdFor(ctx, guildId);
  const entry = await within(ctx.library.findPlayable(categoryId, entryId), ctx.waitMs, 'kaltura');
  if (!entry || entry.id !== entryId || !(await isListable(ctx, actor, guildId, categoryId, entry))) throw unknownMedia();
  return entry;
}

const FIFTEEN_MIN_S = 15 * 60;
const FOUR_HOURS_S = 4 * 60 * 60;

/** How long a playback KS lives: the whole entry plus a margin for pauses, at least 15 min, at most 4 h. */
export function playbackTtlSeconds(durationSeconds: number): number {
  const duration = Number.isFinite(durationSeconds) && durationSeconds > 0 ? Math.ceil(durationSeconds) : 0;
  return Math.min(Math.max(duration + FIFTEEN_MIN_S, FIFTEEN_MIN_S), FOUR_HOURS_S);
}

/** The Kaltura user a member's playback KS is issued to. */
export const kalturaUserOf = (discordUserId: string): string => `discord_${discordUserId}`;
