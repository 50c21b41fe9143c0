import { randomBytes } from 'node:crypto';
import type { FakeState } from './fake-state';
import type { MediaEntry } from './types';

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
export function createMediaEntry(state: FakeState, input: Partial<MediaEntry> & { name: string }): MediaEntry {
  const id = input.id ?? newEntryId(state);
  const createdAt = input.createdAt ?? state.now();
  const duration = input.duration ?? 0;
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
  state.store.entries.set(id, entry);
  return entry;
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
 * A recording as §2.6 describes one: a READY video whose name contains the room (resource) name,
 * owned by the event's ownerId, published to the room's `custom_cat_id` category if it has one.
 * The event defaults to the newest one linked to the room.
 */
export function createRecording(
  state: FakeState,
  resourceId: number,
  opts: { eventId?: number; name?: string; status?: number } = {},
): MediaEntry {
  const resource = state.store.resources.get(resourceId);
  if (!resource) throw new Error(`fake Kaltura: no schedule resource ${resourceId}`);
  const linkedIds = state.store.eventResources.filter((l) => l.resourceId === resourceId).map((l) => l.eventId);
  const eventId = opts.eventId ?? linkedIds.at(-1);
  const event = eventId === undefined ? undefined : state.store.events.get(eventId);
  if (opts.eventId !== undefined && !event) throw new Error(`fake Kaltura: no schedule event ${opts.eventId}`);
  const baseName = opts.name ?? `${resource.name} - ${event?.summary ?? 'recording'}`;
  const categoriesIds = tagValue(resource.tags, 'custom_cat_id');
  return createMediaEntry(state, {
    name: baseName.includes(resource.name) ? baseName : `${resource.name} ${baseName}`,
    description: `Recording of ${resource.name}`,
    status: opts.status ?? 2,
    duration: event ? event.endDate - event.startDate : 0,
    ...(event?.ownerId !== undefined ? { userId: event.ownerId } : {}),
    ...(categoriesIds !== undefined ? { categoriesIds } : {}),
  });
}
