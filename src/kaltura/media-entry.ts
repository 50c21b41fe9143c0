/**
 * A `KalturaMediaEntry` as the library shows it, and the rule that decides whether an entry
 * may be offered for playback in one Discord server's category.
 * @see https://developer.kaltura.com/api-docs/General_Objects/Objects/KalturaMediaEntry
 */
import type { MediaEntry } from '../core/ports/media-library';
import { isEntryId, type MediaUrls } from './media-urls';
import { asRecord, optInt, optStr, strField, type JsonRecord } from './parse';

export const ENTRY_READY = 2;
/** KalturaMediaType: VIDEO 1, IMAGE 2, AUDIO 5, LIVE_STREAM_* 201+ (kaltura/server alpha/lib/enums/entry.php). */
export const MEDIA_TYPE_VIDEO = 1;
export const MEDIA_TYPE_AUDIO = 5;
/** entryType::MEDIA_CLIP (alpha/lib/enums/entryType.php); playlists are 5, live streams 7, rooms `room.ROOM`. */
export const ENTRY_TYPE_MEDIA_CLIP = '1';

function mediaKind(value: number | undefined): MediaEntry['mediaType'] {
  if (value === undefined) return undefined;
  return value === MEDIA_TYPE_VIDEO ? 'video' : value === MEDIA_TYPE_AUDIO ? 'audio' : 'other';
}

/** `categoriesIds` is a comma-separated string (`"12,34"`); anything that is not a positive id is dropped. */
function categoryIdsOf(obj: JsonRecord): number[] | undefined {
  const raw = optStr(obj, 'categoriesIds');
  if (raw === undefined) return undefined;
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => /^[1-9]\d{0,15}$/.test(s))
    .map(Number);
}

export function toMediaEntry(raw: unknown, urls: MediaUrls): MediaEntry {
  const obj = asRecord(raw, 'entry');
  const id = strField(obj, 'id');
  const description = optStr(obj, 'description');
  const ownerId = optStr(obj, 'userId');
  const rootEntryId = optStr(obj, 'rootEntryId');
  const plays = optInt(obj, 'plays');
  const embedUrl = isEntryId(id) ? urls.embedUrl(id) : undefined;
  const mediaType = mediaKind(optInt(obj, 'mediaType'));
  const categoryIds = categoryIdsOf(obj);
  return {
    id,
    name: strField(obj, 'name'),
    ...(description && { description }),
    durationSeconds: optInt(obj, 'duration') ?? 0,
    createdAt: new Date((optInt(obj, 'createdAt') ?? 0) * 1000),
    ...(ownerId && { ownerId }),
    ...(rootEntryId && { rootEntryId }),
    ...(plays !== undefined && { plays }),
    thumbnailUrl: isEntryId(id) ? urls.thumbnailUrl(id) : (optStr(obj, 'thumbnailUrl') ?? ''),
    watchUrl: isEntryId(id) ? urls.watchUrl(id) : '',
    ...(embedUrl && { embedUrl }),
    ready: optInt(obj, 'status') === ENTRY_READY,
    ...(mediaType && { mediaType }),
    ...(categoryIds && { categoryIds }),
  };
}

/**
 * The check applied to every entry Kaltura returns for a category, whatever the query asked
 * for (defence in depth: a filter the server ignored must not show another server's media):
 * a READY media clip (not a playlist, live stream or room), video or audio, published in
 * exactly this category. `type` is read raw because plugin types are strings (`room.ROOM`).
 */
export function isPlayableIn(raw: unknown, entry: MediaEntry, categoryId: number): boolean {
  const type = (raw as JsonRecord | null)?.['type'];
  return (
    isEntryId(entry.id) &&
    entry.ready &&
    String(type) === ENTRY_TYPE_MEDIA_CLIP &&
    (entry.mediaType === 'video' || entry.mediaType === 'audio') &&
    (entry.categoryIds?.includes(categoryId) ?? false)
  );
}

export function isCategoryId(value: number): boolean {
  return Number.isSafeInteger(value) && value > 0;
}
