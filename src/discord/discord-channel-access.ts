import { ChannelType, OverwriteType, type Client } from 'discord.js';
import type { ChannelAccess } from '../core/ports/channel-access';
import { channelPermissions, DISCORD_PERMISSION, type PermissionOverwrite } from './permissions/channel-permissions';

/**
 * `ChannelAccess` from the discord.js gateway cache (the `Guilds` intent keeps guild roles,
 * channels, threads and their overwrites current through GUILD_*, CHANNEL_* and THREAD_* events);
 * nothing here calls Discord. A thread has no overwrites of its own: its parent's apply. A private
 * thread is seen by its members and by those who may manage threads; the bot does not receive
 * thread member lists with the `Guilds` intent, so only a cached membership counts (stricter), or
 * one the core vouches for (`threadMember`: a join link issued to them, through Discord's own check,
 * from inside the thread).
 * @see https://discord.com/developers/docs/topics/permissions#permission-overwrites
 * @see https://discord.com/developers/docs/topics/threads#permissions
 * @param client read lazily: the meeting service is built before the gateway client.
 */
export function createDiscordChannelAccess(client: () => Client): ChannelAccess {
  return {
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
