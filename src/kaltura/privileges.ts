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

/** Kaltura user id of a Discord member. Snowflakes are digits only; anything else is refused. */
export function discordUserId(discordId: string): string {
  if (!/^\d{1,20}$/.test(discordId)) throw new RangeError('Discord id must be a snowflake');
  return `discord_${discordId}`;
}
