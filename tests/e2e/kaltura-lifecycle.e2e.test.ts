/**
 * The meeting lifecycle in Kaltura as a member sees it, through the real app against the fake
 * Discord and the fake Kaltura: End really ends the session there, a session cancelled in
 * Kaltura ends the card, and with Kaltura hanging the member is told within 15 s (measured at
 * the fake Discord) while what a start or an end left undone is finished once Kaltura answers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '../helpers/temp-dir';
import { buttonsOf, IDS, members, startHarness, until, type Harness } from './meeting-harness';

/** The bound for telling a member; the app's budget (kaltura.interactiveTimeout) is 10 s. */
const TOLD_WITHIN_MS = 15_000;

const statusOf = (message: { embeds?: unknown }) =>
  ((message.embeds as { fields: { name: string; value: string }[] }[])[0]!.fields).find((f) => f.name === 'Status')!.value;

/** Rooms not deleted, events still ACTIVE, template entries (carrying a meeting id) not deleted. */
function leftovers(h: Harness): { rooms: number; events: number; templates: number } {
  return {
    rooms: [...h.kaltura.store.resources.values()].filter((r) => r.status !== 3).length,
    events: [...h.kaltura.store.events.values()].filter((e) => e.status === 2).length,
    templates: [...h.kaltura.store.entries.values()].filter((e) => /^m_/.test(String(e.referenceId ?? '')) && !e.templateEntryId && e.status !== 3).length,
  };
}

describe('the meeting lifecycle in Kaltura, end to end', () => {
  const tempDir = useTempDirs();
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const startMeeting = async (harness: Harness, title: string) => {
    const reply = await harness.discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.host, name: 'kaltura', subcommand: 'start', options: { title, record: true } }).reply();
    expect(reply.content).toMatch(/is live/);
    const card = harness.discord.channelMessages(IDS.channel).at(-1)!;
    const event = [...harness.kaltura.store.events.values()].at(-1)!;
    return { card, event };
  };

  it('End shortens the session to now and cancels it in Kaltura, so its recording stops', async () => {
    h = await startHarness(tempDir());
    const { card, event } = await startMeeting(h, 'Lecture 3');
    expect(h.kaltura.recordingNow(event.id)).toBe(true);
    const scheduledEnd = event.endDate;
    const end = buttonsOf(card).find((b) => b.label === 'End')!;
    const before = Math.floor(Date.now() / 1000);
    const reply = await h.discord.clickButton({ guildId: IDS.guild, channelId: IDS.channel, member: members.host, messageId: card.id, customId: end.custom_id! }).reply();
    expect(reply.content).toMatch(/has ended/);
    const after = Math.floor(Date.now() / 1000);
    const ended = h.kaltura.store.events.get(event.id)!;
    expect(ended.status).toBe(1); // CANCELLED
    expect(ended.endDate).toBeGreaterThanOrEqual(before);
    expect(ended.endDate).toBeLessThanOrEqual(after);
    expect(ended.endDate).toBeLessThan(scheduledEnd);
    expect(h.kaltura.recordingNow(event.id)).toBe(false);
  });

  it('a session cancelled in Kaltura ends its card', async () => {
    h = await startHarness(tempDir());
    const { card, event } = await startMeeting(h, 'Cancelled by an admin');
    h.kaltura.store.events.get(event.id)!.status = 1; // cancelled in the KMC (no webhook exists for it)
    await until('the card to say ended', () => !statusOf(h!.discord.channelMessages(IDS.channel).find((m) => m.id === card.id)!).includes('Live'));
    const rows = h.app.db.prepare('SELECT status, ended_by FROM meetings').all();
    expect(rows).toEqual([{ status: 'ended', ended_by: 'kaltura' }]);
  });

  it('with Kaltura hanging, a member who starts a meeting is told within 15 s, and nothing is left behind once it answers again', async () => {
    h = await startHarness(tempDir(), { requestTimeout: '30s' }); // the default request timeout
    // Kaltura takes the event, creates it, and never answers.
    h.kaltura.inject({ kind: 'lost-reply' }, { service: 'schedule_scheduleevent', action: 'add' });
    const began = performance.now();
    const start = h.discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.host, name: 'kaltura', subcommand: 'start', options: { title: 'Stuck' } });
    const reply = await start.reply({ timeoutMs: 25_000 }); // wait past the bound, so a slow answer is measured, not cut off
    const toldAfterMs = performance.now() - began;
    expect(reply.content).toMatch(/Kaltura is not answering right now; try again in a minute/);
    expect(toldAfterMs).toBeLessThan(TOLD_WITHIN_MS);
    console.info(`kaltura hangs: the member was told after ${Math.round(toldAfterMs)} ms`);
    expect(h.discord.channelMessages(IDS.channel)).toHaveLength(0);
    expect(leftovers(h).events).toBe(1); // created in Kaltura although the bot never heard back
    h.kaltura.clearFaults(); // Kaltura answers again: the reconciler's cleanup job removes it all
    await until('nothing left in Kaltura', () => {
      const l = leftovers(h!);
      return l.rooms + l.events + l.templates === 0;
    });
  }, 45_000);

  it('with every Kaltura request hanging from the first start in a server on, the member is told within 15 s', async () => {
    h = await startHarness(tempDir(), { requestTimeout: '30s' });
    h.kaltura.inject({ kind: 'hang' }); // accepts every connection, never answers
    const began = performance.now();
    const reply = await h.discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.host, name: 'kaltura', subcommand: 'start', options: { title: 'Down' } }).reply({ timeoutMs: 25_000 });
    const toldAfterMs = performance.now() - began;
    expect(reply.content).toMatch(/Kaltura is not answering right now/);
    expect(toldAfterMs).toBeLessThan(TOLD_WITHIN_MS);
    console.info(`kaltura hangs entirely: the member was told after ${Math.round(toldAfterMs)} ms`);
  }, 45_000);

  it('with Kaltura hanging, a member who ends a meeting is told within 15 s; Kaltura ends it once it answers', async () => {
    h = await startHarness(tempDir(), { requestTimeout: '30s' });
    const { card, event } = await startMeeting(h, 'End while down');
    h.kaltura.inject({ kind: 'hang' }, { service: 'schedule_scheduleevent', action: 'update' });
    const end = buttonsOf(card).find((b) => b.label === 'End')!;
    const began = performance.now();
    const reply = await h.discord.clickButton({ guildId: IDS.guild, channelId: IDS.channel, member: members.host, messageId: card.id, customId: end.custom_id! }).reply({ timeoutMs: 25_000 });
    const toldAfterMs = performance.now() - began;
    expect(toldAfterMs).toBeLessThan(TOLD_WITHIN_MS);
    console.info(`kaltura hangs: the member who ended was told after ${Math.round(toldAfterMs)} ms`);
    expect(reply.content).toMatch(/has ended[\s\S]*Kaltura is not answering right now/);
    expect(statusOf(h.discord.channelMessages(IDS.channel).find((m) => m.id === card.id)!)).not.toContain('Live');
    expect(h.kaltura.store.events.get(event.id)!.status).toBe(2);
    h.kaltura.clearFaults(); // Kaltura answers again: the end-event job (due 15 s after the End) finishes it
    await until('the session cancelled in Kaltura', () => h!.kaltura.store.events.get(event.id)!.status === 1, 15_000);
    expect(h.kaltura.store.events.get(event.id)!.endDate).toBeLessThan(event.endDate);
  }, 45_000);
});
