import type { MediaService } from '../../src/core/media/media-service';
import { unknownMedia } from '../../src/core/media/media-errors';
import type { Actor } from '../../src/core/meetings/actor';
import type { MediaEntry } from '../../src/core/ports/media-library';

/**
 * A hand-written MediaService for the Discord handlers' tests: each server has its own library
 * (an entry of another server is "unknown", as the real service answers), and every call is
 * recorded. The real service is tested in its own files; here only what the handlers do with it.
 */
export interface FakeMediaService extends MediaService {
  readonly calls: { method: string; actorId: string; guildId: string; args: unknown[] }[];
  readonly launches: { userId: string; guildId: string; channelId: string; entryId: string }[];
  /** Make `autocomplete` hang (never answer), as a slow Kaltura would. */
  hangAutocomplete: boolean;
}

export function videoEntry(over: Partial<MediaEntry> & { id: string }): MediaEntry {
  return {
    name: `Video ${over.id}`, durationSeconds: 600, createdAt: new Date(1_800_000_000_000), ready: true, mediaType: 'video',
    thumbnailUrl: `https://cdn.example/p/1/thumbnail/entry_id/${over.id}`, watchUrl: `https://kaf.example/media/${over.id}`, ...over,
  };
}

export function fakeMediaService(libraries: Record<string, readonly MediaEntry[]>, options: { activityEnabled?: boolean; publicUrl?: string } = {}): FakeMediaService {
  const calls: FakeMediaService['calls'] = [];
  const launches: FakeMediaService['launches'] = [];
  const record = (method: string, actor: Actor, guildId: string, ...args: unknown[]) => calls.push({ method, actorId: actor.id, guildId, args });
  const find = (guildId: string, entryId: string) => {
    const entry = (libraries[guildId] ?? []).find((e) => e.id === entryId);
    if (!entry) throw unknownMedia();
    return entry;
  };
  let issued = 0;
  const service: FakeMediaService = {
    calls,
    launches,
    hangAutocomplete: false,
    activityEnabled: options.activityEnabled ?? true,
    async search(actor, guildId, input) {
      record('search', actor, guildId, input);
      const q = input.query.toLowerCase();
      const matches = (libraries[guildId] ?? []).filter((e) => e.name.toLowerCase().includes(q));
      return { entries: matches.slice(0, input.limit ?? 10), totalCount: matches.length };
    },
    async shareable(actor, guildId, entryId, channelId) {
      record('shareable', actor, guildId, entryId, channelId);
      return find(guildId, entryId);
    },
    async autocomplete(actor, guildId, typed) {
      record('autocomplete', actor, guildId, typed);
      if (service.hangAutocomplete) return new Promise(() => undefined);
      return (libraries[guildId] ?? []).filter((e) => e.name.toLowerCase().includes(typed.toLowerCase())).map((e) => ({ name: e.name, value: e.id }));
    },
    async issueWatchLink(actor, guildId, entryId) {
      record('issueWatchLink', actor, guildId, entryId);
      find(guildId, entryId);
      return { url: `${options.publicUrl ?? 'https://bot.example'}/v/token-${++issued}`, expiresAt: new Date(1_900_000_000_000) };
    },
    async redeemWatchLink() {
      throw new Error('not used by the Discord handlers');
    },
    async rememberLaunch(actor, guildId, channelId, entryId) {
      record('rememberLaunch', actor, guildId, channelId, entryId);
      launches.push({ userId: actor.id, guildId, channelId, entryId });
    },
    get activity(): MediaService['activity'] {
      throw new Error('not used by the Discord handlers');
    },
  };
  return service;
}
