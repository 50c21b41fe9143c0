import { describe, expect, it } from 'vitest';
import { PERMISSION, type Actor } from '../../../src/core/meetings/actor';
import type { GuildPolicy } from '../../../src/core/meetings/guild-policy';
import { decideRole, mayEnd, mayManageMeetings, mayStart, startForbiddenMessage, endForbiddenMessage } from '../../../src/core/meetings/roles';

const HOST = '100000000000000001';
const MOD_ROLE = '200000000000000001';
/** Another role that happens to be called "Moderator" too: only the id counts. */
const SAME_NAME_OTHER_ID = '200000000000000099';
const STARTER_ROLE = '300000000000000001';

const policy = (over: Partial<GuildPolicy> = {}): GuildPolicy => ({
  moderatorRoleIds: [MOD_ROLE],
  startMeetings: 'manage-events',
  starterRoleIds: [STARTER_ROLE],
  defaultKind: 'meeting',
  defaultDurationMinutes: 60,
  defaultRecord: false,
  ...over,
});

const actor = (id: string, over: Partial<Actor> = {}): Actor => ({ id, displayName: `user ${id}`, roleIds: [], permissions: 0n, ...over });
const meeting = { hostId: HOST };

const members: Array<[string, Actor, { role: 'moderator' | 'attendee'; mayEnd: boolean; mayStart: boolean }]> = [
  ['the host (no permissions)', actor(HOST), { role: 'moderator', mayEnd: true, mayStart: false }],
  ['Manage Events', actor('5', { permissions: PERMISSION.manageEvents }), { role: 'moderator', mayEnd: true, mayStart: true }],
  ['Manage Server', actor('6', { permissions: PERMISSION.manageGuild }), { role: 'moderator', mayEnd: true, mayStart: true }],
  ['Administrator', actor('7', { permissions: PERMISSION.administrator }), { role: 'moderator', mayEnd: true, mayStart: true }],
  ['a mapped moderator role id', actor('8', { roleIds: ['1', MOD_ROLE] }), { role: 'moderator', mayEnd: true, mayStart: false }],
  ['a role with the same name but another id', actor('9', { roleIds: [SAME_NAME_OTHER_ID] }), { role: 'attendee', mayEnd: false, mayStart: false }],
  ['a starter role only', actor('10', { roleIds: [STARTER_ROLE] }), { role: 'attendee', mayEnd: false, mayStart: true }],
  ['unrelated permissions (Send Messages, Manage Messages)', actor('11', { permissions: (1n << 11n) | (1n << 13n) }), { role: 'attendee', mayEnd: false, mayStart: false }],
  ['a plain member', actor('12'), { role: 'attendee', mayEnd: false, mayStart: false }],
];

describe('role decision and permissions (by id and permission bits only)', () => {
  it.each(members)('%s', (_label, who, want) => {
    expect(decideRole(who, meeting, policy())).toBe(want.role);
    expect(mayEnd(who, meeting, policy())).toBe(want.mayEnd);
    expect(mayStart(who, policy())).toBe(want.mayStart);
  });

  it('lets everyone start when the server says so, without making them moderators', () => {
    const plain = actor('12');
    expect(mayStart(plain, policy({ startMeetings: 'everyone' }))).toBe(true);
    expect(decideRole(plain, meeting, policy({ startMeetings: 'everyone' }))).toBe('attendee');
    expect(mayEnd(plain, meeting, policy({ startMeetings: 'everyone' }))).toBe(false);
  });

  it('does not treat a starter role as a moderator role, nor the reverse', () => {
    const p = policy({ moderatorRoleIds: [], starterRoleIds: [STARTER_ROLE] });
    expect(mayManageMeetings(actor('1', { roleIds: [STARTER_ROLE] }), p)).toBe(false);
    expect(mayStart(actor('1', { roleIds: [MOD_ROLE] }), policy({ starterRoleIds: [] }))).toBe(false);
  });

  it('ignores an empty role id in either list', () => {
    const p = policy({ moderatorRoleIds: [''], starterRoleIds: [''] });
    const weird = actor('1', { roleIds: [''] });
    expect(decideRole(weird, meeting, p)).toBe('attendee');
    expect(mayStart(weird, p)).toBe(false);
  });

  it('explains who may start and who may end, naming roles by mention (ids), not by name', () => {
    expect(startForbiddenMessage(policy())).toBe(
      `You cannot start meetings in this server. Meetings can be started by members with the Manage Events or Manage Server permission, and members with one of these roles: <@&${STARTER_ROLE}>.`,
    );
    expect(startForbiddenMessage(policy({ starterRoleIds: [] }))).not.toContain('roles');
    expect(endForbiddenMessage(meeting, policy())).toBe(
      `Only the host (<@${HOST}>), members with one of these roles: <@&${MOD_ROLE}>, or members with the Manage Events or Manage Server permission can end this meeting.`,
    );
  });
});
