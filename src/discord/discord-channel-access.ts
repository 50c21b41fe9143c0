import { ChannelType, OverwriteType, type Client } from 'discord.js';
import type { ChannelAccess } from '../core/ports/channel-access';
import { channelPermissions, DISCORD_PERMISSION, type PermissionOverwrite } from './permissions/channel-permissions';

const LOAD_WAIT_MS = 3_000;
const LOAD_AGAIN_AFTER_MS = 60_000;
const MAX_REMEMBERED_LOADS = 1_000;

/**
 * `ChannelAccess` from the discord.js gateway cache (the `Guilds` intent keeps guild roles,
 * channels, threads and their overwrites current through GUILD_*, CHANNEL_* and THREAD_* events);
 * nothing here calls Discord but `load` (an archived thread leaves the cache: discord.js sweeps those
 * archived for 4 h, and a new session's GUILD_CREATE lists active threads only). A thread has no overwrites of its own: its parent's apply. A private
 * thread is seen by its members and by those who may manage threads; the bot does not receive
 * thread member lists with the `Guilds` intent, so only a cached membership counts (stricter), or
 * one the core vouches for (`threadMember`: a join link issued to them, through Discord's own check,
 * from inside the thread).
 * @see https://discord.com/developers/docs/topics/permissions#permission-overwrites
 * @see https://discord.com/developers/docs/topics/threads#permissions
 * @param client read lazily: the meeting service is built before the gateway client.
 */
export function createDiscordChannelAccess(client: () => Client): ChannelAccess {
  /** channel id -> the load in flight, or when the last one ended (one REST call a minute at most). */
  const loads = new Map<string, Promise<void> | number>();
  return {
    load(guildId, channelId) {
      const last = loads.get(channelId);
      if (last instanceof Promise) return last;
      if (last !== undefined && Date.now() - last < LOAD_AGAIN_AFTER_MS) return Promise.resolve();
      if (!client().guilds.cache.has(guildId) || client().guilds.cache.get(guildId)!.channels.cache.has(channelId)) return Promise.resolve();
      if (loads.size >= MAX_REMEMBERED_LOADS) loads.delete(loads.keys().next().value!);
      let timer: NodeJS.Timeout | undefined;
      // GET /channels/{id}: discord.js caches the answer (an archived thread too) in its guild.
      const fetched = client().channels.fetch(channelId).then(
        () => undefined,
        () => undefined, // unknown, or hidden from the bot: stays unknown
      );
      const load = Promise.race([fetched, new Promise<void>((resolve) => (timer = setTimeout(resolve, LOAD_WAIT_MS)))]).finally(() => {
        clearTimeout(timer);
        loads.set(channelId, Date.now());
      });
      loads.set(channelId, load);
      return load;
    },
    permissionsIn(guildId, channelId, member) {
      const guild = client().guilds.cache.get(guildId);
      const channel = guild?.channels.cache.get(channelId);
      if (!guild || !channel) return undefined;
      const source = channel.isThread() ? channel.parent : channel;
      if (!source || source.isThread()) return undefined;
      const overwrites: PermissionOverwrite[] = [...source.permissionOverwrites.cache.values()].map((o) => ({
        id: o.id,
        type: o.type === OverwriteType.Member ? 1 : 0,
        allow: o.allow.bitfield,
        deny: o.deny.bitfield,
      }));
      const rolePermissions = new Map([...guild.roles.cache.values()].map((r) => [r.id, r.permissions.bitfield] as const));
      const bits = channelPermissions({ guildId, ownerId: guild.ownerId, rolePermissions }, overwrites, member);
      if (channel.type === ChannelType.PrivateThread && !(bits & DISCORD_PERMISSION.manageThreads) && !member.threadMember && !channel.members.cache.has(member.id)) return 0n;
      return bits;
    },
  };
}
