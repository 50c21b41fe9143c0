/**
 * A meeting belongs to its channel: only members who can view that channel may see it (list,
 * autocomplete, join, end) and their role in it is decided by their permissions there. The
 * interaction's own permission set is used only when it was computed for that very channel;
 * otherwise the platform adapter computes it (`ChannelAccess`). Someone who cannot see the
 * meeting is told exactly what they would be told if it did not exist.
 */
import type { ChannelAccess } from '../ports/channel-access';
import { duringTimeout, PERMISSION, type Actor } from './actor';
import type { Meeting } from './meeting';

/** The actor as they stand in the meeting's channel, or `undefined` when they cannot see it. */
export function actorInChannelOf(
  access: ChannelAccess,
  actor: Actor,
  meeting: Pick<Meeting, 'guildId' | 'channelId'>,
  options: { readonly threadMember?: boolean } = {},
): Actor | undefined {
  const member = { id: actor.id, roleIds: actor.roleIds, ...(options.threadMember && { threadMember: true }) };
  const computed = actor.channelId === meeting.channelId ? actor.permissions : access.permissionsIn(meeting.guildId, meeting.channelId, member);
  if (computed === undefined) return undefined;
  const permissions = duringTimeout(computed, actor.timedOut);
  if ((permissions & (PERMISSION.viewChannel | PERMISSION.administrator)) === 0n) return undefined;
  return { ...actor, permissions, channelId: meeting.channelId };
}

export const canSee = (access: ChannelAccess, actor: Actor, meeting: Pick<Meeting, 'guildId' | 'channelId'>, options: { readonly threadMember?: boolean } = {}): boolean =>
  actorInChannelOf(access, actor, meeting, options) !== undefined;

/**
 * Can every member of the server see the meeting's channel (a member with no roles and no
 * overwrite of their own)? `false` when it is restricted, and when unknown (fail closed).
 */
export function isOpenToEveryone(access: ChannelAccess, meeting: Pick<Meeting, 'guildId' | 'channelId'>): boolean {
  const permissions = access.permissionsIn(meeting.guildId, meeting.channelId, { id: '0', roleIds: [] });
  return permissions !== undefined && (permissions & (PERMISSION.viewChannel | PERMISSION.administrator)) !== 0n;
}
