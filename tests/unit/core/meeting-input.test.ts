import { describe, expect, it } from 'vitest';
import type { GuildPolicy } from '../../../src/core/meetings/guild-policy';
import { isMeetingId, newMeetingId, newTokenId } from '../../../src/core/meetings/meeting-ids';
import { policyFromConfig } from '../../../src/core/meetings/policy-from-config';
import { validateStartInput } from '../../../src/core/meetings/validate-start-input';
import { UserError } from '../../../src/core/user-error';

const policy: GuildPolicy = {
  moderatorRoleIds: [],
  startMeetings: 'manage-events',
  starterRoleIds: [],
  defaultKind: 'webinar',
  defaultDurationMinutes: 45,
  defaultRecord: true,
};
const base = { guildId: '1', channelId: '2', title: 'Standup' };

function invalid(input: Parameters<typeof validateStartInput>[0]): string {
  try {
    validateStartInput(input, policy);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).id).toBe('meeting.invalid');
    return (err as UserError).message;
  }
  throw new Error('expected meeting.invalid');
}

describe('meeting ids', () => {
  it('are m_ plus 16 base32 characters, from the injected randomness', () => {
    expect(newMeetingId(() => new Uint8Array(10))).toBe('m_aaaaaaaaaaaaaaaa');
    expect(newMeetingId(() => new Uint8Array(10).fill(255))).toBe('m_7777777777777777');
    // 0x00 0x44 0x32 0x14 0xc7 = 00000 00001 00010 00011 00100 00101 00110 00111 -> a b c d e f g h
    expect(newMeetingId(() => Uint8Array.from([0x00, 0x44, 0x32, 0x14, 0xc7, 0x00, 0x44, 0x32, 0x14, 0xc7]))).toBe('m_abcdefghabcdefgh');
    const id = newMeetingId((n) => crypto.getRandomValues(new Uint8Array(n)));
    expect(isMeetingId(id)).toBe(true);
    expect(isMeetingId('m_ABCDEFGHABCDEFGH')).toBe(false);
    expect(isMeetingId('m_abc')).toBe(false);
  });

  it('token ids are 128 bits in base64url', () => {
    expect(newTokenId(() => new Uint8Array(16).fill(251))).toBe('-_v7-_v7-_v7-_v7-_v7-w');
  });
});

describe('start input', () => {
  it('fills the server defaults and trims text', () => {
    expect(validateStartInput({ ...base, title: '  Standup  ', description: '  notes ' }, policy)).toEqual({
      kind: 'webinar',
      title: 'Standup',
      description: 'notes',
      durationMinutes: 45,
      record: true,
    });
  });

  it('keeps what the member chose, and drops a blank description', () => {
    expect(validateStartInput({ ...base, kind: 'classroom', durationMinutes: 1440, record: false, description: '   ' }, policy)).toEqual({
      kind: 'classroom',
      title: 'Standup',
      durationMinutes: 1440,
      record: false,
    });
  });

  it('counts characters, not UTF-16 units (100 emoji is a valid title)', () => {
    expect(validateStartInput({ ...base, title: '🎥'.repeat(100) }, policy).title).toHaveLength(200);
  });

  it.each([
    ['an empty title', { title: '   ' }, 'title must be 1 to 100'],
    ['a 101-character title', { title: 'x'.repeat(101) }, 'title must be 1 to 100'],
    ['a 1001-character description', { description: 'x'.repeat(1001) }, 'at most 1000'],
    ['0 minutes', { durationMinutes: 0 }, 'from 1 to 1440'],
    ['1441 minutes', { durationMinutes: 1441 }, 'from 1 to 1440'],
    ['1.5 minutes', { durationMinutes: 1.5 }, 'from 1 to 1440'],
    ['NaN minutes', { durationMinutes: Number.NaN }, 'from 1 to 1440'],
    ['an unknown kind', { kind: 'party' as never }, 'meeting, webinar or classroom'],
  ])('refuses %s', (_label, over, message) => {
    expect(invalid({ ...base, ...over })).toContain(message);
  });
});

describe('policyFromConfig', () => {
  it('gives every server the YAML defaults', async () => {
    const lookup = policyFromConfig({
      roles: { moderatorRoleIds: ['7'] },
      permissions: { startMeetings: 'everyone', starterRoleIds: ['8'] },
      meetings: { kind: 'classroom', durationMinutes: 30, record: true, maxLivePerMember: 2 },
    });
    const expected: GuildPolicy = { moderatorRoleIds: ['7'], startMeetings: 'everyone', starterRoleIds: ['8'], defaultKind: 'classroom', defaultDurationMinutes: 30, defaultRecord: true, maxLivePerMember: 2 };
    expect(await lookup('1')).toEqual(expected);
    expect(await lookup('2')).toEqual(expected);
    expect(Object.isFrozen(await lookup('1'))).toBe(true);
  });
});
