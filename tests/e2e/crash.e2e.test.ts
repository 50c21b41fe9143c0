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
const buttons = (m: Msg) => ((m.components ?? []) as { components: { label: string; custom_id?: string }[] }[]).flatMap((r) => r.components);


describe('crash safety: the real serve process killed with SIGKILL during a burst of webhooks', () => {
  const tempDir = useTempDirs();
  let discord: FakeDiscord;
  let kaltura: FakeKaltura;
  const running: ServeProcess[] = [];
  beforeAll(async () => {
    kaltura = await startFakeKaltura();
    discord = await startFakeDiscord({
      applicationId: IDS.app,
      token: GOOD.token,
      guilds: [{ id: IDS.guild, name: 'Campus', channels: [{ id: IDS.channel, name: 'lectures' }], roles: [{ id: IDS.guild, name: '@everyone', permissions: '0' }] }],
    });
  });
  afterAll(async () => {
    await discord.close();
    await kaltura.close();
  });
  afterEach(async () => {
    for (const p of running.splice(0)) await p.stop('SIGKILL');
  });

  it('after a restart, every accepted webhook has produced its message exactly once', async () => {
    const cwd = tempDir();
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    fs.writeFileSync(path.join(cwd, 'kaltura-discord.yaml'), `discord: {token: ${GOOD.token}, applicationId: "${IDS.app}", apiBaseUrl: ${discord.apiBaseUrl}}
kaltura: {partnerId: ${kaltura.partnerId}, adminSecret: ${kaltura.adminSecret}, serviceUrl: ${kaltura.url}, kafUrl: ${kaltura.kafUrl}}
http: {listen: "127.0.0.1:${port}", publicUrl: ${publicUrl}}
links: {secret: ${GOOD.linkSecret}}
logging: {format: json, level: info}
`, { mode: 0o600 });

    let serve = await startServe([], { cwd });
    running.push(serve);
    await discord.waitForIdentify({ count: 1 });

    // Ten sessions, started and ended through the bot.
    const cards: Msg[] = [];
    const resources: number[] = [];
    for (let i = 0; i < 10; i++) {
      const before = new Set(kaltura.store.resources.keys());
      await discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.host, name: 'kaltura', subcommand: 'start', options: { title: `Lecture ${i}` } }).reply();
      const card = (discord.channelMessages(IDS.channel) as unknown as Msg[]).filter((m) => !m.message_reference).at(-1)!;
      cards.push(card);
      resources.push([...kaltura.store.resources.keys()].find((k) => !before.has(k))!);
      const end = buttons(card).find((b) => b.label === 'End')!;
      await discord.clickButton({ guildId: IDS.guild, channelId: IDS.channel, member: members.host, messageId: card.id, customId: end.custom_id! }).reply();
    }
    const entries: MediaEntry[] = resources.map((r) => kaltura.addRecording(r));
    const emit = (entry: MediaEntry, i: number) =>
      kaltura.emitWebhook(`${publicUrl}/webhooks/kaltura`, { entry, eventType: 3, jobId: 880_000 + i }, { algo: 'sha256', retries: 0 }).then(
        (r) => r.status,
        () => 0,
      );

    // The burst; the process is killed as soon as the first webhook is accepted.
    const burst = entries.map((e, i) => emit(e, i));
    await Promise.race(burst.map((p) => p.then((status) => (status === 200 ? undefined : new Promise(() => {})))));
    serve.child.kill('SIGKILL');
    const statuses = await Promise.all(burst);
    await new Promise((r) => serve.child.exitCode !== null || serve.child.signalCode !== null ? r(null) : serve.child.once('exit', r));
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);

    // Restart; Kaltura redelivers what was not acknowledged (and, here, everything else too).
    serve = await startServe([], { cwd });
    running.push(serve);
    await discord.waitForIdentify({ count: 2 });
    const redelivered = await Promise.all(entries.map((e, i) => emit(e, i)));
    expect(redelivered.every((s) => s === 200)).toBe(true);

    await until('a recording reply under every card', () => cards.every((c) => (discord.channelMessages(IDS.channel) as unknown as Msg[]).some((m) => m.message_reference?.message_id === c.id)), 20_000);
    await new Promise((r) => setTimeout(r, 500));
    const replies = (discord.channelMessages(IDS.channel) as unknown as Msg[]).filter((m) => m.message_reference);
    expect(replies).toHaveLength(10);
    for (const c of cards) expect(replies.filter((m) => m.message_reference?.message_id === c.id)).toHaveLength(1);
    expect(await serve.stop('SIGTERM')).toBe(0);
  }, 60_000);
});
