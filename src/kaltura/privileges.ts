/**
 * Builds KS privilege strings from typed input only. The server splits privileges on `,`,
 * then each item at the first `:`, and treats `/` as a multi-value separator, so a display
 * name like `Max,role:adminRole` would otherwise grant a role. Every free-text value goes
 * through `sanitizePrivilegeValue`; keys are constants. Pure: no `kaltura-client` import.
 * @see https://github.com/kaltura-vpaas/virtual-meeting-rooms#the-privileges-string
 */
import type { MeetingRole } from '../core/ports/meeting-provider';

/** Longest name value we put in a KS (names are display only). */
const MAX_NAME_LENGTH = 64;

/**
 * Removes URLs (Kaltura rejects names containing `://`), the privilege separators `,` `:`
 * `/` and `;` (the v1 field separator), `\`, `|` and control characters; collapses spaces.
 */
export function sanitizeDisplayText(value: string, maxLength = MAX_NAME_LENGTH): string {
  const cleaned = value
    .normalize('NFC')
    .replace(/\s+/gu, ' ')
    .replace(/[\p{Cc}\p{Cf}]/gu, '') // before the URL check, so `:\u200b//` cannot hide a URL
    .replace(/\S*:\/\/\S*/gu, ' ')
    .replace(/[,:/;\\|]/gu, ' ')
    .replace(/ +/g, ' ')
    .trim();
  // cut on code points, never inside a surrogate pair
  return [...cleaned].slice(0, maxLength).join('').trim();
}

export const sanitizePrivilegeValue = sanitizeDisplayText;

export interface PersonName {
  readonly firstName?: string;
  readonly lastName?: string;
}

/** First word is the first name, the rest the last name; empty parts are omitted. */
export function splitDisplayName(displayName: string): PersonName {
  const clean = sanitizeDisplayText(displayName, 128);
  if (clean === '') return {};
  const space = clean.indexOf(' ');
  if (space === -1) return { firstName: clean.slice(0, MAX_NAME_LENGTH) };
  return {
    firstName: sanitizeDisplayText(clean.slice(0, space)),
    lastName: sanitizeDisplayText(clean.slice(space + 1)),
  };
}

export interface RoomPrivilegesInput {
  /** Join a scheduled session. */
  readonly eventId?: number;
  /** Or enter the room directly (moderators preparing it). */
  readonly resourceId?: number;
  readonly role: MeetingRole;
  readonly displayName?: string;
}

function positiveId(name: string, value: number): string {
  if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer`);
  return String(value);
}

/**
 * `eventId|resourceId, role, userContextualRole, firstName?, lastName?`.
 * role `adminRole` + contextual 0 for moderators, `viewerRole` + 3 for attendees.
 */
export function buildRoomPrivileges(input: RoomPrivilegesInput): string {
  const parts: string[] = [];
  if (input.eventId !== undefined) parts.push(`eventId:${positiveId('eventId', input.eventId)}`);
  else if (input.resourceId !== undefined) parts.push(`resourceId:${positiveId('resourceId', input.resourceId)}`);
  else throw new RangeError('eventId or resourceId is required');
  const moderator = input.role === 'moderator';
  parts.push(`role:${moderator ? 'adminRole' : 'viewerRole'}`);
  parts.push(`userContextualRole:${moderator ? 0 : 3}`);
  const name = splitDisplayName(input.displayName ?? '');
  if (name.firstName) parts.push(`firstName:${name.firstName}`);
  if (name.lastName) parts.push(`lastName:${name.lastName}`);
  return parts.join(',');
}

/**
 * A Kaltura user role named by its numeric id or its systemName, as `setrole:<id>` expects:
 * `kPermissionManager::getRoleIds` looks a numeric value up by id and anything else by
 * systemName; a negative number is `INVALID_SET_ROLE` and the literal `null` means "no role"
 * (kaltura/server: alpha/apps/kaltura/lib/kPermissionManager.php, kSessionUtils::getRole), so
 * both are refused here. No `,` `:` `/` can appear, so the value cannot add a privilege.
 */
export const JOIN_ROLE_ID_PATTERN = /^(?:[1-9][0-9]{0,18}|(?!null$)[A-Za-z][A-Za-z0-9_.-]{0,127})$/;

export function isJoinRoleId(value: string): boolean {
  return JOIN_ROLE_ID_PATTERN.test(value);
}

/**
 * Adds `setrole:<roleId>` to a join KS's privileges. With it the member's KS carries only the
 * permissions of that (restricted) role instead of the partner's default USER-session role,
 * which may, for example, `media.add` (deployment/permissions/service.media.ini grants it to
 * BASE_USER_SESSION_PERMISSION): a member could otherwise upload entries with the KS from
 * their launch link. Any `setrole` already present is replaced, never duplicated.
 */
export function withJoinRole(privileges: string, roleId: string | undefined): string {
  if (roleId === undefined) return privileges;
  if (!isJoinRoleId(roleId)) throw new RangeError('the join role must be a positive role id or a role systemName');
  const kept = privileges.split(',').filter((p) => p !== '' && !/^setrole(?::|$)/i.test(p.trim()));
  return [...kept, `setrole:${roleId}`].join(',');
}

/**
 * The longest a member's KS may live: one day. `session.start` caps every KS at the partner's
 * `ksMaxExpiryInSeconds`, one day unless Kaltura changed it (kaltura/server:
 * alpha/lib/model/Partner.php validateSecret, `dateUtils::DAY`); a locally signed KS has no
 * such cap, so the session manager applies it. The join KS normally lives much shorter: until
 * the meeting's scheduled end plus a short grace (see docs/kaltura.md, "Join KS lifetime").
 */
export const MAX_JOIN_KS_LIFETIME_S = 86_400;

/** Kaltura user id of a Discord member. Snowflakes are digits only; anything else is refused. */
export function discordUserId(discordId: string): string {
  if (!/^\d{1,20}$/.test(discordId)) throw new RangeError('Discord id must be a snowflake');
  return `discord_${discordId}`;
}
