import { afterEach, describe, expect, it } from 'vitest';
import { commandDefinitions } from '../../src/discord/commands/kaltura-command';
import type { FakeMember } from '../fakes/discord/types';
import { useTempDirs } from '../helpers/temp-dir';
import { IDS, linkButtonUrl, members, startHarness, type Harness, buttonsOf, until } from './meeting-harness';

const MANAGE_SERVER = 1n << 5n;
const ADMINISTRATOR = 1n << 3n;
const ANNOUNCEMENTS = IDS.announcements;
const admin: FakeMember = { id: '1500000000000000010', username: 'ada', roles: [], permissions: MANAGE_SERVER };
const otherAdmin: FakeMember = { id: '1500000000000000011', username: 'ali', roles: [], permissions: ADMINISTRATOR };



describe('/kaltura-admin end to end: per-server settings change the next join and the next notification', () => {
  const tempDir = useTempDirs();
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  /** Registers the commands in the fake (as `register-commands` would), so options arrive typed as Discord types them. */
  async function registerCommands(harness: Harness) {
    const res = await fetch(`${harness.discord.apiBaseUrl}/v10/applications/${IDS.app}/guilds/${IDS.guild}/commands`, {
      method: 'PUT',
      headers: { authorization: `Bot ${harness.discord.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(commandDefinitions),
    });
    expect(res.status).toBe(200);
  }

  const adminCommand = (harness: Harness, member: FakeMember, subcommand: string, options: Record<string, string | number> = {}) =>
    harness.discord.invokeCommand({
      guildId: IDS.guild,
      channelId: IDS.channel,
      member,
      name: 'kaltura-admin',
      ...(subcommand === 'audit' ? {} : { group: 'settings' }),
      subcommand,
      options,
    });

  const viewLines = async (harness: Harness) => {
    const view = await adminCommand(harness, admin, 'view').reply();
    return view.embeds[0]!.fields!.map((f) => `${f.name}\n${f.value}`).join('\n');
  };

  it('an admin adds a moderator role and routes recording-ready; the next join and notification use them; audit; reset with confirmation', async () => {
    h = await startHarness(tempDir());
    await registerCommands(h);
    const registered = h.discord.commands(IDS.guild).find((c) => c.name === 'kaltura-admin')!;
    expect(registered.default_member_permissions).toBe('32');

    // Autocomplete offers the role lists for set-role, with what they are now.
    const ac = h.discord.autocomplete({ guildId: IDS.guild, channelId: IDS.channel, member: admin, name: 'kaltura-admin', group: 'settings', subcommand: 'set-role', focused: 'key', value: 'mod' });
    const choices = ((await ac.acknowledged).data as { choices: { name: string; value: string }[] }).choices;
    expect(choices).toEqual([{ name: 'roles.moderatorRoleIds = 1 role', value: 'roles.moderatorRoleIds' }]);

    // Students become moderators; recording-ready goes to the announcements channel.
    const role = await adminCommand(h, admin, 'set-role', { key: 'roles.moderatorRoleIds', role: IDS.studentsRole }).reply();
    expect(role.ephemeral).toBe(true);
    expect(role.content).toBe(`✅ \`roles.moderatorRoleIds\` is now <@&${IDS.teachersRole}>, <@&${IDS.studentsRole}> on this server (was <@&${IDS.teachersRole}>, the default). It applies from the next interaction.`);
    const channel = await adminCommand(h, admin, 'set-channel', { key: 'notifications.recordingReady.channelId', channel: ANNOUNCEMENTS }).reply();
    expect(channel.content).toContain(`is now <#${ANNOUNCEMENTS}> on this server (was the meeting's channel, the default)`);

    const shown = await viewLines(h);
    expect(shown).toContain(`✏️ \`moderatorRoleIds\`: <@&${IDS.teachersRole}>, <@&${IDS.studentsRole}> · *server*`);
    expect(shown).toContain(`✏️ \`channelId\`: <#${ANNOUNCEMENTS}> · *server*`);
    expect(shown).toContain('`durationMinutes`: 60 · *default*');

    // The next join of a student opens KAF as a moderator.
    await h.discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.host, name: 'kaltura', subcommand: 'start', options: { title: 'Physics' } }).reply();
    const card = h.discord.channelMessages(IDS.channel).at(-1)!;
    const resourceId = [...h.kaltura.store.resources.keys()].at(-1)!;
    const join = buttonsOf(card).find((b) => b.label === 'Join')!;
    const joined = await h.discord.clickButton({ guildId: IDS.guild, channelId: IDS.channel, member: members.student, messageId: card.id, customId: join.custom_id! }).reply();
    const res = await fetch(linkButtonUrl(joined), { redirect: 'manual' });
    await fetch(res.headers.get('location')!);
    expect(h.kaltura.launches.at(-1)).toMatchObject({ userId: `discord_${IDS.student}`, role: 'adminRole' });

    // The next recording-ready notification goes to the new channel, not under the card.
    const end = buttonsOf(card).find((b) => b.label === 'End')!;
    await h.discord.clickButton({ guildId: IDS.guild, channelId: IDS.channel, member: members.host, messageId: card.id, customId: end.custom_id! }).reply();
    const entry = h.kaltura.addRecording(resourceId);
    expect((await h.kaltura.emitWebhook(`${h.publicUrl}/webhooks/kaltura`, { entry, eventType: 3, jobId: 880001 })).status).toBe(200);
    const posted = await until('the recording-ready post', () => h!.discord.requests.find((r) => r.method === 'POST' && r.path === `/channels/${ANNOUNCEMENTS}/messages`));
    expect(posted.body.content).toContain('The recording of **Physics** is ready');
    expect(posted.body.message_reference).toBeUndefined();
    expect(h.discord.channelMessages(IDS.channel).filter((m) => m.content.includes('recording of'))).toEqual([]);
    const landed = await until('the recording-ready message in the announcements channel', () => h!.discord.channelMessages(ANNOUNCEMENTS).find((m) => m.content.includes('recording of')));
    expect(landed.content).toContain('The recording of **Physics** is ready');

    // The audit shows both changes: who, key, old → new.
    const audit = await adminCommand(h, admin, 'audit').reply();
    const lines = audit.embeds[0]!.description!.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^<t:\\d+:f> · <@${admin.id}> · \`notifications\\.recordingReady\\.channelId\`: \\*default\\* → <#${ANNOUNCEMENTS}>$`));
    expect(lines[1]).toContain(`<@${admin.id}> · \`roles.moderatorRoleIds\`: *default* → <@&${IDS.teachersRole}>, <@&${IDS.studentsRole}>`);

    // Reset asks first; only the admin who asked may confirm; the reset happens on the click.
    const ask = adminCommand(h, admin, 'reset', { key: 'roles.moderatorRoleIds' });
    const question = await ask.reply();
    expect(question.content).toContain('Reset this setting to the default?');
    const [confirm, cancel] = buttonsOf(question);
    expect([confirm!.label, cancel!.label]).toEqual(['Reset', 'Cancel']);
    expect(await viewLines(h)).toContain(`✏️ \`moderatorRoleIds\``); // not yet
    const stranger = await h.discord.clickButton({ guildId: IDS.guild, channelId: IDS.channel, member: otherAdmin, fromReply: ask, customId: confirm!.custom_id! }).reply();
    expect(stranger.content).toBe('Only the admin who asked for this reset can confirm or cancel it.');
    expect(await viewLines(h)).toContain(`✏️ \`moderatorRoleIds\``);
    const done = await h.discord.clickButton({ guildId: IDS.guild, channelId: IDS.channel, member: admin, fromReply: ask, customId: confirm!.custom_id! }).reply();
    expect(done.content).toBe(`✅ \`roles.moderatorRoleIds\` is back to <@&${IDS.teachersRole}> (the default)`);
    expect(await viewLines(h)).toContain(`\`moderatorRoleIds\`: <@&${IDS.teachersRole}> · *default*`);
    const afterReset = await adminCommand(h, admin, 'audit', { limit: 1 }).reply();
    expect(afterReset.embeds[0]!.description).toContain(`\`roles.moderatorRoleIds\`: <@&${IDS.teachersRole}>, <@&${IDS.studentsRole}> → *default*`);

    // And the next join of a student is a viewer again.
    await h.discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.host, name: 'kaltura', subcommand: 'start', options: { title: 'Chemistry' } }).reply();
    const card2 = h.discord.channelMessages(IDS.channel).at(-1)!;
    const joined2 = await h.discord.clickButton({ guildId: IDS.guild, channelId: IDS.channel, member: members.student, messageId: card2.id, customId: buttonsOf(card2).find((b) => b.label === 'Join')!.custom_id! }).reply();
    const res2 = await fetch(linkButtonUrl(joined2), { redirect: 'manual' });
    await fetch(res2.headers.get('location')!);
    expect(h.kaltura.launches.at(-1)).toMatchObject({ userId: `discord_${IDS.student}`, role: 'viewerRole' });
  });

  it('a member without Manage Server who invokes /kaltura-admin directly is refused; invalid values are refused clearly and change nothing', async () => {
    h = await startHarness(tempDir());
    await registerCommands(h);
    const refusedView = await adminCommand(h, members.host, 'view').reply(); // Manage Events is not enough
    expect(refusedView.content).toBe("Only members with the Manage Server (or Administrator) permission can change this server's Kaltura settings.");
    const refusedSet = await adminCommand(h, members.student, 'set', { key: 'permissions.startMeetings', value: 'everyone' }).reply();
    expect(refusedSet.content).toMatch(/Manage Server/);
    const refusedAudit = await adminCommand(h, members.student, 'audit').reply();
    expect(refusedAudit.content).toMatch(/Manage Server/);
    const acRefused = h.discord.autocomplete({ guildId: IDS.guild, channelId: IDS.channel, member: members.student, name: 'kaltura-admin', group: 'settings', subcommand: 'set', focused: 'key', value: '' });
    expect(((await acRefused.acknowledged).data as { choices: unknown[] }).choices).toEqual([]);

    const invalid: [string, Record<string, string>, string][] = [
      ['set', { key: 'meetings.durationMinutes', value: '0' }, 'meetings.durationMinutes must be at least 1'],
      ['set', { key: 'meetings.durationMinutes', value: 'an hour' }, 'meetings.durationMinutes must be a whole number'],
      ['set', { key: 'meetings.kind', value: 'party' }, 'meetings.kind must be one of: meeting, webinar, classroom'],
      ['set', { key: 'roles.moderatorRoleIds', value: 'moderators' }, 'roles.moderatorRoleIds must be a Discord role id (17 to 20 digits) (item 1)'],
      ['set', { key: 'meetings.duraton', value: '30' }, 'unknown setting "meetings.duraton"; did you mean "meetings.durationMinutes"?'],
      ['set-channel', { key: 'meetings.kind', channel: IDS.channel }, '`meetings.kind` is not a role list or a channel; change it with `/kaltura-admin settings set`.'],
      ['set-role', { key: 'notifications.recordingReady.channelId', role: IDS.studentsRole }, '`notifications.recordingReady.channelId` is a channel; change it with `/kaltura-admin settings set-channel`.'],
    ];
    for (const [subcommand, options, message] of invalid) {
      expect((await adminCommand(h, admin, subcommand, options).reply()).content, JSON.stringify(options)).toBe(message);
    }
    const shown = await viewLines(h);
    expect(shown).not.toContain('✏️');
    expect((await adminCommand(h, admin, 'audit').reply()).embeds[0]!.description).toBe('No changes yet: every setting has its default.');

    // Valid scalar changes, for contrast: the next /kaltura start uses them.
    const ok = await adminCommand(h, admin, 'set', { key: 'meetings.durationMinutes', value: '90' }).reply();
    expect(ok.content).toContain('`meetings.durationMinutes` is now 90 on this server (was 60, the default)');
    const everyone = await adminCommand(h, admin, 'set', { key: 'permissions.startMeetings', value: 'everyone' }).reply();
    expect(everyone.content).toContain('`permissions.startMeetings` is now `everyone`');
    // A plain member may now start, and the meeting gets the server's default length.
    const started = await h.discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.student, name: 'kaltura', subcommand: 'start', options: { title: 'Study group' } }).reply();
    expect(started.content).toMatch(/is live/);
    expect(h.app.db.prepare('SELECT duration_minutes FROM meetings').all()).toEqual([{ duration_minutes: 90 }]);
    const nothingToReset = await adminCommand(h, admin, 'reset', { key: 'meetings.kind' }).reply();
    expect(nothingToReset.content).toBe('Nothing to reset: `meetings.kind` already uses the default.');
    expect(buttonsOf(nothingToReset)).toEqual([]);
  });
});
