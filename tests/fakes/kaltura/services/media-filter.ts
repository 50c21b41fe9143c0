import { inRange, likeMatch, multiLike, sortByOrder, splitCsv, toNumber, toText } from '../list-query';
import type { Params } from '../request-params';
import type { MediaEntry } from '../types';

/** KalturaMediaEntryFilter as §5.1 / §7.12 describe it. */

/** PENDING_MODERATION, REJECTED: hidden unless the filter asks for a moderation status. */
export const HIDDEN_MODERATION = [1, 3];

/** freeText: every word must appear (case-insensitively) in the name, description or tags. */
export function freeTextMatch(entry: MediaEntry, text: string): boolean {
  const haystack = [entry.name, entry.description ?? '', entry.tags ?? ''].join(' ').toLowerCase();
  return text.toLowerCase().split(/\s+/).filter(Boolean).every((word) => haystack.includes(word));
}

function csvIntersects(value: string | undefined, wanted: string[]): boolean {
  const have = splitCsv(value);
  return wanted.some((w) => have.includes(w));
}

/** entry::getRootEntryId: the stored rootEntryId, else the entry itself. */
export const rootEntryIdOf = (e: MediaEntry): string => e.rootEntryId ?? e.id;

/**
 * rootEntryIdEqual / rootEntryIdIn / isRoot as the sphinx criteria apply them
 * (kaltura/server plugins/search/providers/sphinx_search/lib/SphinxEntryCriteria.php): an entry is
 * indexed under `KP_Entry <root>` only when its root differs from itself (alpha/lib/model/entry.php
 * getRoots), so `rootEntryIdEqual=X` never matches X itself, `isRoot=0` keeps entries that have
 * another root and `isRoot=1` keeps those that do not.
 */
function rootMatch(e: MediaEntry, f: Params): boolean {
  const hasRoot = rootEntryIdOf(e) !== e.id;
  const roots = splitCsv(f.rootEntryIdIn);
  const isRoot = toNumber(f.isRoot);
  return (
    (f.rootEntryIdEqual === undefined || (hasRoot && rootEntryIdOf(e) === toText(f.rootEntryIdEqual))) &&
    (roots.length === 0 || (hasRoot && roots.includes(rootEntryIdOf(e)))) &&
    (isRoot === undefined || isRoot === -1 || (isRoot === 1 ? !hasRoot : hasRoot))
  );
}

/**
 * entry types media.list returns when the filter names none: KalturaMediaEntryFilter's
 * constructor sets `typeIn` to MEDIA_CLIP, LIVE_STREAM, LIVE_CHANNEL (plus plugin types that
 * extend them; the room plugin's `room.ROOM` does not), so playlists and rooms are never listed
 * (kaltura/server api_v3/lib/types/entry/filters/KalturaMediaEntryFilter.php).
 */
export const MEDIA_LIST_TYPES = ['1', '7', '8'];

/** media.get answers only for types whose API object is a KalturaMediaEntry (MediaService::getAction). */
export function isMediaType(e: MediaEntry): boolean {
  return MEDIA_LIST_TYPES.includes(String(e.type));
}

/**
 * Applies the filter. With no status filter the server lists READY entries only and hides
 * entries pending moderation or rejected (KalturaBaseEntryFilter defaults).
 */
export function filterEntries(entries: Iterable<MediaEntry>, f: Params): MediaEntry[] {
  const statusFiltered = f.statusEqual !== undefined || f.statusIn !== undefined || f.statusNotIn !== undefined;
  const moderationFiltered = f.moderationStatusEqual !== undefined || f.moderationStatusIn !== undefined;
  const idIn = splitCsv(f.idIn);
  const statusIn = splitCsv(f.statusIn).map(Number);
  const statusNotIn = splitCsv(f.statusNotIn).map(Number);
  const moderationIn = splitCsv(f.moderationStatusIn).map(Number);
  const catsOr = splitCsv(f.categoriesIdsMatchOr);
  const catsAnd = splitCsv(f.categoriesIdsMatchAnd);
  const freeText = toText(f.freeText);
  const mediaTypeIn = splitCsv(f.mediaTypeIn).map(Number);
  const typeIn = f.typeIn === undefined ? MEDIA_LIST_TYPES : splitCsv(f.typeIn);
  return [...entries].filter(
    (e) =>
      (statusFiltered || e.status === 2) &&
      (moderationFiltered || !HIDDEN_MODERATION.includes(e.moderationStatus)) &&
      (f.statusEqual === undefined || e.status === toNumber(f.statusEqual)) &&
      (statusIn.length === 0 || statusIn.includes(e.status)) &&
      !statusNotIn.includes(e.status) &&
      (f.moderationStatusEqual === undefined || e.moderationStatus === toNumber(f.moderationStatusEqual)) &&
      (moderationIn.length === 0 || moderationIn.includes(e.moderationStatus)) &&
      (f.idEqual === undefined || e.id === toText(f.idEqual)) &&
      (idIn.length === 0 || idIn.includes(e.id)) &&
      (f.nameLike === undefined || likeMatch(e.name, toText(f.nameLike) ?? '')) &&
      (f.nameMultiLikeOr === undefined || multiLike(e.name, f.nameMultiLikeOr, 'or')) &&
      (f.nameEqual === undefined || e.name === toText(f.nameEqual)) &&
      (freeText === undefined || freeTextMatch(e, freeText)) &&
      (f.tagsLike === undefined || likeMatch(e.tags, toText(f.tagsLike) ?? '')) &&
      (f.tagsMultiLikeOr === undefined || multiLike(e.tags, f.tagsMultiLikeOr, 'or')) &&
      (f.userIdEqual === undefined || e.userId === toText(f.userIdEqual)) &&
      (f.creatorIdEqual === undefined || e.creatorId === toText(f.creatorIdEqual)) &&
      (f.referenceIdEqual === undefined || e.referenceId === toText(f.referenceIdEqual)) &&
      rootMatch(e, f) &&
      (catsOr.length === 0 || csvIntersects(e.categoriesIds, catsOr)) &&
      (catsAnd.length === 0 || catsAnd.every((c) => splitCsv(e.categoriesIds).includes(c))) &&
      (f.mediaTypeEqual === undefined || e.mediaType === toNumber(f.mediaTypeEqual)) &&
      (mediaTypeIn.length === 0 || mediaTypeIn.includes(e.mediaType)) &&
      typeIn.includes(String(e.type)) &&
      (f.typeEqual === undefined || String(e.type) === toText(f.typeEqual)) &&
      (f.durationGreaterThan === undefined || e.duration > (toNumber(f.durationGreaterThan) ?? 0)) &&
      (f.durationLessThan === undefined || e.duration < (toNumber(f.durationLessThan) ?? 0)) &&
      inRange(e.createdAt, f, 'createdAt') &&
      inRange(e.updatedAt, f, 'updatedAt'),
  );
}

/** MediaEntryOrderBy; without one the fake returns newest first (the real default order is not documented). */
export function orderEntries(entries: MediaEntry[], orderBy: unknown): MediaEntry[] {
  return sortByOrder(entries, toText(orderBy) ?? '-createdAt', {
    createdAt: (e) => e.createdAt,
    updatedAt: (e) => e.updatedAt,
    name: (e) => e.name,
    plays: (e) => e.plays,
    views: (e) => e.views,
    duration: (e) => e.duration,
    lastPlayedAt: (e) => e.lastPlayedAt,
    recent: (e) => e.createdAt,
    mediaType: (e) => e.mediaType,
  });
}
