import type { Logger } from '../core/logger';
import type { ChannelAccess } from '../core/ports/channel-access';
import { channelPermissions, DISCORD_PERMISSION, type PermissionOverwrite } from './permissions/channel-permissions';

/**
 * `ChannelAccess` for HTTP mode, where no gateway keeps a cache: the server's roles and owner
 * (`GET /guilds/{id}`), its channels with their overwrites (`GET /guilds/{id}/channels`) and, on
 * demand, a channel those do not list (a thread: `GET /channels/{id}`), read over REST and kept for
 * `ttlMs`. Discord's permission computation is the same as in gateway mode (permissions/).
 *
 * `permissionsIn` is synchronous (the port's contract): it answers from what was read. An
 * interaction `load`s its server first (bounded), so a member's checks use data at most `ttlMs`
 * old; other callers get answers at most `maxStaleMs` old — older data is not used (fail closed:
 * `undefined`) — and their call starts a refresh in the background.
 * @see https://discord.com/developers/docs/topics/permissions#permission-overwrites
 * @see https://discord.com/developers/docs/resources/guild#get-guild
 * @see https://discord.com/developers/docs/resources/guild#get-guild-channels ("Does not include threads")
 * @see https://discord.com/developers/docs/topics/threads#permissions
 */

/** What this needs of discord.js's REST client (bot token; queues and rate limits handled there). */
export interface RestGet {
  get(route: `/${string}`): Promise<unknown>;
}

export interface RestChannelAccessOptions {
  readonly logger?: Logger;
  readonly now?: () => number;
  /** Data younger than this is used as is. Default 30 s. */
  readonly ttlMs?: number;
  /** Data older than this is not used at all. Default 10 minutes. */
  readonly maxStaleMs?: number;
  /** How long `load` waits for Discord. Default 1,500 ms (an interaction has 3 s). */
  readonly loadWaitMs?: number;
}

interface RawOverwrite { id: string; type: number; allow: string; deny: string }
interface RawChannel { id: string; type: number; parent_id?: string | null; permission_overwrites?: RawOverwrite[] }
interface KnownChannel { readonly type: number; readonly parentId?: string; readonly overwrites: readonly PermissionOverwrite[] }
interface GuildData {
  readonly fetchedAt: number;
  readonly ownerId: string;
  readonly rolePermissions: ReadonlyMap<string, bigint>;
  readonly channels: Map<string, KnownChannel>;
}

const THREAD_TYPES = new Set([10, 11, 12]);
const PRIVATE_THREAD = 12;

function toKnown(raw: RawChannel): KnownChannel {
  return {
    type: raw.type,
    ...(raw.parent_id ? { parentId: raw.parent_id } : {}),
    overwrites: (raw.permission_overwrites ?? []).map((o) => ({ id: o.id, type: o.type === 1 ? 1 : 0, allow: BigInt(o.allow), deny: BigInt(o.deny) })),
  };
}

export function createRestChannelAccess(rest: RestGet, options: RestChannelAccessOptions = {}): ChannelAccess {
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlMs ?? 30_000;
  const maxStaleMs = options.maxStaleMs ?? 10 * 60_000;
  const loadWaitMs = options.loadWaitMs ?? 1_500;
  const guilds = new Map<string, GuildData>();
  const inFlight = new Map<string, Promise<void>>();
  /** Failed reads are not retried before `ttlMs` (a server the bot left, a channel it cannot see). */
  const failedAt = new Map<string, number>();

  const once = (key: string, read: () => Promise<void>): Promise<void> => {
    const running = inFlight.get(key);
    if (running) return running;
    const failed = failedAt.get(key);
    if (failed !== undefined && now() - failed < ttlMs) return Promise.resolve();
    const p = read()
      .then(() => void failedAt.delete(key))
      .catch((err: unknown) => {
        failedAt.set(key, now());
        options.logger?.debug({ key, status: (err as { status?: unknown }).status }, 'could not read channel permissions from Discord');
      })
      .finally(() => inFlight.delete(key));
    inFlight.set(key, p);
    return p;
  };

  const refreshGuild = (guildId: string) =>
    once(`guild:${guildId}`, async () => {
      const [guild, channels] = (await Promise.all([rest.get(`/guilds/${guildId}`), rest.get(`/guilds/${guildId}/channels`)])) as [
        { owner_id: string; roles: { id: string; permissions: string }[] },
        RawChannel[],
      ];
      const known = new Map(channels.map((c) => [c.id, toKnown(c)] as const));
      // Threads are not listed: keep the ones read one by one.
      for (const [id, c] of guilds.get(guildId)?.channels ?? []) if (THREAD_TYPES.has(c.type) && !known.has(id)) known.set(id, c);
      guilds.set(guildId, { fetchedAt: now(), ownerId: guild.owner_id, rolePermissions: new Map(guild.roles.map((r) => [r.id, BigInt(r.permissions)])), channels: known });
    });

  const readChannel = (guildId: string, channelId: string) =>
    once(`channel:${channelId}`, async () => {
      const raw = (await rest.get(`/channels/${channelId}`)) as RawChannel & { guild_id?: string };
      if (raw.guild_id !== guildId) return; // not this server's: stays unknown
      guilds.get(guildId)?.channels.set(channelId, toKnown(raw));
    });

  const fresh = (g: GuildData | undefined, maxAge: number) => g !== undefined && now() - g.fetchedAt <= maxAge;

  /** Never rejects (the reads log and remember their failures). */
  const refresh = async (guildId: string, channelId: string): Promise<void> => {
    if (!fresh(guilds.get(guildId), ttlMs)) await refreshGuild(guildId);
    if (guilds.has(guildId) && !guilds.get(guildId)!.channels.has(channelId)) await readChannel(guildId, channelId);
  };

  const load = async (guildId: string, channelId: string): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([refresh(guildId, channelId), new Promise<void>((resolve) => (timer = setTimeout(resolve, loadWaitMs).unref()))]);
    clearTimeout(timer);
  };

  return {
    load,
    permissionsIn(guildId, channelId, member) {
      const g = guilds.get(guildId);
      if (!fresh(g, ttlMs)) void refresh(guildId, channelId);
      if (!g || !fresh(g, maxStaleMs)) return undefined;
      const channel = g.channels.get(channelId);
      if (!channel) {
        void refresh(guildId, channelId);
        return undefined;
      }
      const source = THREAD_TYPES.has(channel.type) ? (channel.parentId ? g.channels.get(channel.parentId) : undefined) : channel;
      if (!source) return undefined;
      const bits = channelPermissions({ guildId, ownerId: g.ownerId, rolePermissions: g.rolePermissions }, source.overwrites, member);
      // Who is in a private thread is not read here: those who may manage threads, or vouched for by the core.
      if (channel.type === PRIVATE_THREAD && !(bits & DISCORD_PERMISSION.manageThreads) && !member.threadMember) return 0n;
      return bits;
    },
  };
}
