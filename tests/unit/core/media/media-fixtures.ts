/**
 * The media service over the real SQLite store (migrated in memory: meetings, watch links, launch intents)
 * and hand-written in-memory ports: a Kaltura library with categories, a server's channels and
 * roles, and Discord's Activity REST. No module is mocked.
 */
import Database from 'better-sqlite3';
import { afterEach } from 'vitest';
import type { Actor } from '../../../../src/core/meetings/actor';
import type { Meeting } from '../../../../src/core/meetings/meeting';
import type { ActivityInstance, ActivityMember, ActivityPlatform, ActivityUser } from '../../../../src/core/ports/activity-platform';
import type { ChannelAccess, ChannelMember } from '../../../../src/core/ports/channel-access';
import type { GuildCategories } from '../../../../src/core/ports/guild-categories';
import type { CategorySearchInput, MediaEntry, MediaLibrary, Playback, PlaybackOptions } from '../../../../src/core/ports/media-library';
import { createMediaService, type MediaServiceDeps } from '../../../../src/core/media/create-media-service';
import { canSee } from '../../../../src/core/meetings/meeting-visibility';
import { migrateDatabase } from '../../../../src/store/migrate-database';
import { migrations } from '../../../../src/store/migrations/index';
import { createSqliteStore } from '../../../../src/store/sql/sqlite-store';
import { captureLogger } from '../../../helpers/capture-logger';

export const SECRET = 'a-links-secret-of-at-least-32-characters';
export const T0 = Date.UTC(2026, 11, 4, 10, 0, 0);
export const GUILD_A = '100000000000000001';
export const GUILD_B = '100000000000000002';
export const CAT_A = 501;
export const CAT_B = 502;
/** In GUILD_A: a channel everyone sees, and one only the `staff` role sees. */
export const OPEN = '200000000000000001';
export const STAFF_ONLY = '200000000000000002';
export const STAFF_ROLE = '300000000000000001';
export const CHANNEL_B = '200000000000000009';
export const ANA = '400000000000000001'; // plain member of A
export const BEA = '400000000000000002'; // staff member of A
export const CAL = '400000000000000003'; // member of B only
const VIEW = 1n << 10n;

export function entry(id: string, categoryId: number, extra: Partial<MediaEntry> = {}): MediaEntry {
  return {
    id,
    name: `Video ${id}`,
    durationSeconds: 120,
    createdAt: new Date(T0),
    ready: true,
    rootEntryId: id,
    thumbnailUrl: `https://cdn.example/p/1/thumbnail/entry_id/${id}`,
    watchUrl: `https://cdn.example/watch/${id}`,
    mediaType: 'video',
    categoryIds: [categoryId],
    ...extra,
  };
}

/** Kaltura's media, as far as the core can tell: categories hold entries; search counts every match. */
export class MemoryLibrary implements Partial<MediaLibrary> {
  readonly entries: MediaEntry[] = [];
  readonly playbacks: { entryId: string; options: PlaybackOptions }[] = [];
  playbackFails: Error | undefined;
  hang = false;

  private wait<T>(value: T): Promise<T> {
    return this.hang ? new Promise<T>(() => undefined) : Promise.resolve(value);
  }

  searchCategory(input: CategorySearchInput) {
    const q = input.query.toLowerCase();
    const matches = this.entries.filter((e) => e.categoryIds?.includes(input.categoryId) && e.name.toLowerCase().includes(q));
    return this.wait({ entries: matches.slice(0, input.limit ?? 10), totalCount: matches.length, via: 'list' as const });
  }

  findPlayable(categoryId: number, entryId: string) {
    return this.wait(this.entries.find((e) => e.id === entryId && e.categoryIds?.includes(categoryId) && e.ready));
  }

  playback(entryId: string, options: PlaybackOptions): Promise<Playback> {
    this.playbacks.push({ entryId, options });
    if (this.playbackFails) return Promise.reject(this.playbackFails);
    return this.wait({
      entryId,
      sources: [{ url: `https://cdn.example/p/1/playManifest/entryId/${entryId}/ks/KS-${options.userId}/a.mp4`, mimeType: 'video/mp4' }],
      posterUrl: `https://cdn.example/p/1/thumbnail/entry_id/${entryId}`,
      expiresAt: new Date(T0 + options.ttlSeconds * 1000),
    });
  }
}

/** Two servers; in A the staff-only channel is closed to @everyone and open to the staff role. */
export const access: ChannelAccess = {
  permissionsIn(guildId: string, channelId: string, member: ChannelMember) {
    if (guildId === GUILD_A && channelId === OPEN) return VIEW;
    if (guildId === GUILD_A && channelId === STAFF_ONLY) return member.roleIds.includes(STAFF_ROLE) ? VIEW : 0n;
    if (guildId === GUILD_B && channelId === CHANNEL_B) return VIEW;
    return undefined;
  },
};

/** Discord's Activity REST: codes, tokens, instances and members set by the test. */
export class MemoryPlatform implements ActivityPlatform {
  readonly codes = new Map<string, string>(); // code -> access token
  readonly tokens = new Map<string, ActivityUser>();
  readonly instances = new Map<string, ActivityInstance>();
  readonly members = new Map<string, ActivityMember>(); // `${guild}:${user}`
  memberCalls = 0;
  failing: Error | undefined;

  private answer<T>(value: T): Promise<T> {
    return this.failing ? Promise.reject(this.failing) : Promise.resolve(value);
  }
  exchangeCode(code: string) {
    const accessToken = this.codes.get(code);
    this.codes.delete(code);
    return this.answer(accessToken === undefined ? undefined : { accessToken, expiresInS: 604800 });
  }
  userOf(accessToken: string) {
    return this.answer(this.tokens.get(accessToken));
  }
  instance(instanceId: string) {
    return this.answer(this.instances.get(instanceId));
  }
  member(guildId: string, userId: string) {
    this.memberCalls++;
    return this.answer(this.members.get(`${guildId}:${userId}`));
  }
}

export const actor = (id: string, extra: Partial<Actor> = {}): Actor => ({ id, displayName: `user ${id}`, roleIds: [], permissions: 0n, ...extra });

const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

export function setup(options: { platform?: boolean; overrides?: Partial<MediaServiceDeps> } = {}) {
  const db = new Database(':memory:');
  open.push(db);
  migrateDatabase(db, migrations, ':memory:');
  const store = createSqliteStore(db);
  const repo = store.meetings;
  const library = new MemoryLibrary();
  const platform = new MemoryPlatform();
  const clock = { t: T0, now() { return this.t; } };
  const categories: GuildCategories = {
    categoryFor: (guildId) => Promise.resolve({ id: guildId === GUILD_A ? CAT_A : CAT_B, fullName: `kd>${guildId}`, source: 'stored' }),
    describe: () => Promise.resolve(undefined),
    checkAssignable: () => Promise.resolve({ ok: false, reason: 'not-found' }),
  };
  const joinLinks: { actor: Actor; meetingId: string }[] = [];
  const log = captureLogger([SECRET]);
  const service = createMediaService({
    library: library as unknown as MediaLibrary,
    categories,
    access,
    store,
    meetings: {
      // As MeetingService does: the guild's live meetings whose channel the actor can see.
      listLive: async (a, guildId) => (await repo.listLive(guildId)).filter((m) => canSee(access, a, m)),
      issueJoinLink: async (a, guildId, meetingId) => {
        joinLinks.push({ actor: a, meetingId });
        return { url: `https://bot.example/j/token-for-${meetingId}`, expiresAt: T0, role: 'attendee', meeting: (await repo.get(meetingId))! };
      },
    },
    ...(options.platform !== false && { platform }),
    links: { secret: SECRET, ttlMs: 5 * 60_000, publicUrl: 'https://bot.example/' },
    clock,
    logger: log.logger,
    waitMs: 200,
    autocompleteWaitMs: 100,
    ...options.overrides,
  });
  /** A meeting (live or ended) whose recordings are made from `templateEntryId`. */
  const meeting = (id: string, guildId: string, channelId: string, templateEntryId: string, status: Meeting['status'] = 'ended') =>
    repo.insert({ id, guildId, channelId, hostId: BEA, hostName: 'Bea', kind: 'meeting', title: `Meeting ${id}`, durationMinutes: 30, record: true, status, createdAt: T0, startsAt: T0 - 60_000, endsAt: T0 + 3_600_000, templateEntryId, version: 0, cardVersion: 0 });
  /** A count straight from the file (what the store keeps). */
  const count = (sql: string) => db.prepare(sql).pluck().get() as number;
  return { db, store, repo, library, platform, clock, service, meeting, joinLinks, log, count };
}
