import { afterEach, describe, expect, it } from 'vitest';
import { commandDefinitions } from '../../src/discord/commands/kaltura-command';
import type { FakeMember } from '../fakes/discord/types';
import { createTestClient, k, kalturaObject } from '../fakes/kaltura/test-client';
import { useTempDirs } from '../helpers/temp-dir';
import { buttonsOf, EVERYONE_PERMISSIONS, IDS, members, startHarness, type Harness, until } from './meeting-harness';

/**
 * Recordings reach Discord only through the meeting's template entry (rootEntryId), on the
 * webhook path and on the poller path; an entry that merely looks like a recording (same name,
 * tags, owner, even created with the template's id) is never announced; a room that recorded
 * twice is announced twice, each once; and each server's templates land in its own category.
 */

type Msg = { id: string; content: string; components?: unknown; message_reference?: { message_id?: string } };

const OTHER = { guild: '1200000000000000002', channel: '1300000000000000002' } as const;
const admin: FakeMember = { id: '1500000000000000010', username: 'ada', roles: [], permissions: (1n << 5n) | EVERYONE_PERMISSIONS };

async function start(h: Harness, title: string, where: { guildId: string; channelId: string } = { guildId: IDS.guild, channelId: IDS.channel }): Promise<{ card: Msg; meetingRow: { id: string; template_entry_id: string; category_id: number; resource_id: number } }> {
  await h.discord.invokeCommand({ ...where, member: members.host, name: 'kaltura', subcommand: 'start', options: { title } }).reply();
  const card = (h.discord.channelMessages(where.channelId) as unknown as Msg[]).filter((m) => !m.message_reference).at(-1)!;
  const meetingRow = h.app.db.prepare('SELECT id, template_entry_id, category_id, resource_id FROM meetings ORDER BY created_at DESC, rowid DESC LIMIT 1').get() as never;
  return { card, meetingRow };
}

async function end(h: Harness, card: Msg, where: { guildId: string; channelId: string } = { guildId: IDS.guild, channelId: IDS.channel }): Promise<void> {
  const endButton = buttonsOf(card).find((b) => b.label === 'End')!;
  await h.discord.clickButton({ ...where, member: members.host, messageId: card.id, customId: endButton.custom_id! }).reply();
}

const repliesTo = (h: Harness, cardId: string) => (h.discord.channelMessages(IDS.channel) as unknown as Msg[]).filter((m) => m.message_reference?.message_id === cardId);
const watchUrls = (msgs: Msg[]) => msgs.map((m) => buttonsOf(m).find((b) => b.label === 'Watch')?.url);

/** Another member's upload through the real API, made to look like the recording (copyTemplate copies name, tags, owner). */
async function lookAlike(h: Harness, templateEntryId: string): Promise<{ id: string }> {
  const client = createTestClient(h.kaltura, { ks: h.kaltura.mintKs({ userId: 'discord_1500000000000000666', type: 0 }) });
  const entry = await k.services.media.add(kalturaObject('MediaEntry', { templateEntryId, mediaType: 1 })).execute(client);
  h.kaltura.store.entries.get(entry.id).status = 2; // and it finished processing
  return entry;
}

describe('recordings through the template entry, categories per server (end to end)', () => {
  const tempDir = useTempDirs();
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('webhook path: the recording made from the template is announced, a look-alike is not, a second recording is announced once', async () => {
    h = await startHarness(tempDir());
    const { card, meetingRow } = await start(h, 'Lecture 2');
    const template = h.kaltura.store.entries.get(meetingRow.template_entry_id);
    expect(template).toMatchObject({ name: 'Lecture 2', userId: `discord_${IDS.host}`, referenceId: meetingRow.id, categoriesIds: String(meetingRow.category_id) });
    const event = [...h.kaltura.store.events.values()].at(-1);
    expect(event.templateEntryId).toBe(template.id);
    await end(h, card);

    const fake = await lookAlike(h, template.id);
    // the reported attack: an entry named after the room's token, uploaded by a member
    const { room_token: roomToken } = h.app.db.prepare('SELECT room_token FROM meetings WHERE id = ?').get(meetingRow.id) as { room_token: string };
    const tokenNamed = h.kaltura.addEntry({ name: `anything (${roomToken})`, tags: template.tags, userId: 'discord_1500000000000000666' });
    const first = h.kaltura.addRecording(meetingRow.resource_id);
    const second = h.kaltura.addRecording(meetingRow.resource_id); // the room restarted
    expect(first.rootEntryId).toBe(template.id);
    const url = `${h.publicUrl}/webhooks/kaltura`;
    let job = 880_000;
    for (const entry of [h.kaltura.store.entries.get(fake.id), tokenNamed, first, second, first]) {
      const res = await h.kaltura.emitWebhook(url, { entry, eventType: 3, jobId: ++job });
      expect(res.status).toBe(200);
    }
    const replies = await until('two recording replies', () => (repliesTo(h!, card.id).length >= 2 ? repliesTo(h!, card.id) : undefined));
    await new Promise((r) => setTimeout(r, 500)); // nothing else arrives
    expect(repliesTo(h, card.id)).toHaveLength(2);
    expect(watchUrls(replies).map((u) => u && new URL(u).pathname)).toEqual([expect.stringContaining(first.id), expect.stringContaining(second.id)]);
    const watchOnCard = await until('the Watch button on the card', () => buttonsOf(h!.discord.message(card.id) as never).find((b) => b.label === 'Watch'));
    expect(watchOnCard.url).toContain(first.id);
  });

  it('poller path (webhooks off): both recordings announced once each, the look-alike never', async () => {
    h = await startHarness(tempDir(), { extraYaml: 'webhooks:\n  enabled: false\n' });
    const { card, meetingRow } = await start(h, 'Biology');
    await end(h, card);
    await lookAlike(h, meetingRow.template_entry_id);
    h.kaltura.addEntry({ name: 'Biology', tags: 'discord,meeting', userId: `discord_${IDS.host}` });
    const first = h.kaltura.addRecording(meetingRow.resource_id);
    const second = h.kaltura.addRecording(meetingRow.resource_id);
    await h.restart(); // the poller runs at start
    const replies = await until('two recording replies from the poller', () => (repliesTo(h!, card.id).length >= 2 ? repliesTo(h!, card.id) : undefined));
    await h.restart(); // and again: nothing new
    await new Promise((r) => setTimeout(r, 500));
    expect(repliesTo(h, card.id)).toHaveLength(2);
    expect(new Set(watchUrls(replies).map((u) => (u!.includes(first.id) ? 'first' : u!.includes(second.id) ? 'second' : u)))).toEqual(new Set(['first', 'second']));
    const lists = h.kaltura.requests.filter((r) => r.service === 'media' && r.action === 'list');
    expect(lists.at(-1)?.params.filter).toMatchObject({ rootEntryIdEqual: meetingRow.template_entry_id, isRoot: 0 });
    expect(lists.some((r) => r.params.filter?.nameLike !== undefined)).toBe(false);
  });

  it('when Kaltura refuses the category, the start fails clearly and creates nothing', async () => {
    h = await startHarness(tempDir());
    h.kaltura.inject({ kind: 'forbid' }, { service: 'category' });
    const reply = await h.discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.host, name: 'kaltura', subcommand: 'start', options: { title: 'Nope' } }).reply();
    expect(reply.content).toContain('Kaltura refused to create the meeting');
    expect(h.kaltura.store.entries.size).toBe(0);
    expect(h.kaltura.store.resources.size).toBe(0);
    expect(h.app.db.prepare('SELECT status FROM meetings').all()).toEqual([{ status: 'failed' }]);
    expect(h.app.db.prepare('SELECT count(*) AS n FROM guild_categories').get()).toEqual({ n: 0 });
    // once Kaltura allows it, the next start creates the category and the meeting
    h.kaltura.clearFaults();
    const { meetingRow } = await start(h, 'Yes');
    expect(h.kaltura.store.categories.get(meetingRow.category_id)!.fullName).toBe(`kaltura-discord>${IDS.guild}`);
  });

  it("each server's templates land in its own category under kaltura.categoryRoot; an admin can point a server at an existing category", async () => {
    h = await startHarness(tempDir(), {
      extraYaml: '',
      extraGuilds: [{ id: OTHER.guild, name: 'Other', channels: [{ id: OTHER.channel, name: 'general' }], roles: [{ id: OTHER.guild, name: '@everyone', permissions: EVERYONE_PERMISSIONS }] }],
    });
    const inOther = { guildId: OTHER.guild, channelId: OTHER.channel };
    const a1 = await start(h, 'A one');
    const b1 = await start(h, 'B one', inOther);
    const a2 = await start(h, 'A two');
    const categories = h.kaltura.store.categories;
    const byId = (id: number) => categories.get(id);
    expect(byId(a1.meetingRow.category_id)!.fullName).toBe(`kaltura-discord>${IDS.guild}`);
    expect(byId(b1.meetingRow.category_id)!.fullName).toBe(`kaltura-discord>${OTHER.guild}`);
    expect(a2.meetingRow.category_id).toBe(a1.meetingRow.category_id);
    expect([...categories.values()].filter((c) => c.status === 2).map((c) => c.fullName).sort()).toEqual(['kaltura-discord', `kaltura-discord>${IDS.guild}`, `kaltura-discord>${OTHER.guild}`]);
    for (const m of [a1, b1, a2]) expect(h.kaltura.store.entries.get(m.meetingRow.template_entry_id).categoriesIds).toBe(String(m.meetingRow.category_id));
    // a recording copies its template's category: server B's recording is not in server A's category
    const rec = h.kaltura.addRecording(b1.meetingRow.resource_id);
    expect(rec.categoriesIds).toBe(String(b1.meetingRow.category_id));

    // An admin of server B points it at an existing category; an unknown one is refused with nothing changed.
    const res = await fetch(`${h.discord.apiBaseUrl}/v10/applications/${IDS.app}/guilds/${OTHER.guild}/commands`, {
      method: 'PUT',
      headers: { authorization: `Bot ${h.discord.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(commandDefinitions),
    });
    expect(res.status).toBe(200);
    const setCategory = (value: string) =>
      h!.discord.invokeCommand({ ...inOther, member: admin, name: 'kaltura-admin', group: 'settings', subcommand: 'set', options: { key: 'kaltura.categoryId', value } }).reply();
    const refused = await setCategory('987654');
    expect(refused.content).toContain('no Kaltura category with id 987654');
    // server A's category (or the root holding every server's) is refused: one server's media never shows in another
    expect((await setCategory(String(a1.meetingRow.category_id))).content).toContain('belongs to another Discord server');
    const rootId = [...h.kaltura.store.categories.values()].find((c) => c.fullName === 'kaltura-discord')!.id;
    expect((await setCategory(String(rootId))).content).toContain('holds the categories of every Discord server');
    const existing = await k.services.category.add(kalturaObject('Category', { name: 'Course media' })).execute(createTestClient(h.kaltura, { ks: h.kaltura.mintKs({ type: 2 }) }));
    const accepted = await setCategory(String(existing.id));
    expect(accepted.content).toContain('Course media');
    const b2 = await start(h, 'B two', inOther);
    expect(b2.meetingRow.category_id).toBe(existing.id);
    expect(h.kaltura.store.entries.get(b2.meetingRow.template_entry_id).categoriesIds).toBe(String(existing.id));
    const a3 = await start(h, 'A three');
    expect(a3.meetingRow.category_id).toBe(a1.meetingRow.category_id); // server A is unaffected
  });
});
