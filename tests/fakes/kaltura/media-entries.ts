import { randomBytes } from 'node:crypto';
import type { FakeState } from './fake-state';
import { attachVideo, FIXTURE_VIDEO, FIXTURE_VIDEO_SECONDS } from './media-assets';
import type { EntrySeed, MediaEntry } from './types';

/** Seeding media entries and room recordings (§2.6, §5.2). */

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

function newEntryId(state: FakeState): string {
  for (;;) {
    const id = `0_${[...randomBytes(8)].map((b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('')}`;
    if (!state.store.entries.has(id)) return id;
  }
}

/**
 * A KalturaMediaEntry with the fields of §7.12, keys in the order a real response has them
 * (MediaEntry, then PlayableEntry, then BaseEntry fields). Given fields override the defaults:
 * a READY (2), auto-approved video owned by nobody, created now.
 */
export function createMediaEntry(state: FakeState, seed: EntrySeed): MediaEntry {
  const { categoryIds, video, ...input } = seed;
  if (categoryIds !== undefined) Object.assign(input, categoryFields(state, categoryIds));
  const id = input.id ?? newEntryId(state);
  const createdAt = input.createdAt ?? state.now();
  const duration = input.duration ?? (video === true ? FIXTURE_VIDEO_SECONDS : 0);
  const pid = state.partnerId;
  const entry: MediaEntry = {
    mediaType: 1,
    sourceType: '1',
    plays: 0,
    views: 0,
    duration,
    msDuration: duration * 1000,
    id,
    name: input.name,
    partnerId: pid,
    status: 2,
    moderationStatus: 6,
    type: 1,
    createdAt,
    updatedAt: createdAt,
    thumbnailUrl: `${state.baseUrl}/p/${pid}/sp/${pid}00/thumbnail/entry_id/${id}/version/100002`,
    objectType: 'KalturaMediaEntry',
  };
  for (const [key, value] of Object.entries(input)) {
    if (value !== undefined && key !== 'objectType') (entry as unknown as Record<string, unknown>)[key] = value;
  }
  if (input.msDuration === undefined) entry.msDuration = entry.duration * 1000;
  if (entry.creatorId === undefined && entry.userId !== undefined) entry.creatorId = entry.userId;
  // KalturaBaseEntry.rootEntryId is entry::getRootEntryId(): the stored root, else the entry's own id
  if (entry.rootEntryId === undefined) entry.rootEntryId = id;
  entry.objectType = objectTypeOf(entry.type);
  state.store.entries.set(id, entry);
  if (video) attachVideo(state, id, video === true ? FIXTURE_VIDEO : video);
  return entry;
}

/** KalturaEntryFactory::getInstanceByType (api_v3/lib/types/entry/KalturaEntryFactory.php). */
function objectTypeOf(type: number | string): MediaEntry['objectType'] {
  if (type === 5 || type === '5') return 'KalturaPlaylist';
  if (type === 7 || type === '7') return 'KalturaLiveStreamEntry';
  if (type === 8 || type === '8') return 'KalturaLiveChannel';
  if (type === 'room.ROOM') return 'KalturaRoomEntry';
  return 'KalturaMediaEntry';
}

/** `categoriesIds` and `categories` (full names of stored categories, as the server lists them). */
function categoryFields(state: FakeState, ids: readonly number[]): Partial<MediaEntry> {
  if (ids.some((id) => !Number.isSafeInteger(id) || id <= 0)) throw new Error('fake Kaltura: categoryIds must be positive integers');
  const names = ids.map((id) => state.store.categories.get(id)?.fullName).filter((n): n is string => n !== undefined);
  return { categoriesIds: ids.join(','), ...(names.length > 0 ? { categories: names.join(',') } : {}) };
}

/** The value of a `key:value` item in a comma-separated tags string (room settings, §2.2). */
export function tagValue(tags: string | undefined, key: string): string | undefined {
  for (const item of (tags ?? '').split(',')) {
    const colon = item.indexOf(':');
    if (colon > 0 && item.slice(0, colon).trim() === key) return item.slice(colon + 1).trim();
  }
  return undefined;
}

/**
 * What `entry::copyTemplate` (kaltura/server alpha/lib/model/entry.php) copies from a template onto
 * a new entry: templateEntryId, the owner (kuserId/puserId), name, tags, partnerData, description,
 * adminTags (and entitlements, which the fake does not model). Categories follow through
 * kObjectCopyHandler::objectCopied (alpha/apps/kaltura/lib/kObjectCopyHandler.php), which copies
 * the template's active category entries when both are in the same partner. rootEntryId is not
 * copied: copyTemplate never sets it.
 */
export function copiedFromTemplate(template: MediaEntry): Partial<MediaEntry> {
  const copied: Partial<MediaEntry> = { templateEntryId: template.id, name: template.name };
  for (const key of ['userId', 'tags', 'partnerData', 'description', 'adminTags', 'categories', 'categoriesIds'] as const) {
    if (template[key] !== undefined) (copied as Record<string, unknown>)[key] = template[key];
  }
  return copied;
}

/**
 * A recording of a room session. With a `templateEntryId` on the session, the way the corrected
 * §2.6 and Kaltura's sample (kaltura-vpaas/kaltura-meetings-example-entry-template, which lists
 * recordings with `rootEntryIdEqual=<template>` and `isRoot=0`) describe it: created from the
 * template (copyTemplate, above) with rootEntryId = the template. The template is read without
 * the deleted-status filter (KalturaEntryService::getTemplateEntry uses retrieveByPKNoFilter), so a
 * deleted template still supplies its metadata. Without a template: the older model, a READY video
 * whose name contains the room name, owned by the event's ownerId, in the room's `custom_cat_id`.
 * The event defaults to the newest one linked to the room.
 */
export function createRecording(
  state: FakeState,
  resourceId: number,
  opts: { eventId?: number; name?: string; status?: number; duration?: number } = {},
): MediaEntry {
  const resource = state.store.resources.get(resourceId);
  if (!resource) throw new Error(`fake Kaltura: no schedule resource ${resourceId}`);
  const linkedIds = state.store.eventResources.filter((l) => l.resourceId === resourceId).map((l) => l.eventId);
  const eventId = opts.eventId ?? linkedIds.at(-1);
  const event = eventId === undefined ? undefined : state.store.events.get(eventId);
  if (opts.eventId !== undefined && !event) throw new Error(`fake Kaltura: no schedule event ${opts.eventId}`);
  const duration = opts.duration ?? (event ? event.endDate - event.startDate : 0);
  const templateId = toTemplateId(event?.templateEntryId);
  const template = templateId === undefined ? undefined : state.store.entries.get(templateId);
  if (template) {
    return createMediaEntry(state, {
      ...copiedFromTemplate(template),
      name: opts.name ?? template.name,
      rootEntryId: template.id,
      status: opts.status ?? 2,
      duration,
    });
  }
  const baseName = opts.name ?? `${resource.name} - ${event?.summary ?? 'recording'}`;
  const categoriesIds = tagValue(resource.tags, 'custom_cat_id');
  return createMediaEntry(state, {
    name: baseName.includes(resource.name) ? baseName : `${resource.name} ${baseName}`,
    description: `Recording of ${resource.name}`,
    status: opts.status ?? 2,
    duration,
    ...(event?.ownerId !== undefined ? { userId: event.ownerId } : {}),
    ...(categoriesIds !== undefined ? { categoriesIds } : {}),
  });
}

function toTemplateId(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
