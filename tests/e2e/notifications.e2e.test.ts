import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '../helpers/temp-dir';
import { IDS, members, startHarness, type Harness, until } from './meeting-harness';

type Msg = { id: string; content: string; components?: unknown; message_reference?: { message_id?: string }; embeds?: unknown };
const buttons = (m: Msg) => ((m.components ?? []) as { components: { label: string; url?: string; style: number }[] }[]).flatMap((r) => r.components);


async function startAndEnd(h: Harness, title: string): Promise<{ card: Msg; resourceId: number }> {
  const before = new Set(h.kaltura.store.resources.keys());
  await h.discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.host, name: 'kaltura', subcommand: 'start', options: { title } }).reply();
  const card = h.discord.channelMessages(IDS.channel).filter((m) => !m.message_reference).at(-1)! as unknown as Msg;
  const resourceId = [...h.kaltura.store.resources.keys()].find((k) => !before.has(k))!;
  const end = buttons(card).find((b) => b.label === 'End') as unknown as { custom_id: string };
  await h.discord.clickButton({ guildId: IDS.guild, channelId: IDS.channel, member: members.host, messageId: card.id, customId: end.custom_id }).reply();
  return { card, resourceId };
}

const repliesTo = (h: Harness, cardId: string) => (h.discord.channelMessages(IDS.channel) as unknown as Msg[]).filter((m) => m.message_reference?.message_id === cardId);

describe('notifications end to end: webhooks from the fake Kaltura, messages in the fake Discord', () => {
  const tempDir = useTempDirs();
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('a recording-ready webhook posts exactly one reply under the card with Watch, and adds Watch to the card, however often it is delivered', async () => {
    h = await startHarness(tempDir());
    const { card, resourceId } = await startAndEnd(h, 'Physics 101');
    const entry = h.kaltura.addRecording(resourceId);
    const deliveries = [];
    for (let i = 0; i < 3; i++) deliveries.push(await h.kaltura.emitWebhook(`${h.publicUrl}/webhooks/kaltura`, { entry, eventType: 3, jobId: 777001 }, { algo: 'sha256' }));
    expect(deliveries.map((d) => d.status)).toEqual([200, 200, 200]);
    expect(deliveries.map((d) => JSON.parse(d.body).status)).toEqual(['accepted', 'duplicate', 'duplicate']);

    const [reply] = await until('the recording reply', () => (repliesTo(h!, card.id).length ? repliesTo(h!, card.id) : undefined));
    expect(reply!.content).toContain('The recording of **Physics 101** is ready');
    const watch = buttons(reply!).find((b) => b.label === 'Watch')!;
    expect(watch.url).toContain(entry.id);
    const updated = await until('the Watch button on the card', () => {
      const c = h!.discord.message(card.id) as unknown as Msg;
      return buttons(c).some((b) => b.label === 'Watch') ? c : undefined;
    });
    expect(buttons(updated).find((b) => b.label === 'Watch')!.url).toBe(watch.url);

    // Redelivered later (Kaltura retries, or the poller finds it too): still one message.
    await h.kaltura.emitWebhook(`${h.publicUrl}/webhooks/kaltura`, { entry, eventType: 3 }, { algo: 'sha1', algoHeader: false });
    await new Promise((r) => setTimeout(r, 300));
    expect(repliesTo(h, card.id)).toHaveLength(1);
  });

  it('unsigned, wrongly signed, truncated or oversized webhooks change nothing and get 401/400/413', async () => {
    h = await startHarness(tempDir());
    const { card, resourceId } = await startAndEnd(h, 'Chemistry');
    const entry = h.kaltura.addRecording(resourceId);
    const url = `${h.publicUrl}/webhooks/kaltura`;
    const body = JSON.stringify({ object: { ...entry, objectType: 'KalturaMediaEntry' }, eventObjectType: '1', eventNotificationJobId: 991, eventType: 3, objectType: 'KalturaHttpNotification' });
    const unsigned = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(unsigned.status).toBe(401);
    const wrong = await h.kaltura.emitWebhook(url, { entry, eventType: 3, jobId: 992 }, { secret: 'not-the-admin-secret-0123456789ab' });
    expect(wrong.status).toBe(401);
    // A delivery cut short in transit: the signature covers the whole body, so the part fails it.
    const signature = createHash('sha256').update(h.kaltura.adminSecret + body).digest('hex');
    const headers = { 'content-type': 'application/json', 'x-kaltura-signature': signature, 'x-kaltura-hash-algo': 'sha256' };
    const truncated = await fetch(url, { method: 'POST', headers, body: body.slice(0, Math.floor(body.length / 2)) });
    expect(truncated.status).toBe(401);
    const signedGarbage = await h.kaltura.emitWebhook(url, { entry, eventType: 3, jobId: 995 }, { body: '{"object": {"id": "0_x"' });
    expect(signedGarbage.status).toBe(400);
    const huge = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-kaltura-signature': 'ab'.repeat(20) }, body: 'x'.repeat(300 * 1024) });
    expect(huge.status).toBe(413);
    await new Promise((r) => setTimeout(r, 300));
    expect(repliesTo(h, card.id)).toHaveLength(0);
    const rows = h.app.db.prepare('SELECT count(*) AS n FROM webhook_inbox').get() as { n: number };
    expect(rows.n).toBe(0);
    // Control: the same signature over the whole body is accepted, so the 401 above was the truncation.
    const whole = await fetch(url, { method: 'POST', headers, body });
    expect(whole.status).toBe(200);
  });

  it('with Discord answering 429s and 5xx for a while, every notification arrives, in order, none twice', async () => {
    // one host runs six sessions at once: above the default per-member limit (3)
    h = await startHarness(tempDir(), { extraYaml: '  meetings:\n    maxLivePerMember: 6\n  notifications:\n    sessionEnded:\n      enabled: true\n      template: "{title} has ended."\n' });
    const titles = ['One', 'Two', 'Three', 'Four', 'Five', 'Six'];
    const starts = [];
    for (const title of titles) {
      await h.discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.host, name: 'kaltura', subcommand: 'start', options: { title } }).reply();
      starts.push((h.discord.channelMessages(IDS.channel) as unknown as Msg[]).at(-1)!);
    }
    const path = new RegExp(`/channels/${IDS.channel}/messages$`);
    h.discord.rateLimitNext({ method: 'POST', path }, { count: 3, retryAfterMs: 150 });
    h.discord.failNext({ method: 'POST', path }, { count: 4, status: 503 });
    for (const card of starts) {
      const end = buttons(card).find((b) => b.label === 'End') as unknown as { custom_id: string };
      await h.discord.clickButton({ guildId: IDS.guild, channelId: IDS.channel, member: members.host, messageId: card.id, customId: end.custom_id }).reply();
    }
    const ended = await until('six session-ended notifications', () => {
      const ms = (h!.discord.channelMessages(IDS.channel) as unknown as Msg[]).filter((m) => m.content.endsWith('has ended.'));
      return ms.length >= 6 ? ms : undefined;
    }, 30_000);
    expect(ended.map((m) => m.content)).toEqual(titles.map((t) => `${t} has ended.`));
    await new Promise((r) => setTimeout(r, 300));
    expect((h.discord.channelMessages(IDS.channel) as unknown as Msg[]).filter((m) => m.content.endsWith('has ended.'))).toHaveLength(6);
    expect(h.discord.requests.some((r) => r.method === 'POST' && path.test(r.path) && r.status === 429)).toBe(true);
  });

  it('with webhooks disabled, the poller still posts the recording of a meeting that ended', async () => {
    h = await startHarness(tempDir(), { extraYaml: 'webhooks:\n  enabled: false\n' });
    const { card, resourceId } = await startAndEnd(h, 'Biology');
    expect((await fetch(`${h.publicUrl}/webhooks/kaltura`, { method: 'POST', body: '{}' })).status).toBe(404);
    h.kaltura.addRecording(resourceId);
    await h.restart(); // the poller also runs at start: a recording that became ready while the bot was down
    const [reply] = await until('the recording reply from the poller', () => (repliesTo(h!, card.id).length ? repliesTo(h!, card.id) : undefined));
    expect(reply!.content).toContain('The recording of **Biology** is ready');
  });
});
