import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { sessionTokenKey, signSessionToken } from '../../src/core/media/session-tokens';
import { commandDefinitions } from '../../src/discord/commands/kaltura-command';
import { GOOD } from '../helpers/config-fixtures';
import { until } from '../helpers/until';
import { IDS, buttonsOf, linkButtonUrl, members } from './meeting-harness';
import { startTwoInstances, type TwoInstances } from './multi-instance-harness';

type Msg = { id: string; content: string; components?: unknown; message_reference?: { message_id?: string } };

/** Starts and ends a meeting through instance A (the interactions endpoint); returns its card and Kaltura resource. */
async function startAndEnd(t: TwoInstances, title: string): Promise<{ card: Msg; resourceId: number }> {
  const before = new Set(t.kaltura.store.resources.keys());
  await t.discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.host, name: 'kaltura', subcommand: 'start', options: { title } }).reply();
  const card = (t.discord.channelMessages(IDS.channel) as unknown as Msg[]).filter((m) => !m.message_reference).at(-1)!;
  const resourceId = [...t.kaltura.store.resources.keys()].find((k) => !before.has(k))!;
  const end = buttonsOf(card).find((b) => b.label === 'End')!;
  await t.discord.clickButton({ guildId: IDS.guild, channelId: IDS.channel, member: members.host, messageId: card.id, customId: end.custom_id! }).reply();
  return { card, resourceId };
}

const recordingReplies = (t: TwoInstances, cardId: string) =>
  (t.discord.channelMessages(IDS.channel) as unknown as Msg[]).filter((m) => m.message_reference?.message_id === cardId && /recording of/.test(m.content));

/** Starting two instances (one from the sources) is slow on a shared machine; every wait below is still bounded. */
const SLOW = 120_000;

/**
 * Two instances on one PostgreSQL database (discord.mode http): what must hold when work lands on
 * either of them, at once, or when one of them dies. One pair for the file (starting it is the slow
 * part); the test that kills B runs last.
 */
describe('two instances on one PostgreSQL database', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kd-multi-'));
  let t: TwoInstances;
  beforeAll(async () => {
    t = await startTwoInstances(dir);
  }, SLOW);
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }, SLOW);

  it('a join link clicked many times at once on both instances redirects exactly once', async () => {
    const { discord } = t;
    await discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.host, name: 'kaltura', subcommand: 'start', options: { title: 'Physics 101' } }).reply();
    const card = (discord.channelMessages(IDS.channel) as unknown as Msg[]).at(-1)!;
    const meetingId = buttonsOf(card).find((b) => b.label === 'Join')!.custom_id!.split(':')[2]!;
    const join = await discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.student, name: 'kaltura', subcommand: 'join', options: { meeting: meetingId } }).reply();
    const link = new URL(linkButtonUrl(join));
    const onB = new URL(link.pathname + link.search, t.b.url);
    const clicks = await Promise.all(Array.from({ length: 12 }, (_, i) => fetch(i % 2 ? onB : link, { redirect: 'manual' })));
    const statuses = clicks.map((r) => r.status);
    expect(statuses.filter((s) => s === 302)).toHaveLength(1);
    // The others are refusals a person can read, never a server error.
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
  }, SLOW);

  it('recording webhooks spread over both instances post every reply exactly once (two dispatchers, one outbox)', async () => {
    const meetings: { card: Msg; resourceId: number }[] = [];
    for (const title of ['Algebra', 'Biology', 'Chemistry', 'Drama']) meetings.push(await startAndEnd(t, title));
    const deliveries = await Promise.all(meetings.flatMap(({ resourceId }, i) => {
      const entry = t!.kaltura.addRecording(resourceId);
      // Kaltura may deliver the same event more than once; here each goes to both instances.
      return [t!.aUrl, t!.b.url].map((base) => t!.kaltura.emitWebhook(`${base}/webhooks/kaltura`, { entry, eventType: 3, jobId: 880_000 + i }, { algo: 'sha256' }));
    }));
    expect(deliveries.map((d) => d.status)).toEqual(Array(8).fill(200));
    for (const { card } of meetings) await until(`the recording reply under ${card.id}`, () => recordingReplies(t!, card.id).length > 0, 30_000);
    // A late duplicate would show up after the last one; one more round through both inboxes settles that.
    await t.kaltura.emitWebhook(`${t.b.url}/webhooks/kaltura`, { entry: t.kaltura.addRecording(meetings[0]!.resourceId), eventType: 3, jobId: 889_999 }, { algo: 'sha256' });
    await until('the extra recording reply', () => recordingReplies(t!, meetings[0]!.card.id).length === 2, 30_000);
    expect(meetings.map(({ card }) => recordingReplies(t!, card.id).length)).toEqual([2, 1, 1, 1]);
  }, SLOW);

  it("a settings change made on A reaches B's cache at once (NOTIFY): B's next notification follows it", async () => {
    // Commands registered as register-commands would, so the admin command's options arrive typed.
    const registered = await fetch(`${t.discord.apiBaseUrl}/v10/applications/${IDS.app}/guilds/${IDS.guild}/commands`, {
      method: 'PUT',
      headers: { authorization: `Bot ${t.discord.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(commandDefinitions),
    });
    expect(registered.status).toBe(200);
    // B reads (and caches) this server's notification settings: the default, a reply under the card.
    const first = await startAndEnd(t, 'Geology');
    expect((await t.kaltura.emitWebhook(`${t.b.url}/webhooks/kaltura`, { entry: t.kaltura.addRecording(first.resourceId), eventType: 3, jobId: 770_001 }, { algo: 'sha256' })).status).toBe(200);
    await until('the reply under the card', () => recordingReplies(t, first.card.id).length === 1, 30_000);
    // On A, an admin routes recording-ready to #announcements.
    const admin = { id: '1500000000000000010', username: 'ada', roles: [], permissions: 1n << 5n };
    const set = await t.discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: admin, name: 'kaltura-admin', group: 'settings', subcommand: 'set-channel',
      options: { key: 'notifications.recordingReady.channelId', channel: IDS.announcements } }).reply();
    expect(set.content).toContain(`is now <#${IDS.announcements}>`);
    // B's next recording-ready goes there (B's cached default was dropped), not under the card.
    const second = await startAndEnd(t, 'History');
    expect((await t.kaltura.emitWebhook(`${t.b.url}/webhooks/kaltura`, { entry: t.kaltura.addRecording(second.resourceId), eventType: 3, jobId: 770_002 }, { algo: 'sha256' })).status).toBe(200);
    const landed = await until('the recording-ready message in #announcements', () =>
      t.discord.channelMessages(IDS.announcements).find((m) => m.content.includes('recording of **History**')), 30_000);
    expect(landed.content).toContain('is ready');
    expect(recordingReplies(t, second.card.id)).toEqual([]);
    // Back to the default for the tests after this one (reset asks for a confirmation click).
    const ask = t.discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: admin, name: 'kaltura-admin', group: 'settings', subcommand: 'reset',
      options: { key: 'notifications.recordingReady.channelId' } });
    const confirm = buttonsOf(await ask.reply()).find((b) => b.label === 'Reset')!;
    const done = await t.discord.clickButton({ guildId: IDS.guild, channelId: IDS.channel, member: admin, fromReply: ask, customId: confirm.custom_id! }).reply();
    expect(done.content).toContain('is back to');
  }, SLOW);

  it('a watch party lives on one instance: a member whose socket reaches the other one is told (4421), not put in a second room', async () => {
    // A member's Activity session, as POST /activity/api/session issues it (same links secret on both instances).
    const hello = (userId: string) => ({
      t: 'hello',
      session: signSessionToken({ userId, guildId: IDS.guild, channelId: IDS.channel, instanceId: 'i-party-1', displayName: `Member ${userId.slice(-2)}` },
        { key: sessionTokenKey(GOOD.linkSecret), now: Date.now() }).token,
    });
    const open = (base: string, userId: string) => {
      const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/activity/ws?instance=i-party-1`);
      const socket = { ws, frames: [] as { t: string }[], closedWith: undefined as number | undefined };
      ws.on('message', (d) => socket.frames.push(JSON.parse(String(d)) as { t: string }));
      ws.on('close', (code) => (socket.closedWith = code));
      ws.once('open', () => ws.send(JSON.stringify(hello(userId))));
      return socket;
    };
    const host = open(t.aUrl, IDS.host);
    await until('the host in the room on A', () => host.frames.some((f) => f.t === 'welcome'), 30_000);
    const misrouted = open(t.b.url, IDS.student);
    await until('B to answer the hello', () => misrouted.closedWith !== undefined || misrouted.frames.some((f) => f.t === 'welcome'), 30_000);
    expect(misrouted.frames.some((f) => f.t === 'welcome')).toBe(false);
    expect(misrouted.closedWith).toBe(4421);
    // Routed right (same instance id → A), the same member joins the party.
    const routed = open(t.aUrl, IDS.student);
    await until('the student in the room on A', () => routed.frames.some((f) => f.t === 'welcome'), 30_000);
    host.ws.close();
    routed.ws.close();
  }, SLOW);

  it('when one instance is SIGKILLed mid-burst, the other finishes every accepted event, each posted once', async () => {
    const meetings: { card: Msg; resourceId: number }[] = [];
    for (const title of ['Art', 'Botany', 'Civics', 'Dance', 'Ethics', 'French']) meetings.push(await startAndEnd(t, title));
    const events = meetings.map(({ resourceId }, i) => ({ entry: t!.kaltura.addRecording(resourceId), eventType: 3, jobId: 990_000 + i }));
    // The whole burst goes to B at once; B is SIGKILLed as soon as it acknowledged the first event, with the
    // rest in flight (accepted, claimed, being sent, or not yet read).
    const sends = events.map((e) => t.kaltura.emitWebhook(`${t.b.url}/webhooks/kaltura`, e, { algo: 'sha256' }).catch(() => undefined));
    await Promise.any(sends.map((p) => p.then((r) => (r?.status === 200 ? r : Promise.reject(new Error('not accepted'))))));
    await t.b.kill();
    const results = await Promise.all(sends);
    expect(results.some((r) => r?.status === 200)).toBe(true);
    // Time passes for the survivor: whatever B had leased is free again.
    t.advanceA(10 * 60_000);
    // Kaltura retries what was not acknowledged, through the load balancer: now to A.
    for (const [i, e] of events.entries()) {
      if (results[i]?.status !== 200) expect((await t.kaltura.emitWebhook(`${t.aUrl}/webhooks/kaltura`, e, { algo: 'sha256' })).status).toBe(200);
    }
    // Nudge A's inbox once more (a new event) so it passes over what B left behind.
    await t.kaltura.emitWebhook(`${t.aUrl}/webhooks/kaltura`, { entry: t.kaltura.addRecording(meetings[0]!.resourceId), eventType: 3, jobId: 999_999 }, { algo: 'sha256' });
    for (const { card } of meetings) await until(`the recording reply under ${card.id}`, () => recordingReplies(t!, card.id).length > 0, 45_000);
    await until('the nudge reply', () => recordingReplies(t!, meetings[0]!.card.id).length === 2, 45_000);
    expect(meetings.map(({ card }) => recordingReplies(t!, card.id).length)).toEqual([2, 1, 1, 1, 1, 1]);
  }, SLOW);
});
