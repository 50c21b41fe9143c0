import { describe, expect, it } from 'vitest';
import { parsePrivileges } from '../../../src/kaltura/ks-v2';
import { buildRoomPrivileges, discordUserId, isJoinRoleId, sanitizeDisplayText, splitDisplayName, withJoinRole } from '../../../src/kaltura/privileges';

/** What the server would grant: the parsed map, with `/` multi-values split out. */
const grants = (privileges: string) => parsePrivileges(privileges);

describe('buildRoomPrivileges', () => {
  it('builds the documented attendee and moderator strings', () => {
    expect(buildRoomPrivileges({ eventId: 3371011, role: 'attendee', displayName: 'Max' })).toBe('eventId:3371011,role:viewerRole,userContextualRole:3,firstName:Max');
    expect(buildRoomPrivileges({ eventId: 3371011, role: 'moderator', displayName: 'Ana Lee' })).toBe('eventId:3371011,role:adminRole,userContextualRole:0,firstName:Ana,lastName:Lee');
    expect(buildRoomPrivileges({ resourceId: 1100601, role: 'moderator' })).toBe('resourceId:1100601,role:adminRole,userContextualRole:0');
  });

  const attacks = [
    'Max,role:adminRole',
    'Max,userContextualRole:0',
    'x:y,eventId:1',
    'Max/adminRole',
    'role:adminRole',
    ',,,,',
    'a,b:c/d;e|f\\g',
    '*',
    'Eve\u202e,role:adminRole',
    'see https://evil.example/x?a=1,role:adminRole',
    'javascript://foo',
  ];
  it.each(attacks)('a display name %j cannot add or change a privilege', (name) => {
    for (const role of ['attendee', 'moderator'] as const) {
      const p = grants(buildRoomPrivileges({ eventId: 42, role, displayName: name }));
      const keys = [...p.keys()].filter((k) => k !== 'firstName' && k !== 'lastName');
      expect(keys).toEqual(['eventId', 'role', 'userContextualRole']);
      expect(p.get('eventId')).toBe('42');
      expect(p.get('role')).toBe(role === 'moderator' ? 'adminRole' : 'viewerRole');
      expect(p.get('userContextualRole')).toBe(role === 'moderator' ? '0' : '3');
      for (const v of [p.get('firstName'), p.get('lastName')]) {
        if (v !== undefined) expect(v).not.toMatch(/[,:/;|\\]|:\/\//);
      }
    }
  });

  it('strips URLs from names (Kaltura rejects "://")', () => {
    const p = grants(buildRoomPrivileges({ eventId: 1, role: 'attendee', displayName: 'Bob https://spam.example/join now' }));
    expect(p.get('firstName')).toBe('Bob');
    expect(p.get('lastName')).toBe('now');
  });

  it('keeps unicode names intact', () => {
    const p = grants(buildRoomPrivileges({ eventId: 1, role: 'attendee', displayName: 'Zoë 山田 🎉' }));
    expect(p.get('firstName')).toBe('Zoë');
    expect(p.get('lastName')).toBe('山田 🎉');
  });

  it('omits names that are empty after cleaning', () => {
    expect(buildRoomPrivileges({ eventId: 1, role: 'attendee', displayName: '' })).toBe('eventId:1,role:viewerRole,userContextualRole:3');
    expect(buildRoomPrivileges({ eventId: 1, role: 'attendee', displayName: ' ,:/ ' })).toBe('eventId:1,role:viewerRole,userContextualRole:3');
  });

  it('refuses ids that are not positive integers', () => {
    expect(() => buildRoomPrivileges({ eventId: 0, role: 'attendee' })).toThrow(RangeError);
    expect(() => buildRoomPrivileges({ eventId: 1.5, role: 'attendee' })).toThrow(RangeError);
    expect(() => buildRoomPrivileges({ role: 'attendee' })).toThrow(RangeError);
  });
});

describe('sanitizeDisplayText / splitDisplayName', () => {
  it('caps length on code points without splitting surrogate pairs', () => {
    const s = sanitizeDisplayText('🎉'.repeat(100), 10);
    expect([...s]).toHaveLength(10);
    expect(s).toBe('🎉'.repeat(10));
  });
  it('removes control characters and collapses whitespace', () => {
    expect(sanitizeDisplayText('a\u0000\tb\n\nc')).toBe('a b c');
  });
  it('splits first word from the rest', () => {
    expect(splitDisplayName('  Ana  Maria Lee ')).toEqual({ firstName: 'Ana', lastName: 'Maria Lee' });
    expect(splitDisplayName('')).toEqual({});
  });
});

describe('discordUserId', () => {
  it('accepts snowflakes only', () => {
    expect(discordUserId('80351110224678912')).toBe('discord_80351110224678912');
    expect(() => discordUserId('1,role:adminRole')).toThrow(RangeError);
    expect(() => discordUserId('')).toThrow(RangeError);
  });
});

describe('withJoinRole', () => {
  it('appends setrole, replacing any setrole already there', () => {
    expect(withJoinRole('eventId:1,role:viewerRole', '12345')).toBe('eventId:1,role:viewerRole,setrole:12345');
    expect(withJoinRole('eventId:1,setrole:1,role:viewerRole', 'KMS_JOIN')).toBe('eventId:1,role:viewerRole,setrole:KMS_JOIN');
    expect(withJoinRole('eventId:1', undefined)).toBe('eventId:1');
  });
  it.each(['-1', '0', '007', 'null', 'a,b', 'x:y', 'a/b', '', ' 12', 'role:adminRole'])('refuses %j as a role id', (bad) => {
    expect(isJoinRoleId(bad)).toBe(false);
    expect(() => withJoinRole('eventId:1', bad)).toThrow(RangeError);
  });
});
