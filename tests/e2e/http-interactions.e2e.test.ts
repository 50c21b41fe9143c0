import { afterEach, describe, expect, it } from 'vitest';
import { PERMISSIONS, type FakeMember } from '../fakes/discord/index';
import { createInteractionSigner } from '../fakes/discord/interaction-signer';
import { useTempDirs } from '../helpers/temp-dir';
import { IDS, buttonsOf, linkButtonUrl, members, startHarness, type Harness } from './meeting-harness';

const STAFF = '1300000000000000061';
const STAFF_THREAD = '1300000000000000062';
const BOT_IN_STAFF = PERMISSIONS.VIEW_CHANNEL | PERMISSIONS.SEND_MESSAGES | PERMISSIONS.EMBED_LINKS | PERMISSIONS.READ_MESSAGE_HISTORY;
/** #staff: hidden from @everyone, open to Teachers and the bot. */
const staff = {
  id: STAFF,
  name: 'staff',
  permissionOverwrites: [
    { id: IDS.guild, type: 0 as const, deny: PERMISSIONS.VIEW_CHANNEL },
    { id: IDS.teachersRole, type: 0 as const, allow: PERMISSIONS.VIEW_CHANNEL },
    { id: IDS.app, type: 1 as const, allow: BOT_IN_STAFF },
  ],
};

/**
 * `discord.mode: http` with the real app: no gateway connection; the fake Discord POSTs each
 * interaction, signed with the application's key, to `<publicUrl>/interactions` and takes the HTTP
 * response as the initial response (deferral or reply); follow-ups go over the interaction webhook.
 * The same dispatcher and the same privacy rules as gateway mode, channel visibility read over REST.
 */
describe('HTTP interactions end to end (discord.mode: http)', () => {
  const tempDir = useTempDirs();
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('the portal would accept the endpoint; start defers in the HTTP response and edits in the reply; list and join answer inline; no gateway', async () => {
    h = await startHarness(tempDir(), { http: true, extraChannels: [staff] });
    const { discord } = h;
    expect(await discord.checkInteractionsEndpoint(`${h.publicUrl}/interactions`)).toEqual([]);

    const start = discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.host, name: 'kaltura', subcommand: 'start', options: { title: 'Physics 101' } });
    const ack = await start.acknowledged;
    expect(ack.type).toBe(5); // deferred before Kaltura is called
    expect(start.callbacks).toMatchObject([{ type: 5, via: 'http-response', status: 204 }]);
    expect(start.deliveries).toMatchObject([{ status: 200 }]);
    const started = await start.reply();
    expect(started.content).toMatch(/is live and its card is posted/);
    expect(start.edits.filter((e) => e.target === '@original' && e.status === 200)).toHaveLength(1);
    const card = discord.channelMessages(IDS.channel).at(-1)!;
    expect(card.embeds[0]).toMatchObject({ title: 'Physics 101' });

    const list = discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.student, name: 'kaltura', subcommand: 'list' });
    const listed = await list.reply();
    expect(list.callbacks[0]).toMatchObject({ type: 4, via: 'http-response' });
    expect(listed.ephemeral).toBe(true);
    expect(listed.content).toMatch(/One session is live/);
    expect(buttonsOf(listed).map((b) => b.label)).toEqual(['Join: Physics 101']);

    const meetingId = buttonsOf(card).find((b) => b.label === 'Join')!.custom_id!.split(':')[2]!;
    const join = await discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.student, name: 'kaltura', subcommand: 'join', options: { meeting: meetingId } }).reply();
    const res = await fetch(linkButtonUrl(join), { redirect: 'manual' });
    expect(res.status).toBe(302);
    const click = discord.clickButton({ guildId: IDS.guild, channelId: IDS.channel, member: members.teacher, messageId: card.id, customId: `kaltura:join:${meetingId}` });
    expect(linkButtonUrl(await click.reply())).toMatch(/\/j\//);

    expect(discord.gateway.identifies).toHaveLength(0);
    // Every delivery was verified and answered; the one refusal logged is the portal's deliberately forged PING.
    expect(discord.interactions.flatMap((i) => i.deliveries).filter((d) => d.status !== 200 || d.failure)).toEqual([]);
    expect(h.logs.lines.filter((l) => l.msg === 'interaction refused: invalid request signature')).toHaveLength(1);
  });

  it('a meeting in a private channel stays hidden from members who cannot see it (channel visibility from REST)', async () => {
    h = await startHarness(tempDir(), { http: true, extraChannels: [staff, { id: STAFF_THREAD, name: 'budget-thread', type: 11, parentId: STAFF }] });
    const { discord } = h;
    const started = await discord.invokeCommand({ guildId: IDS.guild, channelId: STAFF, member: members.host, name: 'kaltura', subcommand: 'start', options: { title: 'Staff budget' }, appPermissions: BOT_IN_STAFF }).reply();
    expect(started.content).toMatch(/is live/);
    const ask = (member: FakeMember) => discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member, name: 'kaltura', subcommand: 'list' }).reply();
    expect((await ask(members.student)).content).not.toContain('Staff budget');
    expect((await ask(members.teacher)).content).toContain('Staff budget');
    // A thread of #staff (read on its own: guild channel lists omit threads) follows #staff.
    const inThread = await discord.invokeCommand({ guildId: IDS.guild, channelId: STAFF_THREAD, member: members.host, name: 'kaltura', subcommand: 'start', options: { title: 'Thread talk' }, appPermissions: BOT_IN_STAFF | PERMISSIONS.SEND_MESSAGES_IN_THREADS }).reply();
    expect(inThread.content).toMatch(/is live/);
    expect((await ask(members.student)).content).not.toContain('Thread talk');
    expect((await ask(members.teacher)).content).toContain('Thread talk');
  });

  it('refuses a forged interaction with 401 and runs nothing', async () => {
    h = await startHarness(tempDir(), { http: true });
    const body = JSON.stringify({ id: '1700000000000000001', application_id: IDS.app, type: 2, token: 't', data: { name: 'kaltura', type: 1, options: [{ type: 1, name: 'list' }] } });
    const forged = await fetch(`${h.publicUrl}/interactions`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...createInteractionSigner().sign(body) } });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toEqual({ message: 'invalid request signature' });
  });
});
