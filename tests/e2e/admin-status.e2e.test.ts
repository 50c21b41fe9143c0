import { afterEach, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../fakes/discord/index';
import type { FakeMember } from '../fakes/discord/types';
import { runCli } from '../helpers/run-cli';
import { useTempDirs } from '../helpers/temp-dir';
import { IDS, startHarness, type Harness } from './meeting-harness';

const MANAGE_SERVER = 1n << 5n;
const admin: FakeMember = { id: '1500000000000000010', username: 'ada', roles: [], permissions: MANAGE_SERVER };
const plainMember: FakeMember = { id: '1500000000000000011', username: 'bo', roles: [], permissions: PERMISSIONS.VIEW_CHANNEL };
const STAFF = '1300000000000000041';
const RECORDING_KEY = 'notifications.recordingReady.channelId';

interface Field { name: string; value: string }

/**
 * `/kaltura-admin settings set-channel` refuses a channel the bot cannot post in (with what is
 * missing), `/kaltura-admin status` shows the server's health with fixes, and `doctor` checks the
 * channels servers chose.
 */
describe('/kaltura-admin status and the channel check of set-channel', () => {
  const tempDir = useTempDirs();
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const adminCommand = (harness: Harness, member: FakeMember, subcommand: string, options: Record<string, string> = {}) =>
    harness.discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member, name: 'kaltura-admin', ...(subcommand === 'status' ? {} : { group: 'settings' }), subcommand, options });
  const fieldsOf = (reply: { embeds: { fields?: Field[] }[] }) => Object.fromEntries(reply.embeds[0]!.fields!.map((f) => [f.name.replace(/^\S+ /, ''), f]));

  it('refuses a channel the bot cannot post in, accepts one it can; status then shows a channel that lost permissions, with the fix; doctor sees it too', async () => {
    h = await startHarness(tempDir(), {
      // #staff hides everything from everyone but its role: the bot cannot see it.
      extraChannels: [{ id: STAFF, name: 'staff', permissionOverwrites: [{ id: IDS.guild, type: 0, deny: PERMISSIONS.VIEW_CHANNEL }] }],
    });
    const { discord } = h;

    const refused = adminCommand(h, admin, 'set-channel', { key: RECORDING_KEY, channel: STAFF });
    expect((await refused.acknowledged).type).toBe(5); // deferred: the check asks Discord
    const refusal = await refused.reply();
    expect(refusal.ephemeral).toBe(true);
    expect(refusal.content).toBe(`I can't post there: I'm missing **View Channel** in <#${STAFF}>. Allow it for my role in the channel's settings → Permissions, then choose it again. Nothing changed.`);
    expect(h.app.db.prepare('SELECT count(*) FROM guild_settings').pluck().get()).toBe(0);

    const accepted = await adminCommand(h, admin, 'set-channel', { key: RECORDING_KEY, channel: IDS.announcements }).reply();
    expect(accepted.content).toContain(`is now <#${IDS.announcements}> on this server`);

    // Later an admin takes Send Messages and Embed Links away from the bot there.
    discord.setChannelOverwrites(IDS.announcements, [{ id: discord.botUser.id, type: 1, deny: PERMISSIONS.SEND_MESSAGES | PERMISSIONS.EMBED_LINKS }]);

    const status = adminCommand(h, admin, 'status');
    expect((await status.acknowledged).type).toBe(5);
    const shown = await status.reply();
    expect(shown.ephemeral).toBe(true);
    const fields = fieldsOf(shown);
    expect(shown.embeds[0]!.title).toMatch(/^Kaltura bot: \d+ problems? to fix$/);
    expect(fields['Kaltura API reachable']!.name.startsWith('✅')).toBe(true);
    expect(fields['Kaltura credentials']!.name.startsWith('✅')).toBe(true);
    const channels = fields["Bot permissions in this server's channels"]!;
    expect(channels.name.startsWith('❌')).toBe(true);
    expect(channels.value).toContain(`<#${IDS.channel}> (here): can post meeting cards`);
    expect(channels.value).toContain(`<#${IDS.announcements}> (recordingReady notifications): missing Send Messages, Embed Links`);
    expect(channels.value).toMatch(/\*\*Fix:\*\* open that channel's settings → Permissions/);
    expect(fields['Kaltura webhook templates']!.value).toMatch(/does not exist[\s\S]*\*\*Fix:\*\* ask the bot operator to run `kaltura-discord webhooks setup`/);
    expect(fields['Notifications (whole bot)']!.value).toMatch(/0 message\(s\) waiting to be posted/);
    expect(fields['Last recording seen']!.value).toBe("none yet for this server's meetings");
    expect(fields['Bot version']!.value).toMatch(/^\d+\.\d+\.\d+/);

    // Members without Manage Server are refused before anything is asked.
    const notAdmin = await adminCommand(h, plainMember, 'status').reply();
    expect(notAdmin.content).toMatch(/Manage Server/);

    // doctor checks the channel this server chose, too.
    const doctor = await runCli(['doctor', '--json'], { cwd: h.dir });
    const check = (JSON.parse(doctor.stdout) as { checks: { id: string; status: string; detail: string }[] }).checks.find((c) => c.id === 'discord.channels')!;
    expect(check.status).toBe('fail');
    expect(check.detail).toContain(`channel ${IDS.announcements} (recordingReady on server ${IDS.guild}): missing Send Messages, Embed Links`);

    // Kaltura answers with a maintenance page: the status says so, with the fix, and still answers.
    h.kaltura.inject({ kind: 'html' });
    const down = fieldsOf(await adminCommand(h, admin, 'status').reply());
    expect(down['Kaltura API reachable']!.name.startsWith('❌')).toBe(true);
    expect(down['Kaltura API reachable']!.value).toMatch(/did not answer as a Kaltura API[\s\S]*\*\*Fix:\*\*/);
    expect(down['Bot version']).toBeDefined();
  });
});
