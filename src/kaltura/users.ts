/**
 * Mirrors a Discord member into Kaltura's user list as `discord_<snowflake>`.
 * `user.add` first (one call for a new member); `DUPLICATE_USER_BY_ID` means the user
 * exists, so `user.update`; `INVALID_USER_ID` on that update means it was deleted in
 * between, so add again. Concurrent adds of one id give one success and one duplicate,
 * which this handles the same way.
 * @see https://developer.kaltura.com/api-docs/service/user
 */
import type { DirectoryMember, MemberDirectory } from '../core/ports/member-directory';
import type { AdminCall } from './admin-call';
import { isApiError } from './errors';
import { asRecord, strField } from './parse';
import { discordUserId } from './privileges';

const MAX_ATTEMPTS = 3;

/** Kaltura rejects names containing `://`; it also has no use for control characters. */
export function cleanUserName(value: string, maxLength: number): string {
  const cleaned = value
    .normalize('NFC')
    .replace(/\s+/gu, ' ')
    .replace(/[\p{Cc}\p{Cf}]/gu, '') // before the URL check, so `:\u200b//` cannot hide a URL
    .replace(/\S*:\/\/\S*/gu, ' ')
    .replace(/ +/g, ' ')
    .trim();
  return [...cleaned].slice(0, maxLength).join('').trim();
}

function userFields(member: DirectoryMember): Record<string, string> {
  const display = cleanUserName(member.displayName, 127);
  const screenName = cleanUserName(member.username ?? member.displayName, 127) || display;
  const space = display.indexOf(' ');
  const firstName = space === -1 ? display : display.slice(0, space);
  const lastName = space === -1 ? '' : display.slice(space + 1);
  let avatar: string | undefined;
  if (member.avatarUrl) {
    const url = URL.canParse(member.avatarUrl) ? new URL(member.avatarUrl) : undefined;
    if (url?.protocol === 'https:') avatar = url.href;
  }
  return {
    ...(screenName && { screenName }),
    ...(firstName && { firstName: cleanUserName(firstName, 40) }),
    ...(lastName && { lastName: cleanUserName(lastName, 40) }),
    ...(avatar && { thumbnailUrl: avatar }),
    partnerData: JSON.stringify({ discordId: member.discordId }),
  };
}

const parseUser = (raw: unknown): string => strField(asRecord(raw, 'user'), 'id');

export function createMemberDirectory(call: AdminCall): MemberDirectory {
  return {
    async upsertMember(member) {
      const userId = discordUserId(member.discordId);
      const fields = userFields(member);
      for (let attempt = 1; ; attempt++) {
        try {
          await call({
            service: 'user',
            action: 'add',
            kind: 'create',
            build: (s) => s.user.add({ objectType: 'KalturaUser', id: userId, ...fields }),
            parse: parseUser,
          });
          return { userId, created: true };
        } catch (err) {
          if (!isApiError(err, 'DUPLICATE_USER_BY_ID') || attempt >= MAX_ATTEMPTS) throw err;
        }
        try {
          await call({
            service: 'user',
            action: 'update',
            kind: 'idempotent',
            build: (s) => s.user.update(userId, { objectType: 'KalturaUser', ...fields }),
            parse: parseUser,
          });
          return { userId, created: false };
        } catch (err) {
          if (!isApiError(err, 'INVALID_USER_ID') || attempt >= MAX_ATTEMPTS) throw err;
        }
      }
    },
  };
}
