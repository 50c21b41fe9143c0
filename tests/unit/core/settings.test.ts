import { describe, expect, it } from 'vitest';
import type { StoredSetting } from '../../../src/core/ports/settings-repo';
import { findSettingKey, parseSettingText, SETTING_KEYS } from '../../../src/core/settings/setting-keys';
import { UserError } from '../../../src/core/user-error';
import { STORE_DRIVERS } from '../../helpers/stores';
import { until } from '../../helpers/until';
import { ADMIN, CHANNEL, DEFAULTS, G, OTHER, rawSql, ROLE_A, ROLE_B, useSettingsStores } from './settings-fixtures';

const refusal = (fn: () => unknown): UserError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof UserError) return err;
    throw err;
  }
  throw new Error('expected a UserError');
};

const refusedWith = async (promise: Promise<unknown>): Promise<UserError> => {
  try {
    await promise;
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

describe.each(STORE_DRIVERS)('createGuildSettings (%s)', (driver) => {
  const { first, second } = useSettingsStores(driver);

  it('refuses each kind of invalid value with a clear message and changes nothing', async () => {
    const { settings } = await first();
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
      const err = await refusedWith(settings.set(G, key, value, ADMIN));
      expect(err.id, key).toBe('settings.invalid');
      expect(err.message, key).toBe(message);
    }
    expect((await refusedWith(settings.set(G, 'meetings.duration', 30, ADMIN))).message).toMatch(/did you mean "meetings\.durationMinutes"/);
    expect((await refusedWith(settings.audit(G, 0))).id).toBe('settings.invalid');
    expect((await settings.view(G)).every((v) => v.source === 'default')).toBe(true);
    expect(await settings.audit(G)).toEqual([]);
  });

  it('layers server values over the defaults, per server, in both policy lookups', async () => {
    const { settings } = await first();
    await settings.set(G, 'roles.moderatorRoleIds', [ROLE_A, ROLE_B], ADMIN);
    await settings.set(G, 'permissions.startMeetings', 'everyone', ADMIN);
    await settings.set(G, 'meetings.durationMinutes', 90, ADMIN);
    await settings.set(G, 'notifications.recordingReady.channelId', CHANNEL, ADMIN);
    await settings.set(G, 'notifications.memberJoined.enabled', true, ADMIN);

    expect(await settings.policyFor(G)).toEqual({
      moderatorRoleIds: [ROLE_A, ROLE_B],
      startMeetings: 'everyone',
      starterRoleIds: [],
      defaultKind: 'meeting',
      defaultDurationMinutes: 90,
      defaultRecord: false,
      maxLivePerMember: 0,
    });
    expect((await settings.notificationPolicyFor(G)).recordingReady).toEqual({ enabled: true, channelId: CHANNEL, template: DEFAULTS.notifications.recordingReady.template });
    expect((await settings.notificationPolicyFor(G)).memberJoined.enabled).toBe(true);
    // Another server still gets the defaults.
    expect(await settings.policyFor(OTHER)).toMatchObject({ moderatorRoleIds: [ROLE_A], startMeetings: 'manage-events', defaultDurationMinutes: 60 });
    expect((await settings.notificationPolicyFor(OTHER)).recordingReady.channelId).toBeUndefined();

    const view = Object.fromEntries((await settings.view(G)).map((v) => [v.key, v]));
    expect(view['meetings.durationMinutes']).toMatchObject({ value: 90, source: 'server', updatedBy: ADMIN, updatedAt: 1_700_000_000_000 });
    expect(view['meetings.kind']).toMatchObject({ value: 'meeting', source: 'default' });
    expect(view['notifications.sessionEnded.channelId']).toMatchObject({ value: undefined, source: 'default', kind: 'channel' });
    expect(await settings.get(G, 'defaults.meetings.durationMinutes')).toMatchObject({ value: 90, source: 'server' });
    expect(DEFAULTS.roles.moderatorRoleIds).toEqual([ROLE_A]); // the defaults are never written to
  });

  it('writes one audit entry per change, newest first, and none when nothing changes', async () => {
    let t = 1_000;
    const { settings } = await first(() => (t += 1000));
    await settings.set(G, 'meetings.durationMinutes', 90, ADMIN);
    expect(await settings.set(G, 'meetings.durationMinutes', 90, ADMIN)).toBeUndefined(); // same value: no change, no entry
    expect(await settings.set(G, 'meetings.durationMinutes', 120, 'cli:ops')).toEqual({ key: 'meetings.durationMinutes', oldValue: 90, newValue: 120 });
    expect(await settings.reset(G, 'meetings.durationMinutes', ADMIN)).toEqual([{ key: 'meetings.durationMinutes', oldValue: 120, newValue: undefined }]);
    expect(await settings.audit(G)).toEqual([
      { guildId: G, key: 'meetings.durationMinutes', oldValue: 120, newValue: undefined, actor: ADMIN, at: 4_000 },
      { guildId: G, key: 'meetings.durationMinutes', oldValue: 90, newValue: 120, actor: 'cli:ops', at: 3_000 },
      { guildId: G, key: 'meetings.durationMinutes', oldValue: undefined, newValue: 90, actor: ADMIN, at: 2_000 },
    ]);
    expect(await settings.audit(G, 1)).toHaveLength(1);
    expect(await settings.audit(OTHER)).toEqual([]);
  });

  it('reset of one key or of all restores the defaults; resetting a default is a no-op', async () => {
    const { settings } = await first();
    await settings.set(G, 'meetings.kind', 'webinar', ADMIN);
    await settings.set(G, 'meetings.record', true, ADMIN);
    await settings.set(OTHER, 'meetings.record', true, ADMIN);
    expect(await settings.reset(G, 'meetings.durationMinutes', ADMIN)).toEqual([]);
    expect(await settings.reset(G, 'meetings.kind', ADMIN)).toHaveLength(1);
    expect(await settings.policyFor(G)).toMatchObject({ defaultKind: 'meeting', defaultRecord: true });
    expect((await settings.reset(G, 'all', ADMIN)).map((c) => c.key)).toEqual(['meetings.record']);
    expect(await settings.policyFor(G)).toMatchObject({ defaultKind: 'meeting', defaultRecord: false });
    expect((await settings.policyFor(OTHER)).defaultRecord).toBe(true);
    expect((await settings.audit(G)).map((e) => [e.key, e.newValue])).toEqual([['meetings.record', undefined], ['meetings.kind', undefined], ['meetings.record', true], ['meetings.kind', 'webinar']]);
  });

  it('caches each server until its own write drops it, and reads through the caller’s transaction inside one', async () => {
    const { store, settingsOver } = await first();
    let reads = 0;
    const counted = { ...store, settings: { ...store.settings, list: (g: string) => (reads++, store.settings.list(g)) } };
    const settings = settingsOver(counted);
    expect(await settings.policyFor(G)).toBe(await settings.policyFor(G));
    await settings.notificationPolicyFor(G);
    expect(reads).toBe(1);
    await settings.set(G, 'meetings.durationMinutes', 45, ADMIN);
    expect((await settings.policyFor(G)).defaultDurationMinutes).toBe(45); // invalidated by its own write
    expect(reads).toBe(2);
    // Inside a unit of work the store's own repositories refuse; the lookup reads through tx.
    await settings.set(OTHER, 'meetings.record', true, ADMIN);
    expect(await store.transaction(async (tx) => (await settings.notificationPolicyFor(OTHER, tx)) && (await settings.policyFor(OTHER, tx)).defaultRecord)).toBe(true);
  });

  it('a read that began before a write does not leave the old value cached', async () => {
    const { store, settingsOver } = await first();
    let gate: (() => void) | undefined;
    const held = new Promise<void>((resolve) => (gate = resolve));
    let first_ = true;
    const slow = {
      ...store,
      settings: {
        ...store.settings,
        async list(g: string): Promise<StoredSetting[]> {
          const rows = await store.settings.list(g);
          if (first_) {
            first_ = false;
            await held; // the rows read before the write below reach the cache only after it
          }
          return rows;
        },
      },
    };
    const settings = settingsOver(slow);
    const before = settings.policyFor(G);
    await until('the first read to have read its rows', () => !first_);
    await settings.set(G, 'meetings.durationMinutes', 15, ADMIN);
    gate!();
    expect((await before).defaultDurationMinutes).toBe(60); // it began before the write
    expect((await settings.policyFor(G)).defaultDurationMinutes).toBe(15);
  });

  it('another instance on the same database drops its cached copy once a write there is committed', async () => {
    const a = await first();
    const b = await second(a.opened);
    expect((await b.settings.policyFor(G)).defaultDurationMinutes).toBe(60); // cached on b
    const heard: string[] = [];
    b.opened.changes.subscribe('settings', (key) => heard.push(key));
    await a.settings.set(G, 'meetings.durationMinutes', 30, 'cli:ops');
    if (driver === 'postgres') await until('b to hear of the change (NOTIFY)', () => heard.includes(G)); // SQLite: the file's data_version, no message
    expect((await b.settings.policyFor(G)).defaultDurationMinutes).toBe(30);
    expect((await b.settings.audit(G))[0]).toMatchObject({ actor: 'cli:ops', oldValue: undefined, newValue: 30 });
    // …and the other way round.
    const heardByA: string[] = [];
    a.opened.changes.subscribe('settings', (key) => heardByA.push(key));
    await b.settings.set(G, 'meetings.durationMinutes', 20, ADMIN);
    if (driver === 'postgres') await until('a to hear of the change (NOTIFY)', () => heardByA.includes(G));
    expect((await a.settings.policyFor(G)).defaultDurationMinutes).toBe(20);
  });

  it('ignores stored values that no longer pass the schema or name no key (a newer schema), and reset all removes them', async () => {
    const { settings, opened } = await first();
    await rawSql(opened, "INSERT INTO guild_settings (guild_id, key, value, updated_at, updated_by) VALUES (?, 'meetings.durationMinutes', '99999', 1, 'x'), (?, 'meetings.gone', 'true', 1, 'x')", [G, G]);
    expect((await settings.policyFor(G)).defaultDurationMinutes).toBe(60);
    expect(await settings.get(G, 'meetings.durationMinutes')).toMatchObject({ value: 60, source: 'default' });
    expect((await settings.reset(G, 'all', ADMIN)).map((c) => c.key).sort()).toEqual(['meetings.durationMinutes', 'meetings.gone']);
  });
});

/** Two PostgreSQL instances at once (two SQLite stores in one process would block each other's thread). */
describe('createGuildSettings, several instances (postgres)', () => {
  const { first, second } = useSettingsStores('postgres');

  it('two instances changing one setting at once: the audit chains (each sees the other’s value as the old one)', async () => {
    const a = await first();
    const b = await second(a.opened);
    await Promise.all([a.settings.set(G, 'meetings.durationMinutes', 90, ADMIN), b.settings.set(G, 'meetings.durationMinutes', 120, 'cli:ops')]);
    const [newer, older] = await a.settings.audit(G);
    expect(older!.oldValue).toBeUndefined();
    expect(newer!.oldValue).toBe(older!.newValue);
    expect((await a.settings.get(G, 'meetings.durationMinutes')).value).toBe(newer!.newValue);
  });
});
