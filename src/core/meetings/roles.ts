/**
 * Who may do what in a server, decided from Discord role ids and permission bits only.
 * Role names are never read: anyone can create a role called "Moderator".
 */
import type { MeetingRole } from '../ports/meeting-provider';
import { hasPermission, PERMISSION, type Actor } from './actor';
import type { GuildPolicy } from './guild-policy';
import type { Meeting } from './meeting';

/** Manage Events or Manage Server (Administrator implies both). */
export const canManageServerEvents = (actor: Actor): boolean =>
  hasPermission(actor, PERMISSION.manageEvents) || hasPermission(actor, PERMISSION.manageGuild);

const hasAnyRole = (actor: Actor, roleIds: readonly string[]): boolean => actor.roleIds.some((id) => id !== '' && roleIds.includes(id));

/** May end anyone's meeting and joins every meeting as a moderator. */
export const mayManageMeetings = (actor: Actor, policy: GuildPolicy): boolean =>
  canManageServerEvents(actor) || hasAnyRole(actor, policy.moderatorRoleIds);

export const mayStart = (actor: Actor, policy: GuildPolicy): boolean =>
  policy.startMeetings === 'everyone' || canManageServerEvents(actor) || hasAnyRole(actor, policy.starterRoleIds);

export const mayEnd = (actor: Actor, meeting: Pick<Meeting, 'hostId'>, policy: GuildPolicy): boolean =>
  actor.id === meeting.hostId || mayManageMeetings(actor, policy);

export const decideRole = (actor: Actor, meeting: Pick<Meeting, 'hostId'>, policy: GuildPolicy): MeetingRole =>
  actor.id === meeting.hostId || mayManageMeetings(actor, policy) ? 'moderator' : 'attendee';

/** Role mentions render as the role's current name in Discord, so the message stays id-based. */
const mentionRoles = (ids: readonly string[]): string => ids.map((id) => `<@&${id}>`).join(', ');

export function startForbiddenMessage(policy: GuildPolicy): string {
  const roles = policy.starterRoleIds.length > 0 ? `, and members with one of these roles: ${mentionRoles(policy.starterRoleIds)}` : '';
  return `You cannot start meetings in this server. Meetings can be started by members with the Manage Events or Manage Server permission${roles}.`;
}

export function endForbiddenMessage(meeting: Pick<Meeting, 'hostId'>, policy: GuildPolicy): string {
  const roles = policy.moderatorRoleIds.length > 0 ? `, members with one of these roles: ${mentionRoles(policy.moderatorRoleIds)},` : '';
  return `Only the host (<@${meeting.hostId}>)${roles} or members with the Manage Events or Manage Server permission can end this meeting.`;
}
