/**
 * Zero orphans in Kaltura with the real serve process killed (SIGKILL) between the steps of
 * starting and ending meetings: after the restarts and once the retention has passed, the fake
 * Kaltura holds no room, no template entry and no session that could still open or record.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/index';
import { startFakeKaltura, type FakeKaltura } from '../fakes/kaltura/index';
import { GOOD } from '../helpers/config-fixtures';
import { freePort } from '../helpers/free-port';
import { startServe, type ServeProcess } from '../helpers/spawn-serve';
import { useTempDirs } from '../helpers/temp-dir';
import { buttonsOf, IDS, members, until } from './meeting-harness';

const DAY_S = 86_400;

describe('crash safety of the Kaltura cleanup: serve killed with SIGKILL between steps', () => {
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

  const exited = (serve: ServeProcess) => new Promise((r) => (serve.child.exitCode !== null || serve.child.signalCode !== null ? r(null) : serve.child.once('exit', r)));
  const leftovers = () => ({
    rooms: [...kaltura.store.resources.values()].filter((r) => r.status !== 3).length,
    events: [...kaltura.store.events.values()].filter((e) => e.status === 2 && e.endDate > Math.floor(Date.now() / 1000)).length,
    templates: [...kaltura.store.entries.values()].filter((e) => /^m_/.test(String(e.referenceId ?? '')) && !e.templateEntryId && e.status !== 3).length,
  });

  it('leaves no room, template or usable session behind after starts and ends interrupted by kills, once the retention has passed', async () => {
    const cwd = tempDir();
    const port = await freePort();
    fs.writeFileSync(path.join(cwd, 'kaltura-discord.yaml'), `discord: {token: ${GOOD.token}, applicationId: "${IDS.app}", apiBaseUrl: ${discord.apiBaseUrl}}
kaltura: {partnerId: ${kaltura.partnerId}, adminSecret: ${kaltura.adminSecret}, serviceUrl: ${kaltura.url}, kafUrl: ${kaltura.kafUrl}}
http: {listen: "127.0.0.1:${port}", publicUrl: "http://127.0.0.1:${port}"}
links: {secret: ${GOOD.linkSecret}}
defaults: {meetings: {maxLivePerMember: 0}}
recordings: {pollWindow: 10m, retireAfter: 1h}
logging: {format: json, level: info}
`, { mode: 0o600 });

    let serve: ServeProcess;
    const boot = async () => {
      const identified = discord.gateway.identifies.length;
      serve = await startServe([], { cwd });
      running.push(serve);
      await discord.waitForIdentify({ count: identified + 1 });
    };
    const kill = async () => {
      serve.child.kill('SIGKILL');
      await exited(serve);
    };
    const start = (title: string) =>
      discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.host, name: 'kaltura', subcommand: 'start', options: { title } });
    const startAndCard = async (title: string) => {
      expect((await start(title).reply()).content).toMatch(/is live/);
      return discord.channelMessages(IDS.channel).at(-1)!;
    };
    const clickEnd = (card: { id: string; components?: unknown }) =>
      discord.clickButton({ guildId: IDS.guild, channelId: IDS.channel, member: members.host, messageId: card.id, customId: buttonsOf(card).find((b) => b.label === 'End')!.custom_id! });

    await boot();
    for (let round = 0; round < 2; round++) {
      // 1. started and ended normally
      expect((await clickEnd(await startAndCard(`clean ${round}`)).reply()).content).toMatch(/has ended/);

      // 2. killed while the meeting is live: it runs to its scheduled end with nobody to end it
      await startAndCard(`live ${round}`);
      await kill();
      await boot();

      // 3. killed mid-start: Kaltura created the session, its answer never came
      const eventsBefore = kaltura.store.events.size;
      kaltura.inject({ kind: 'lost-reply' }, { service: 'schedule_scheduleevent', action: 'add', times: 1 });
      void start(`mid-start ${round}`).reply({ timeoutMs: 60_000 }).catch(() => undefined);
      await until('the session created in Kaltura', () => kaltura.store.events.size > eventsBefore);
      await kill();
      await boot();

      // 4. killed mid-End: ended in the database, Kaltura not told yet
      const card = await startAndCard(`mid-end ${round}`);
      const updatesBefore = kaltura.requests.filter((r) => r.action === 'update').length;
      kaltura.inject({ kind: 'hang' }, { service: 'schedule_scheduleevent', action: 'update', times: 1 });
      void clickEnd(card).reply({ timeoutMs: 60_000 }).catch(() => undefined);
      await until('the End on its way to Kaltura', () => kaltura.requests.filter((r) => r.action === 'update').length > updatesBefore);
      await kill();
      await boot();
    }
    await kill();
    expect(kaltura.store.resources.size).toBe(8);
    expect(leftovers().rooms).toBeGreaterThan(0);

    // Time passes: every scheduled end and the retention (1 h here). Both sides use the real clock
    // (KSs are checked against it), so the times are moved back instead: the bot's due times and
    // scheduled ends in its database, and those sessions' dates in Kaltura.
    const db = new Database(path.join(cwd, 'data', 'kaltura-discord.db'));
    db.prepare("UPDATE meetings SET created_at = created_at - 600000 WHERE status = 'starting'").run();
    const stillLive = (db.prepare("SELECT event_id AS eventId FROM meetings WHERE status = 'live'").all() as { eventId: number }[]).map((r) => r.eventId);
    expect(stillLive).toHaveLength(2);
    db.prepare("UPDATE meetings SET ends_at = 1000 WHERE status = 'live'").run();
    db.prepare('UPDATE kaltura_cleanup_jobs SET due_at = 0 WHERE done_at IS NULL').run();
    db.close();
    for (const id of stillLive) {
      const e = kaltura.store.events.get(id)!;
      e.startDate -= 8 * DAY_S;
      e.endDate -= 8 * DAY_S;
    }

    await boot(); // the reconciler runs at start, then every 30 s
    await until('nothing left in Kaltura', () => {
      const l = leftovers();
      return l.rooms + l.events + l.templates === 0;
    }, 45_000).catch((err: unknown) => {
      const dbg = new Database(path.join(cwd, 'data', 'kaltura-discord.db'), { readonly: true });
      console.error(JSON.stringify(leftovers()), JSON.stringify(dbg.prepare('SELECT kind, object_id, meeting_id, due_at, attempts, last_error, done_at FROM kaltura_cleanup_jobs').all()), JSON.stringify(dbg.prepare('SELECT id, status, ended_by, event_id, resource_id, template_entry_id FROM meetings').all()));
      dbg.close();
      console.error(serve!.stderr().split('\n').filter((l) => /warn|error|reconcil|cleanup/i.test(l)).slice(-30).join('\n'));
      throw err;
    });
    expect(kaltura.store.entries.size).toBeGreaterThanOrEqual(8); // the templates, now deleted
    expect(await serve!.stop('SIGTERM')).toBe(0);
    const after = new Database(path.join(cwd, 'data', 'kaltura-discord.db'), { readonly: true });
    expect(after.prepare("SELECT count(*) AS n FROM meetings WHERE status IN ('live', 'starting')").get()).toEqual({ n: 0 });
    expect(after.prepare('SELECT count(*) AS n FROM kaltura_cleanup_jobs WHERE done_at IS NULL AND attempts > 0').get()).toEqual({ n: 0 });
    // the Ends interrupted by a kill reached Kaltura after the restart: shortened and cancelled
    const endedByHost = after.prepare('SELECT event_id AS eventId, ended_at AS endedAt FROM meetings WHERE ended_by = ?').all(IDS.host) as { eventId: number; endedAt: number }[];
    expect(endedByHost).toHaveLength(4);
    for (const m of endedByHost) expect(kaltura.store.events.get(m.eventId)).toMatchObject({ status: 1, endDate: Math.floor(m.endedAt / 1000) });
    after.close();
  }, 120_000);
});
