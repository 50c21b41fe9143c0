import { setTimeout as sleep } from 'node:timers/promises';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  DiscordAPIError,
  EmbedBuilder,
  Events,
  MessageFlags,
  PermissionFlagsBits,
  Routes,
  StringSelectMenuBuilder,
  type Interaction,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS, startFakeDiscord, type FakeDiscord } from '../fakes/discord';
import { loginTestClient, type TestClient } from '../fakes/discord/test-client';

const GUILD = '1200000000000000001';
const CHANNEL = '1300000000000000001';
const TEACHERS = '1400000000000000001';
const ADMINS = '1400000000000000002';
const alice = { id: '1500000000000000001', username: 'alice', roles: [TEACHERS], permissions: 1n << 33n };

const joinRow = (id: string, label = 'Join') =>
  new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId(`kaltura:join:${id}`).setLabel(label).setStyle(ButtonStyle.Primary),
    new ButtonBuilder().setURL(`https://kaltura.example/${id}`).setLabel('Open').setStyle(ButtonStyle.Link),
  );

/**
 * A tiny bot with one behaviour per subcommand / custom id, so each test drives one discord.js
 * interaction method against the fake and checks what the member would see.
 */
async function handle(interaction: Interaction, failures: unknown[]): Promise<void> {
  try {
    if (interaction.isAutocomplete()) {
      const typed = interaction.options.getFocused();
      await interaction.respond([{ name: `Physics (${typed})`, value: 'm_physics' }]);
      return;
    }
    if (interaction.isStringSelectMenu()) {
      await interaction.update({ content: `Picked ${interaction.values.join(', ')}`, components: [] });
      return;
    }
    if (interaction.isButton()) {
      const [, action, id] = interaction.customId.split(':');
      if (action === 'join') {
        await interaction.update({ content: `Joined ${id}`, components: [joinRow(id ?? '', 'Joined')] });
      } else if (action === 'refresh') {
        await interaction.deferUpdate();
        await interaction.editReply({ content: 'Refreshed', components: [] });
      }
      return;
    }
    if (!interaction.isChatInputCommand()) return;
    switch (interaction.options.getSubcommand()) {
      case 'start': {
        await interaction.deferReply({ flags: MessageFlags.Ephemeral });
        const title = interaction.options.getString('title', true);
        const type = interaction.options.getString('type', true);
        await interaction.editReply({ content: `Started ${type} "${title}"` });
        return;
      }
      case 'card':
        await interaction.reply({
          embeds: [new EmbedBuilder().setTitle('Physics').setDescription('Starts now')],
          components: [joinRow('m_x')],
        });
        return;
      case 'menu':
        await interaction.reply({
          content: 'Your meetings',
          components: [new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId('kaltura:refresh:me').setLabel('Refresh').setStyle(ButtonStyle.Secondary))],
          flags: MessageFlags.Ephemeral,
        });
        return;
      case 'pick':
        await interaction.reply({
          content: 'Pick a recording',
          components: [
            new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(
              new StringSelectMenuBuilder().setCustomId('kaltura:pick').addOptions({ label: 'Lecture 1', value: '0_a' }, { label: 'Lecture 2', value: '0_b' }),
            ),
          ],
        });
        return;
      case 'whoami':
        await interaction.reply({
          content: `admin=${String(interaction.memberPermissions?.has(PermissionFlagsBits.Administrator))} manage=${String(interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild))}`,
        });
        return;
      case 'slow':
        await sleep(interaction.options.getInteger('ms', true));
        await interaction.reply({ content: 'too late' });
        return;
      case 'twice':
        await interaction.reply({ content: 'first' });
        await interaction.client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
          body: { type: 4, data: { content: 'second' } },
          auth: false,
        });
        return;
      case 'followup':
        await interaction.deferReply();
        await interaction.followUp({ content: 'Done via followup' });
        return;
      case 'response': {
        const response = await interaction.reply({ content: 'with response', withResponse: true });
        await interaction.followUp({ content: `message ${response.resource?.message?.id ?? 'none'}`, flags: MessageFlags.Ephemeral });
        return;
      }
      case 'typed':
        await interaction.reply({
          content: `${interaction.options.getInteger('count', true) + 1} ${String(interaction.options.getBoolean('public', true))} ${interaction.options.getUser('who', true).username}`,
        });
        return;
    }
  } catch (error) {
    failures.push(error);
  }
}

describe('fake Discord interactions with a real discord.js Client', () => {
  let discord: FakeDiscord;
  let bot: TestClient;
  const failures: unknown[] = [];

  beforeAll(async () => {
    discord = await startFakeDiscord({
      guilds: [
        {
          id: GUILD,
          name: 'Campus',
          channels: [{ id: CHANNEL, name: 'general' }],
          roles: [
            // Members see the channel through @everyone (without VIEW_CHANNEL, Discord denies the rest implicitly).
            { id: GUILD, name: '@everyone', permissions: String(PermissionFlagsBits.ViewChannel) },
            { id: TEACHERS, name: 'Teachers', permissions: String(PermissionFlagsBits.ManageGuild) },
            { id: ADMINS, name: 'Admins', permissions: String(PermissionFlagsBits.Administrator) },
          ],
          members: [{ id: '1500000000000000002', username: 'bob' }],
        },
      ],
    });
    bot = await loginTestClient(discord);
    bot.client.on(Events.InteractionCreate, (interaction) => void handle(interaction, failures));
    await discord.waitForIdentify();
  });
  afterAll(async () => {
    await bot?.destroy();
    await discord?.close();
  });

  it('deferReply (ephemeral) + editReply shows up as the reply, after a type-5 ack within the deadline', async () => {
    const i = discord.invokeCommand({ guildId: GUILD, channelId: CHANNEL, member: alice, name: 'kaltura', subcommand: 'start', options: { type: 'webinar', title: 'Physics' } });
    const ack = await i.acknowledged;
    expect(ack).toMatchObject({ type: 5, data: { flags: 64 } });
    expect(ack.latencyMs).toBeLessThan(3000);
    const reply = await i.reply();
    expect(reply).toMatchObject({ content: 'Started webinar "Physics"', ephemeral: true, flags: 64 });
    expect(i.edits).toEqual([expect.objectContaining({ method: 'PATCH', target: '@original' })]);
    expect(discord.requests.some((r) => r.method === 'PATCH' && r.path.endsWith(`/${i.token}/messages/@original`) && r.authorization === undefined)).toBe(true);
    expect(discord.channelMessages(CHANNEL).some((m) => m.id === reply.id)).toBe(false);
    expect(i.payload).toMatchObject({ type: 2, guild_id: GUILD, member: { user: { id: alice.id }, permissions: String(1n << 33n) } });
  });

  it('a button click with update() edits the card in the channel', async () => {
    const card = discord.invokeCommand({ member: alice, name: 'kaltura', subcommand: 'card' });
    const posted = await card.reply();
    expect(posted.embeds[0]?.title).toBe('Physics');
    const inChannel = discord.channelMessages(CHANNEL).at(-1);
    expect(inChannel?.id).toBe(posted.id);

    const click = discord.clickButton({ guildId: GUILD, channelId: CHANNEL, member: alice, messageId: posted.id, customId: 'kaltura:join:m_x' });
    expect((await click.acknowledged).type).toBe(7);
    expect((await click.reply()).content).toBe('Joined m_x');
    const updated = discord.channelMessages(CHANNEL).find((m) => m.id === posted.id);
    expect(updated?.content).toBe('Joined m_x');
    expect(updated?.edited_timestamp).not.toBeNull();
    expect(JSON.stringify(updated?.components)).toContain('"label":"Joined"');
    expect(() => discord.clickButton({ messageId: posted.id, customId: 'kaltura:leave:m_x' })).toThrow(/has no component/);
  });

  it('clicks a button on an ephemeral reply (deferUpdate + editReply edits that reply)', async () => {
    const menu = discord.invokeCommand({ member: alice, name: 'kaltura', subcommand: 'menu' });
    expect((await menu.reply()).ephemeral).toBe(true);
    const click = discord.clickButton({ fromReply: menu, member: alice, customId: 'kaltura:refresh:me' });
    expect((await click.acknowledged).type).toBe(6);
    expect(await click.reply()).toMatchObject({ content: 'Refreshed', components: [], ephemeral: true });
    expect(menu.original()?.content).toBe('Refreshed');
    expect(click.payload.message?.flags).toBe(64);
  });

  it('uses a select menu on a posted message (update with the chosen values)', async () => {
    const menu = await discord.invokeCommand({ name: 'kaltura', subcommand: 'pick' }).reply();
    const pick = discord.selectMenu({ messageId: menu.id, customId: 'kaltura:pick', values: ['0_b'] });
    expect(await pick.reply()).toMatchObject({ id: menu.id, content: 'Picked 0_b', components: [] });
    expect(pick.payload.data).toEqual({ custom_id: 'kaltura:pick', component_type: 3, values: ['0_b'] });
    expect(() => discord.clickButton({ messageId: menu.id, customId: 'kaltura:pick' })).toThrow(/has no component/);
  });

  it('computes member permissions from @everyone and the member roles when not given', async () => {
    const teacher = discord.invokeCommand({ name: 'kaltura', subcommand: 'whoami', member: { id: '1500000000000000003', username: 'carol', roles: [TEACHERS] } });
    expect((await teacher.reply()).content).toBe('admin=false manage=true');
    expect(teacher.payload.member?.permissions).toBe(String(PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ViewChannel));
    const admin = discord.invokeCommand({ name: 'kaltura', subcommand: 'whoami', member: { id: '1500000000000000004', username: 'dave', roles: [ADMINS] } });
    expect((await admin.reply()).content).toBe('admin=true manage=true');
    expect(admin.payload.member?.permissions).toBe(PERMISSIONS.ALL.toString());
  });

  it('answers a callback after the 3 s deadline with 10062 Unknown interaction', async () => {
    const before = failures.length;
    const i = discord.invokeCommand({ name: 'kaltura', subcommand: 'slow', options: { ms: 3100 } });
    await expect(i.acknowledged).rejects.toThrow(/not acknowledged within 3000 ms/);
    await expect(i.reply()).rejects.toThrow(/not acknowledged/);
    for (let t = 0; t < 50 && failures.length === before; t++) await sleep(20);
    const error = failures.at(-1);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).code).toBe(10062);
    expect(i.callbacks).toEqual([expect.objectContaining({ type: 4, status: 404, errorCode: 10062 })]);
  });

  it('answers a second callback with 40060 Interaction has already been acknowledged', async () => {
    const before = failures.length;
    const i = discord.invokeCommand({ name: 'kaltura', subcommand: 'twice' });
    expect((await i.reply()).content).toBe('first');
    for (let t = 0; t < 100 && failures.length === before; t++) await sleep(10);
    expect((failures.at(-1) as DiscordAPIError).code).toBe(40060);
    expect(i.callbacks.map((c) => c.status)).toEqual([204, 400]);
  });

  it('turns the first followup after a defer into the reply, not a second message', async () => {
    const i = discord.invokeCommand({ name: 'kaltura', subcommand: 'followup' });
    const reply = await i.reply();
    expect(reply).toMatchObject({ content: 'Done via followup', ephemeral: false });
    expect(i.followups).toHaveLength(0);
    expect(discord.channelMessages(CHANNEL).filter((m) => m.content === 'Done via followup')).toHaveLength(1);
    expect(discord.channelMessages(CHANNEL).find((m) => m.id === reply.id)?.flags ?? 0).toBe(0);
  });

  it('returns the callback response for with_response=true', async () => {
    const i = discord.invokeCommand({ name: 'kaltura', subcommand: 'response' });
    const reply = await i.reply();
    for (let t = 0; t < 100 && i.followups.length === 0; t++) await sleep(10);
    expect(i.followups[0]?.content).toBe(`message ${reply.id}`);
    expect(i.callbacks[0]).toMatchObject({ withResponse: true, status: 200 });
  });

  it('answers autocomplete with the choices the bot responded', async () => {
    const ac = discord.autocomplete({ member: alice, name: 'kaltura', subcommand: 'join', focused: 'meeting', value: 'phy' });
    const ack = await ac.acknowledged;
    expect(ack.type).toBe(8);
    expect(ack.data.choices).toEqual([{ name: 'Physics (phy)', value: 'm_physics' }]);
    expect(ac.payload.type).toBe(4);
    await expect(ac.reply()).rejects.toThrow(/autocomplete/);
  });

  it('types options from the registered command and fills in resolved users', async () => {
    await bot.client.application.commands.set(
      [
        {
          name: 'kaltura',
          description: 'Kaltura meetings',
          options: [
            {
              type: 1,
              name: 'typed',
              description: 'Typed options',
              options: [
                { type: 4, name: 'count', description: 'Count', required: true },
                { type: 5, name: 'public', description: 'Public', required: true },
                { type: 6, name: 'who', description: 'Who', required: true },
              ],
            },
          ],
        },
      ],
      GUILD,
    );
    const i = discord.invokeCommand({ name: 'kaltura', subcommand: 'typed', options: { count: '41', public: true, who: '1500000000000000002' } });
    expect((await i.reply()).content).toBe('42 true bob');
    expect(i.payload.data).toMatchObject({ guild_id: GUILD, id: discord.commands(GUILD)[0]?.id });
    expect(() => discord.invokeCommand({ name: 'kaltura', subcommand: 'typed', options: { count: 1, public: true, who: '1', extra: 'x' } })).toThrow(/no option "extra"/);
    expect(() => discord.invokeCommand({ name: 'kaltura', subcommand: 'missing' })).toThrow(/no subcommand "missing"/);
  });

  it('leaves no client errors behind', () => {
    expect(bot.errors).toEqual([]);
    expect(discord.internalErrors).toEqual([]);
    expect(failures.filter((f) => !(f instanceof DiscordAPIError))).toEqual([]);
  });
});
