import http from 'node:http';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../bin/main';
import { VERSION } from '../../../src/version';
import { startFakeDiscord, type FakeDiscord } from '../../fakes/discord/index';
import { startFakeKaltura, type FakeKaltura } from '../../fakes/kaltura/index';
import { commentedConfig, GOOD } from '../../helpers/config-fixtures';
import { freePort } from '../../helpers/free-port';
import { runCli } from '../../helpers/run-cli';
import { useTempDirs } from '../../helpers/temp-dir';

interface Check { id: string; status: 'ok' | 'warn' | 'fail'; detail: string; fix?: string }

const G = '1200000000000000001';
const BOT_ROLE = '1200000000000000002';
const MUTED_ROLE = '1200000000000000003';
const OK_CHANNEL = '1300000000000000001';
const NO_EMBED_CHANNEL = '1300000000000000002';
const HIDDEN_CHANNEL = '1300000000000000003';
const OVERWRITE_CHANNEL = '1300000000000000004';
const P = { VIEW: 1n << 10n, SEND: 1n << 11n, EMBED: 1n << 14n, HISTORY: 1n << 16n };

/** A tiny server closing over its listener. */
async function listen(handler: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

describe('kaltura-discord doctor: channel permissions, public URL, clock', () => {
  const tempDir = useTempDirs();
  let discord: FakeDiscord;
  let kaltura: FakeKaltura;
  /** In front of the fake Discord: shifts its `Date` header and adds channel overwrites (the fake has none). */
  let proxy: Awaited<ReturnType<typeof listen>>;
  let dateOffsetMs = 0;
  const overwrites = new Map<string, unknown[]>();
  let publicSite: Awaited<ReturnType<typeof listen>>;
  let publicMode: 'bot' | '404' | 'old-bot' = 'bot';

  beforeAll(async () => {
    const botId = GOOD.applicationId;
    discord = await startFakeDiscord({
      applicationId: GOOD.applicationId,
      token: GOOD.token,
      guilds: [{
        id: G,
        name: 'Campus',
        channels: [
          { id: OK_CHANNEL, name: 'recordings' },
          { id: NO_EMBED_CHANNEL, name: 'announcements' },
          { id: HIDDEN_CHANNEL, name: 'staff' },
          { id: OVERWRITE_CHANNEL, name: 'lecture-hall' },
        ],
        roles: [
          { id: G, name: '@everyone', permissions: P.VIEW | P.SEND | P.HISTORY, position: 0 },
          { id: BOT_ROLE, name: 'Kaltura', permissions: P.EMBED, position: 1 },
          { id: MUTED_ROLE, name: 'Quiet', permissions: 0n, position: 2 },
        ],
        members: [{ id: botId, username: 'campus-bot', roles: [BOT_ROLE] }],
      }],
    });
    kaltura = await startFakeKaltura({ adminSecret: GOOD.adminSecret });
    const upstream = new URL(discord.apiBaseUrl);
    proxy = await listen((req, res) => {
      const forward = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
        const chunks: Buffer[] = [];
        up.on('data', (c: Buffer) => chunks.push(c));
        up.on('end', () => {
          let body = Buffer.concat(chunks);
          const channel = /^\/api\/v10\/channels\/(\d+)$/.exec(req.url ?? '')?.[1];
          if (channel && overwrites.has(channel) && up.statusCode === 200) {
            body = Buffer.from(JSON.stringify({ ...JSON.parse(body.toString('utf8')), permission_overwrites: overwrites.get(channel) }));
          }
          const headers = { ...up.headers, 'content-length': String(body.length), date: new Date(Date.now() + dateOffsetMs).toUTCString() };
          res.writeHead(up.statusCode ?? 502, headers);
          res.end(body);
        });
      });
      req.pipe(forward);
    });
    publicSite = await listen((req, res) => {
      if (publicMode === '404' || req.url !== '/healthz') {
        res.writeHead(404, { 'content-type': 'text/plain' });
        return res.end('Not Found');
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok', version: publicMode === 'old-bot' ? '0.0.1' : VERSION, uptimeSeconds: 42 }));
    });
  });
  afterAll(async () => {
    await proxy.close();
    await publicSite.close();
    await discord.close();
    await kaltura.close();
  });
  beforeEach(() => {
    dateOffsetMs = 0;
    overwrites.clear();
    publicMode = 'bot';
    discord.allowChannel(HIDDEN_CHANNEL);
  });

  function configDir(o: { channels?: Record<string, string>; publicUrl?: string } = {}): string {
    const cwd = tempDir();
    const channels = o.channels ?? { recordingReady: OK_CHANNEL };
    const notifications = Object.entries(channels).map(([kind, id]) => `    ${kind}:\n      enabled: true\n      channelId: "${id}"\n`).join('');
    const text = commentedConfig()
      .replace('discord:\n', `discord:\n  apiBaseUrl: ${proxy.url}/api\n`)
      .replace('  serviceUrl: https://www.kaltura.com', `  serviceUrl: ${kaltura.url}\n  kafUrl: ${kaltura.kafUrl}`)
      .replace('publicUrl: https://bot.example.org', `publicUrl: ${o.publicUrl ?? publicSite.url}`)
      .concat(`webhooks:\n  enabled: false\n${notifications ? `defaults:\n  notifications:\n${notifications}` : ''}`);
    fs.writeFileSync(path.join(cwd, 'kaltura-discord.yaml'), text, { mode: 0o600 });
    return cwd;
  }

  async function doctor(cwd: string) {
    const r = await runCli(['doctor', '--json'], { cwd });
    for (const s of [GOOD.token, GOOD.adminSecret, GOOD.linkSecret]) expect(r.stdout + r.stderr).not.toContain(s);
    const out = JSON.parse(r.stdout) as { ok: boolean; checks: Check[] };
    return { code: r.code, ids: out.checks.map((c) => c.id), byId: Object.fromEntries(out.checks.map((c) => [c.id, c])) as Record<string, Check> };
  }

  it('passes the new checks when everything is in place, in a stable order', async () => {
    const r = await doctor(configDir({ channels: { recordingReady: OK_CHANNEL, sessionStarted: OK_CHANNEL } }));
    expect(r.byId['discord.channels']).toMatchObject({ status: 'ok', detail: `channel ${OK_CHANNEL} (recordingReady, sessionStarted): View Channel, Send Messages, Embed Links and Read Message History granted` });
    expect(r.byId['http.public-url']).toMatchObject({ status: 'ok', detail: `GET ${publicSite.url}/healthz reached the bot (version ${VERSION}, up 42 s)` });
    expect(r.byId['clock.skew']!.status).toBe('ok');
    expect(r.byId['clock.skew']!.detail).toMatch(/^this machine is \d\.\d s (behind|ahead of) Discord\nthis machine is \d\.\d s (behind|ahead of) Kaltura$/);
    const at = (id: string) => r.ids.indexOf(id);
    expect(at('discord.commands')).toBeLessThan(at('discord.channels'));
    expect(at('discord.channels')).toBeLessThan(at('http.public-url'));
    expect(at('http.public-url')).toBeLessThan(at('clock.skew'));
    expect(at('clock.skew')).toBeLessThan(at('kaltura.service-url'));
    // the existing checks are all still there
    for (const id of ['config.valid', 'config.safety', 'database', 'discord.token', 'discord.commands', 'kaltura.credentials']) expect(r.ids).toContain(id);
  });

  it('fails discord.channels naming the channel and the missing permission (roles, a hidden channel, overwrites)', async () => {
    discord.denyChannel(HIDDEN_CHANNEL);
    overwrites.set(NO_EMBED_CHANNEL, [{ id: BOT_ROLE, type: 0, allow: '0', deny: String(P.EMBED) }]);
    // @everyone may not post here, but the bot's own member overwrite allows it
    overwrites.set(OVERWRITE_CHANNEL, [
      { id: G, type: 0, allow: '0', deny: String(P.SEND) },
      { id: GOOD.applicationId, type: 1, allow: String(P.SEND), deny: '0' },
    ]);
    const r = await doctor(configDir({ channels: { recordingReady: OK_CHANNEL, sessionStarted: NO_EMBED_CHANNEL, sessionEnded: HIDDEN_CHANNEL, memberJoined: OVERWRITE_CHANNEL } }));
    expect(r.code).toBe(1);
    const check = r.byId['discord.channels']!;
    expect(check.status).toBe('fail');
    expect(check.detail.split('\n')).toEqual([
      `channel ${OK_CHANNEL} (recordingReady): View Channel, Send Messages, Embed Links and Read Message History granted`,
      `channel ${NO_EMBED_CHANNEL} (sessionStarted): missing Embed Links`,
      `channel ${HIDDEN_CHANNEL} (sessionEnded): the bot cannot see it (Missing Access 50001): View Channel is missing`,
      `channel ${OVERWRITE_CHANNEL} (memberJoined): View Channel, Send Messages, Embed Links and Read Message History granted`,
    ]);
    expect(check.fix).toMatch(/channel's settings → Permissions.*allow View Channel, Send Messages, Embed Links and Read Message History/);
  });

  it('fails discord.channels for an @everyone deny the bot\'s roles do not lift, and an unknown channel', async () => {
    overwrites.set(OVERWRITE_CHANNEL, [{ id: G, type: 0, allow: '0', deny: String(P.SEND | P.HISTORY) }]);
    const r = await doctor(configDir({ channels: { recordingReady: OVERWRITE_CHANNEL, sessionStarted: '1300000000000000999' } }));
    expect(r.byId['discord.channels']!.detail.split('\n')).toEqual([
      `channel ${OVERWRITE_CHANNEL} (recordingReady): missing Send Messages, Read Message History`,
      'channel 1300000000000000999 (sessionStarted): does not exist (Unknown Channel)',
    ]);
    expect(r.byId['discord.channels']!.fix).toContain('Copy Channel ID');
  });

  it('says so when no notification channel is configured', async () => {
    const r = await doctor(configDir({ channels: {} }));
    expect(r.byId['discord.channels']).toMatchObject({ status: 'ok', detail: expect.stringContaining('no notification channel is configured') });
  });

  it('fails http.public-url on a 404 (proxy does not forward /healthz) and when nothing listens', async () => {
    publicMode = '404';
    let r = await doctor(configDir());
    expect(r.code).toBe(1);
    expect(r.byId['http.public-url']).toMatchObject({ status: 'fail', detail: `GET ${publicSite.url}/healthz answered HTTP 404`, fix: expect.stringContaining('does not forward /healthz') });
    const port = await freePort();
    r = await doctor(configDir({ publicUrl: `http://127.0.0.1:${port}` }));
    expect(r.byId['http.public-url']).toMatchObject({ status: 'fail', detail: `GET http://127.0.0.1:${port}/healthz failed: connection refused` });
    expect(r.byId['http.public-url']!.fix).toMatch(/`kaltura-discord serve` is running.*forwards to http.listen \(127\.0\.0\.1:8080\)/);
  });

  it('warns when the public URL reaches a bot of another version, and does not probe placeholder names', async () => {
    publicMode = 'old-bot';
    let r = await doctor(configDir());
    expect(r.byId['http.public-url']).toMatchObject({ status: 'warn', detail: expect.stringContaining('running version 0.0.1'), fix: expect.stringContaining('systemctl restart kaltura-discord') });
    r = await doctor(configDir({ publicUrl: 'https://bot.example.org' }));
    expect(r.byId['http.public-url']).toMatchObject({ status: 'warn', detail: 'not checked: bot.example.org is a placeholder name (reserved for examples)' });
  });

  it('warns on a clock 30 s off Discord, fails on 10 minutes, with the NTP fix', async () => {
    dateOffsetMs = 30_000;
    let r = await doctor(configDir());
    expect(r.byId['clock.skew']).toMatchObject({ status: 'warn', fix: expect.stringContaining('timedatectl set-ntp true') });
    expect(r.byId['clock.skew']!.detail).toMatch(/^this machine is (29|30|31)\.\d s behind Discord\n/);
    dateOffsetMs = -600_000;
    r = await doctor(configDir());
    expect(r.code).toBe(1);
    expect(r.byId['clock.skew']).toMatchObject({ status: 'fail', detail: expect.stringMatching(/^this machine is (599|600|601)\.\d s ahead of Discord\n.*\njoin links and Kaltura sessions will be rejected/) });
  });

  it('shows progress on standard error only when it is a terminal', async () => {
    const cwd = configDir();
    const run = async (tty: boolean) => {
      let stdout = '';
      let stderr = '';
      await main(['doctor', '--json'], {
        stdout: { write: (s: string) => (stdout += s) },
        stderr: { write: (s: string) => (stderr += s), isTTY: tty },
        stdin: Readable.from([]),
        env: {},
        cwd,
        waitForSignal: () => new Promise(() => {}),
      });
      return { stdout, stderr };
    };
    const tty = await run(true);
    // one line per check while it runs, each ending with its outcome mark
    expect(tty.stderr).toContain('… checking the notification channels');
    expect(tty.stderr).toContain('… checking the clock');
    expect(tty.stderr).toContain('✔ the clock');
    expect(() => JSON.parse(tty.stdout)).not.toThrow();
    expect((await run(false)).stderr).not.toContain('checking');
  });
});
