import { describe, expect, it } from 'vitest';
import { findSettingKey, parseSettingText, SETTING_KEYS } from '../../../src/core/settings/setting-keys';
import { UserError } from '../../../src/core/user-error';
import { ADMIN, CHANNEL, DEFAULTS, G, OTHER, ROLE_A, ROLE_B, useSettingsDb } from './settings-fixtures';

const refusal = (fn: () => unknown): UserError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof UserError) return err;
    throw err;
  }
  throw new Error('expected a UserError');
};

describe('setting keys', () => {
  it('are the leaves of the schema `defaults`, without the prefix, each with how Discord picks it', () => {
    const kinds = Object.fromEntries(SETTING_KEYS.map((k) => [k.path, k.kind]));
    expect(kinds).toMatchObject({
      'roles.moderatorRoleIds': 'role-list',
      'permissions.startMeetings': 'scalar',
      'permissions.starterRoleIds': 'role-list',
      'meetings.kind': 'scalar',
      'meetings.durationMinutes': 'scalar',
      'meetings.record': 'scalar',
      'notifications.recordingReady.enabled': 'scalar',
      'notifications.recordingReady.channelId': 'channel',
      'notifications.memberJoined.template': 'scalar',
      'kaltura.categoryId': 'scalar',
    });
    expect(SETTING_KEYS).toHaveLength(20);
    expect(SETTING_KEYS.length).toBeLessThanOrEqual(25); // one autocomplete page
  });

  it('an unknown key suggests the closest one; a section lists its keys; the `defaults.` prefix is accepted', () => {
    expect(refusal(() => findSettingKey('meetings.durationMinutse')).message).toBe('unknown setting "meetings.durationMinutse"; did you mean "meetings.durationMinutes"?');
    expect(refusal(() => findSettingKey('roles.moderatorRoles')).id).toBe('settings.unknown-key');
    expect(refusal(() => findSettingKey('meetings')).message).toMatch(/^"meetings" is a section; name one of its keys: meetings\.kind, meetings\.durationMinutes, meetings\.record, meetings\.maxLivePerMember$/);
    expect(findSettingKey('defaults.meetings.kind').path).toBe('meetings.kind');
  });

  it('typed text becomes the schema type: numbers, yes/no, comma lists, role and channel mentions', () => {
    expect(parseSettingText(findSettingKey('meetings.durationMinutes'), ' 90 ')).toBe(90);
    expect(parseSettingText(findSettingKey('meetings.record'), 'yes')).toBe(true);
    expect(parseSettingText(findSettingKey('meetings.record'), 'OFF')).toBe(false);
    expect(parseSettingText(findSettingKey('roles.moderatorRoleIds'), `<@&${ROLE_A}>, ${ROLE_B}`)).toEqual([ROLE_A, ROLE_B]);
    expect(parseSettingText(findSettingKey('roles.moderatorRoleIds'), '')).toEqual([]);
    expect(parseSettingText(findSettingKey('notifications.sessionEnded.channelId'), `<#${CHANNEL}>`)).toBe(CHANNEL);
    expect(refusal(() => parseSettingText(findSettingKey('meetings.durationMinutes'), 'ninety')).message).toBe('meetings.durationMinutes must be a whole number');
    expect(refusal(() => parseSettingText(findSettingKey('meetings.record'), 'maybe')).message).toMatch(/must be true or false/);
  });
});

describe('createGuildSettings', () => {
  const { build } = useSettingsDb();

  it('refuses each kind of invalid value with a clear message and changes nothing', () => {
    const { settings } = build();
    const cases: [string, unknown, string][] = [
      ['roles.moderatorRoleIds', ['moderators'], 'roles.moderatorRoleIds must be a Discord role id (17 to 20 digits) (item 1)'],
      ['roles.moderatorRoleIds', [ROLE_A, ROLE_A], 'roles.moderatorRoleIds must not list the same id twice'],
      ['roles.moderatorRoleIds', ROLE_A, 'roles.moderatorRoleIds must be a list'],
      ['permissions.startMeetings', 'admins', 'permissions.startMeetings must be one of: manage-events, everyone'],
      ['meetings.kind', 'party', 'meetings.kind must be one of: meeting, webinar, classroom'],
      ['meetings.durationMinutes', 0, 'meetings.durationMinutes must be at least 1'],
      ['meetings.durationMinutes', 1441, 'meetings.durationMinutes must be at most 1440'],
      ['meetings.durationMinutes', 1.5, 'meetings.durationMinutes must be a whole number'],
      ['meetings.record', 'yes', 'meetings.record must be true or false'],
      ['notifications.recordingReady.channelId', 'general', 'notifications.recordingReady.channelId must be a Discord channel id (17 to 20 digits)'],
      ['notifications.sessionEnded.template', '', 'notifications.sessionEnded.template must be at least 1 character long'],
      ['notifications.sessionEnded.template', 'x'.repeat(1801), 'notifications.sessionEnded.template must be at most 1800 characters long'],
    ];
    for (const [key, value, message] of cases) {
      const err = refusal(() => settings.set(G, key, value, ADMIN));
      expect(err.id, key).toBe('settings.invalid');
      expect(err.message, key).toBe(message);
    }
    expect(refusal(() => settings.set(G, 'meetings.duration', 30, ADMIN)).message).toMatch(/did you mean "meetings\.durationMinutes"/);
    expect(settings.view(G).every((v) => v.source === 'default')).toBe(true);
    expect(settings.audit(G)).toEqual([]);
  });

  it('layers server values over the defaults, per server, in both policy lookups', () => {
    const { settings } = build();
    settings.set(G, 'roles.moderatorRoleIds', [ROLE_A, ROLE_B], ADMIN);
    settings.set(G, 'permissions.startMeetings', 'everyone', ADMIN);
    settings.set(G, 'meetings.durationMinutes', 90, ADMIN);
    settings.set(G, 'notifications.recordingReady.channelId', CHANNEL, ADMIN);
    settings.set(G, 'notifications.memberJoined.enabled', true, ADMIN);

    expect(settings.policyFor(G)).toEqual({
      moderatorRoleIds: [ROLE_A, ROLE_B],
      startMeetings: 'everyone',
      starterRoleIds: [],
      defaultKind: 'meeting',
      defaultDurationMinutes: 90,
      defaultRecord: false,
      maxLivePerMember: 0,
    });
    expect(settings.notificationPolicyFor(G).recordingReady).toEqual({ enabled: true, channelId: CHANNEL, template: DEFAULTS.notifications.recordingReady.template });
    expect(settings.notificationPolicyFor(G).memberJoined.enabled).toBe(true);
    // Another server still gets the defaults.
    expect(settings.policyFor(OTHER)).toMatchObject({ moderatorRoleIds: [ROLE_A], startMeetings: 'manage-events', defaultDurationMinutes: 60 });
    expect(settings.notificationPolicyFor(OTHER).recordingReady.channelId).toBeUndefined();

    const view = Object.fromEntries(settings.view(G).map((v) => [v.key, v]));
    expect(view['meetings.durationMinutes']).toMatchObject({ value: 90, source: 'server', updatedBy: ADMIN, updatedAt: 1_700_000_000_000 });
    expect(view['meetings.kind']).toMatchObject({ value: 'meeting', source: 'default' });
    expect(view['notifications.sessionEnded.channelId']).toMatchObject({ value: undefined, source: 'default', kind: 'channel' });
    expect(DEFAULTS.roles.moderatorRoleIds).toEqual([ROLE_A]); // the defaults are never written to
  });

  it('writes one audit entry per change, newest first, and none when nothing changes', () => {
    let t = 1_000;
    const { settings } = build(undefined, () => (t += 1000));
    settings.set(G, 'meetings.durationMinutes', 90, ADMIN);
    settings.set(G, 'meetings.durationMinutes', 90, ADMIN); // same value: no change, no entry
    expect(settings.set(G, 'meetings.durationMinutes', 120, 'cli:ops')).toEqual({ key: 'meetings.durationMinutes', oldValue: 90, newValue: 120 });
    expect(settings.reset(G, 'meetings.durationMinutes', ADMIN)).toEqual([{ key: 'meetings.durationMinutes', oldValue: 120, newValue: undefined }]);
    expect(settings.audit(G)).toEqual([
      { guildId: G, key: 'meetings.durationMinutes', oldValue: 120, newValue: undefined, actor: ADMIN, at: 4_000 },
      { guildId: G, key: 'meetings.durationMinutes', oldValue: 90, newValue: 120, actor: 'cli:ops', at: 3_000 },
      { guildId: G, key: 'meetings.durationMinutes', oldValue: undefined, newValue: 90, actor: ADMIN, at: 2_000 },
    ]);
    expect(settings.audit(G, 1)).toHaveLength(1);
    expect(settings.audit(OTHER)).toEqual([]);
  });

  it('reset of one key or of all restores the defaults; resetting a default is a no-op', () => {
    const { settings } = build();
    settings.set(G, 'meetings.kind', 'webinar', ADMIN);
    settings.set(G, 'meetings.record', true, ADMIN);
    settings.set(OTHER, 'meetings.record', true, ADMIN);
    expect(settings.reset(G, 'meetings.durationMinutes', ADMIN)).toEqual([]);
    expect(settings.reset(G, 'meetings.kind', ADMIN)).toHaveLength(1);
    expect(settings.policyFor(G)).toMatchObject({ defaultKind: 'meeting', defaultRecord: true });
    expect(settings.reset(G, 'all', ADMIN).map((c) => c.key)).toEqual(['meetings.record']);
    expect(settings.policyFor(G)).toMatchObject({ defaultKind: 'meeting', defaultRecord: false });
    expect(settings.policyFor(OTHER).defaultRecord).toBe(true);
    expect(settings.audit(G).map((e) => [e.key, e.newValue])).toEqual([['meetings.record', undefined], ['meetings.kind', undefined], ['meetings.record', true], ['meetings.kind', 'webinar']]);
  });

  it('caches each server until a change, and notices a change written by another process', () => {
    const { settings, file, repo } = build();
    let reads = 0;
    const list = repo.list.bind(repo);
    repo.list = (g) => (reads++, list(g));
    expect(settings.policyFor(G)).toBe(settings.policyFor(G));
    settings.notificationPolicyFor(G);
    expect(reads).toBe(1);
    settings.set(G, 'meetings.durationMinutes', 45, ADMIN);
    expect(settings.policyFor(G).defaultDurationMinutes).toBe(45); // invalidated by its own write

    // The CLI, on its own connection to the same file, while `serve` runs.
    const cli = build(file).settings;
    cli.set(G, 'meetings.durationMinutes', 30, 'cli:ops');
    expect(settings.policyFor(G).defaultDurationMinutes).toBe(30);
    expect(settings.audit(G)[0]).toMatchObject({ actor: 'cli:ops', oldValue: 45, newValue: 30 });
  });

  it('ignores stored values that no longer pass the schema or name no key (a newer schema), and reset all removes them', () => {
    const { settings, db } = build();
    db.prepare("INSERT INTO guild_settings (guild_id, key, value, updated_at, updated_by) VALUES (?, 'meetings.durationMinutes', '99999', 1, 'x'), (?, 'meetings.gone', 'true', 1, 'x')").run(G, G);
    expect(settings.policyFor(G).defaultDurationMinutes).toBe(60);
    expect(settings.get(G, 'meetings.durationMinutes')).toMatchObject({ value: 60, source: 'default' });
    expect(settings.reset(G, 'all', ADMIN).map((c) => c.key).sort()).toEqual(['meetings.durationMinutes', 'meetings.gone']);
  });
});
