import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/index';
import { startFakeKaltura, type FakeKaltura, type MediaEntry } from '../fakes/kaltura/index';
import { GOOD } from '../helpers/config-fixtures';
import { freePort } from '../helpers/free-port';
import { startServe, type ServeProcess } from '../helpers/spawn-serve';
import { useTempDirs } from '../helpers/temp-dir';
import { IDS, members, until } from './meeting-harness';

type Msg = { id: string; content: string; components?: unknown; message_reference?: { message_id?: string } };

/**
 * Where the process dies:
 * - `after-ack`: as soon as Kaltura got its first 200 (the rest of the burst in flight);
 * - `mid-send`: while the first notification's POST is at Discord, which never acts on it;
 * - `after-send`: Discord created the message but its answer has not reached the bot, so the
 *   outbox row is not marked sent.
 */
type KillPoint = 'after-ack' | 'mid-send' | 'after-send';
const KILL_POINTS: readonly KillPoint[] = ['after-ack', 'mid-send', 'after-send'];
const SESSIONS = 6;
const CHANNELS: Record<KillPoint, string> = { 'after-ack': IDS.channel, 'mid-send': '1300000000000000011', 'after-send': '1300000000000000012' };
const MESSAGES = /^\/channels\/\d+\/messages$/;

describe('crash safety: the real serve process killed with SIGKILL while webhooks turn into messages', () => {
  const tempDir = useTempDirs();
  let discord: FakeDiscord;
  let kaltura: FakeKaltura;
  const running: ServeProcess[] = [];
  beforeAll(async () => {
    kaltura = await startFakeKaltura();
    discord = await startFakeDiscord({
      applicationId: IDS.app,
      token: GOOD.token,
      guilds: [{ id: IDS.guild, name: 'Campus', channels: KILL_POINTS.map((p) => ({ id: CHANNELS[p], name: p })), roles: [{ id: IDS.guild, name: '@everyone', permissions: '0' }] }],
    });
  });
  afterAll(async () => {
    await discord.close();
    await kaltura.close();
  });
  afterEach(async () => {
    for (const p of running.splice(0)) await p.stop('SIGKILL');
  });

  const messagesIn = (channel: string) => discord.channelMessages(channel) as unknown as Msg[];
  const exited = (serve: ServeProcess) => new Promise((r) => (serve.child.exitCode !== null || serve.child.signalCode !== null ? r(null) : serve.child.once('exit', r)));

  for (const killPoint of KILL_POINTS) {
    it(`killed ${killPoint}: after a restart and Kaltura's redelivery of what was not acknowledged, every recording is announced exactly once`, async () => {
      const channel = CHANNELS[killPoint];
      const cwd = tempDir();
      const port = await freePort();
      const publicUrl = `http://127.0.0.1:${port}`;
      fs.writeFileSync(path.join(cwd, 'kaltura-discord.yaml'), `discord: {token: ${GOOD.token}, applicationId: "${IDS.app}", apiBaseUrl: ${discord.apiBaseUrl}}
kaltura: {partnerId: ${kaltura.partnerId}, adminSecret: ${kaltura.adminSecret}, serviceUrl: ${kaltura.url}, kafUrl: ${kaltura.kafUrl}}
http: {listen: "127.0.0.1:${port}", publicUrl: ${publicUrl}}
links: {secret: ${GOOD.linkSecret}}
defaults: {meetings: {maxLivePerMember: 0}}
logging: {format: json, level: info}
`, { mode: 0o600 });

      let serve = await startServe([], { cwd });
      running.push(serve);
      const identified = discord.gateway.identifies.length;
      await discord.waitForIdentify({ count: identified + 1 });

      // Sessions started through the bot and left live: the recording poller only searches ended
      // meetings, so it cannot make up for a webhook that was lost.
      const cards: Msg[] = [];
      const resources: number[] = [];
      for (let i = 0; i < SESSIONS; i++) {
        const before = new Set(kaltura.store.resources.keys());
        await discord.invokeCommand({ guildId: IDS.guild, channelId: channel, member: members.host, name: 'kaltura', subcommand: 'start', options: { title: `${killPoint} ${i}` } }).reply();
        cards.push(messagesIn(channel).filter((m) => !m.message_reference).at(-1)!);
        resources.push([...kaltura.store.resources.keys()].find((k) => !before.has(k))!);
      }
      expect(new Set(cards.map((c) => c.id)).size).toBe(SESSIONS);
      const entries: MediaEntry[] = resources.map((r) => kaltura.addRecording(r));
      const jobBase = 880_000 + KILL_POINTS.indexOf(killPoint) * 1_000;
      const emit = (i: number) =>
        kaltura.emitWebhook(`${publicUrl}/webhooks/kaltura`, { entry: entries[i]!, eventType: 3, jobId: jobBase + i }, { algo: 'sha256', retries: 0 }).then(
          (r) => r.status,
          () => 0, // the connection died: not acknowledged
        );
      const repliesBefore = messagesIn(channel).filter((m) => m.message_reference).length;
      expect(repliesBefore).toBe(0);

      let acknowledged: number[];
      if (killPoint === 'after-ack') {
        const burst = entries.map((_, i) => emit(i));
        await Promise.race(burst.map((p) => p.then((status) => (status === 200 ? undefined : new Promise(() => {})))));
        serve.child.kill('SIGKILL');
        acknowledged = await Promise.all(burst);
      } else {
        // Discord holds the first announcement: before acting on it (then drops the connection), or after creating the message.
        const sendsBefore = discord.requests.filter((r) => r.method === 'POST' && MESSAGES.test(r.path)).length;
        discord.failNext({ method: 'POST', path: MESSAGES }, killPoint === 'mid-send' ? { delayMs: 20_000, reset: true } : { delayMs: 20_000, afterHandling: true });
        acknowledged = await Promise.all(entries.map((_, i) => emit(i)));
        if (killPoint === 'mid-send') {
          await until('an announcement on its way to Discord', () => discord.requests.filter((r) => r.method === 'POST' && MESSAGES.test(r.path)).length > sendsBefore, 15_000);
        } else {
          await until('an announcement created at Discord, its answer held back', () => messagesIn(channel).some((m) => m.message_reference), 15_000);
        }
        serve.child.kill('SIGKILL');
      }
      await exited(serve);
      expect(acknowledged.filter((s) => s === 200).length).toBeGreaterThan(0);
      if (killPoint !== 'after-ack') expect(messagesIn(channel).filter((m) => m.message_reference).length).toBeLessThanOrEqual(1); // killed before the rest went out

      // Restart; Kaltura redelivers only what was not acknowledged (anything but 200/204 is retried).
      const identifiedBeforeRestart = discord.gateway.identifies.length;
      serve = await startServe([], { cwd });
      running.push(serve);
      await discord.waitForIdentify({ count: identifiedBeforeRestart + 1 });
      const redelivered = await Promise.all(acknowledged.map((status, i) => (status === 200 ? Promise.resolve(200) : emit(i))));
      expect(redelivered.every((s) => s === 200)).toBe(true);

      const repliesTo = (card: Msg) => messagesIn(channel).filter((m) => m.message_reference?.message_id === card.id);
      await until('a recording reply under every card', () => cards.every((c) => repliesTo(c).length > 0), 30_000);
      await new Promise((r) => setTimeout(r, 1_000)); // time for a duplicate to show up, if one were coming
      for (const c of cards) expect(repliesTo(c), `replies to card ${c.id}`).toHaveLength(1);
      expect(messagesIn(channel).filter((m) => m.message_reference)).toHaveLength(SESSIONS);
      expect(await serve.stop('SIGTERM')).toBe(0);
    }, 90_000);
  }
});
