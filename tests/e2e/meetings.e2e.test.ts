import { afterEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '../helpers/temp-dir';
import { IDS, linkButtonUrl, members, startHarness, type Harness } from './meeting-harness';

interface CardButton { label: string; custom_id: string; disabled?: boolean }
const buttonsOf = (message: { components?: unknown }) =>
  ((message.components ?? []) as { components: CardButton[] }[]).flatMap((r) => r.components);
const fieldsOf = (message: { embeds?: unknown }) =>
  Object.fromEntries(((message.embeds as { fields: { name: string; value: string }[] }[])[0]!.fields).map((f) => [f.name, f.value]));

describe('meetings end to end: the real app against the fake Discord and the fake Kaltura', () => {
  const tempDir = useTempDirs();
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('start → card → personal links with the right roles → single use → end by the host only → card Ended → Join refused', async () => {
    h = await startHarness(tempDir());
    const { discord, kaltura } = h;

    // The host starts a webinar.
    const start = discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.host, name: 'kaltura', subcommand: 'start', options: { title: 'Physics 101', type: 'webinar', duration: 90 } });
    expect((await start.acknowledged).type).toBe(5); // deferred before Kaltura was called
    const started = await start.reply();
    expect(started.content).toMatch(/is live and its card is posted/);
    const hostLink = linkButtonUrl(started);

    // The card is public, live, with Join and End.
    const card = discord.channelMessages(IDS.channel).at(-1)!;
    expect(card.embeds[0]).toMatchObject({ title: 'Physics 101' });
    expect(fieldsOf(card)).toMatchObject({ Kind: 'Webinar', Host: `<@${IDS.host}>`, Status: '🟢 Live' });
    const [join, end] = buttonsOf(card);
    expect([join!.label, end!.label]).toEqual(['Join', 'End']);
    expect(kaltura.store.events.size).toBe(1);
    const event = [...kaltura.store.events.values()][0] as { id: number; status: number };
    expect(event.status).toBe(2);

    // Each member clicks Join and opens their own link.
    const opened: Record<string, { role: string; userContextualRole: string; userId: string; eventId?: string | number }> = {};
    for (const [who, member] of Object.entries({ teacher: members.teacher, student: members.student })) {
      const click = discord.clickButton({ guildId: IDS.guild, channelId: IDS.channel, member, messageId: card.id, customId: join!.custom_id });
      const reply = await click.reply();
      expect(reply.flags! & 64).toBe(64); // ephemeral: only they see it
      const link = linkButtonUrl(reply);
      expect(link.startsWith(`${h.publicUrl}/j/`)).toBe(true);
      const res = await fetch(link, { redirect: 'manual' });
      expect(res.status).toBe(302);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      const launch = await fetch(res.headers.get('location')!);
      expect(launch.status).toBe(200);
      opened[who] = kaltura.launches.at(-1)! as never;
      // A forwarded or re-clicked link is useless once used.
      const again = await fetch(link, { redirect: 'manual' });
      expect(again.status).toBe(410);
      expect(await again.text()).toMatch(/already used/i);
    }
    const hostRes = await fetch(hostLink, { redirect: 'manual' });
    expect(hostRes.status).toBe(302);
    await fetch(hostRes.headers.get('location')!);
    const hostLaunch = kaltura.launches.at(-1)!;

    expect(hostLaunch).toMatchObject({ userId: `discord_${IDS.host}`, role: 'adminRole', userContextualRole: '0' });
    expect(opened.teacher).toMatchObject({ userId: `discord_${IDS.teacher}`, role: 'adminRole', userContextualRole: '0' });
    expect(opened.student).toMatchObject({ userId: `discord_${IDS.student}`, role: 'viewerRole', userContextualRole: '3' });
    for (const l of [hostLaunch, opened.teacher!, opened.student!]) expect(String(l.eventId)).toBe(String(event.id));

    // A plain member may not end it; the host may.
    const refused = await discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.student, name: 'kaltura', subcommand: 'end', options: { meeting: join!.custom_id.split(':')[2]! } }).reply();
    expect(refused.content).toMatch(/host|manage/i);
    expect(fieldsOf(discord.channelMessages(IDS.channel).at(-1)!).Status).toBe('🟢 Live');
    const ended = await discord.clickButton({ guildId: IDS.guild, channelId: IDS.channel, member: members.host, messageId: card.id, customId: end!.custom_id }).reply();
    expect(ended.content).toMatch(/has ended/);
    expect((kaltura.store.events.get(event.id) as { status: number }).status).toBe(1); // cancelled in Kaltura

    // The same card, edited in place: Ended, buttons disabled.
    const after = discord.channelMessages(IDS.channel);
    expect(after).toHaveLength(1);
    expect(fieldsOf(after[0]!).Status).toMatch(/^Ended — lasted/);
    expect(buttonsOf(after[0]!).every((b) => b.disabled)).toBe(true);

    // Join on the ended card is refused: its button is disabled, and asking by command says why.
    const late = await discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.student, name: 'kaltura', subcommand: 'join', options: { meeting: join!.custom_id.split(':')[2]! } }).reply();
    expect(late.content).toBe('This meeting has ended.');
    expect(late.components ?? []).toEqual([]);

    // serve never registers commands by itself.
    expect(discord.requests.filter((r) => r.method === 'PUT' && r.path.includes('/commands'))).toEqual([]);
    // Nothing secret reached the logs.
    expect(h.logs.text()).not.toMatch(/djJ8/);
    expect(h.logs.text()).not.toContain(kaltura.adminSecret);
  });

  it('with Kaltura hanging, /kaltura start is acknowledged in time, then fails clearly within 15 s, leaving nothing live', async () => {
    h = await startHarness(tempDir(), { requestTimeout: '30s' }); // the default: the member must not wait for it
    h.kaltura.inject({ kind: 'hang' }, { service: 'schedule_scheduleresource', action: 'add' });
    const began = performance.now();
    const start = h.discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.host, name: 'kaltura', subcommand: 'start', options: { title: 'Stuck' } });
    const ack = await start.acknowledged;
    expect(ack.type).toBe(5);
    const reply = await start.reply({ timeoutMs: 25_000 }); // longer than the bound, so a slow answer is measured
    const toldAfterMs = performance.now() - began; // until the member sees the error at (fake) Discord
    expect(toldAfterMs).toBeLessThan(15_000);
    expect(reply.content).toMatch(/Kaltura is not answering right now; try again in a minute/);
    expect(h.discord.channelMessages(IDS.channel)).toHaveLength(0);
    const list = await h.discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.student, name: 'kaltura', subcommand: 'list', options: {} }).reply();
    expect(list.content).toMatch(/No session is live/);
    const rows = h.app.db.prepare("SELECT status FROM meetings").all() as { status: string }[];
    expect(rows.map((r) => r.status)).toEqual(['failed']);
  }, 40_000);

  it('a plain member may not start a meeting; /kaltura list shows live ones with Join buttons; autocomplete finds them', async () => {
    h = await startHarness(tempDir());
    const denied = await h.discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.student, name: 'kaltura', subcommand: 'start', options: { title: 'Mine' } }).reply();
    expect(denied.content).toMatch(/permission/i);
    expect(h.kaltura.store.resources.size).toBe(0);
    await h.discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.host, name: 'kaltura', subcommand: 'start', options: { title: 'Chemistry lab', type: 'classroom' } }).reply();
    const list = await h.discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.student, name: 'kaltura', subcommand: 'list', options: {} }).reply();
    expect(list.content).toMatch(/One session is live/);
    expect(buttonsOf(list).map((b) => b.label)).toEqual(['Join: Chemistry lab']);
    const ac = h.discord.autocomplete({ guildId: IDS.guild, channelId: IDS.channel, member: members.student, name: 'kaltura', subcommand: 'join', focused: 'meeting', value: 'chem' });
    const choices = ((await ac.acknowledged).data as { choices: { name: string; value: string }[] }).choices;
    expect(choices).toHaveLength(1);
    expect(choices[0]!.name).toMatch(/^Chemistry lab \(Virtual classroom, host /);
    const viaCommand = await h.discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.student, name: 'kaltura', subcommand: 'join', options: { meeting: choices[0]!.value } }).reply();
    expect(linkButtonUrl(viaCommand)).toMatch(/\/j\//);
  });

  it('the reconciler ends a meeting at its scheduled end and updates the card in place', async () => {
    h = await startHarness(tempDir());
    await h.discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.host, name: 'kaltura', subcommand: 'start', options: { title: 'Short', duration: 1 } }).reply();
    // Pretend the scheduled end has passed (the reconciler runs every 200 ms in this harness).
    h.app.db.prepare("UPDATE meetings SET ends_at = ? WHERE status = 'live'").run(Date.now() - 1000);
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && fieldsOf(h.discord.channelMessages(IDS.channel)[0]!).Status === '🟢 Live') await new Promise((r) => setTimeout(r, 50));
    expect(fieldsOf(h.discord.channelMessages(IDS.channel)[0]!).Status).toMatch(/^Ended/);
    expect(h.discord.channelMessages(IDS.channel)).toHaveLength(1);
  });
});
