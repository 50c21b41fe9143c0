import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { PERMISSIONS, startFakeDiscord, type FakeDiscord } from '../fakes/discord';
import { startFakeActivityProxy, type FakeActivityProxy } from '../fakes/discord/activity-proxy';
import { startProbeServers, type ProbeServers } from '../fakes/discord/sdk-probe/probe-server';
import { capturePageProblems, useChromium } from '../helpers/chromium';

const GUILD = '1200000000000000001';
const CHANNEL = '1300000000000000001';
const alice = { id: '1500000000000000001', username: 'alice' };
const bob = { id: '1500000000000000002', username: 'bob' };
const carol = { id: '1500000000000000003', username: 'carol' };

/** The fake `<app>.discordsays.com`: mappings, CSP, redirects, WebSockets, network cuts, and the fake Discord client's RPC. */
describe('fake Activity proxy', () => {
  let discord: FakeDiscord;
  let servers: ProbeServers;
  let proxy: FakeActivityProxy;
  const browser = useChromium();

  beforeAll(async () => {
    discord = await startFakeDiscord({
      guilds: [{ id: GUILD, name: 'Campus', channels: [{ id: CHANNEL, name: 'general' }], roles: [{ id: GUILD, name: '@everyone', permissions: PERMISSIONS.VIEW_CHANNEL }], members: [alice, bob, carol] }],
    });
    servers = await startProbeServers(discord);
    proxy = await startFakeActivityProxy({
      discord,
      mappings: [
        { prefix: '/', target: `${servers.botUrl}/activity` },
        { prefix: '/kaltura-cdn', target: servers.cdnUrl.replace('http://', '') },
      ],
    });
  });
  afterAll(async () => {
    await proxy?.close();
    await servers?.close();
    await discord?.close();
  });

  it('forwards by the longest matching prefix and answers 404 for an unmapped path', async () => {
    expect(await (await fetch(`${proxy.url}/kaltura-cdn/p/1/thumb.txt`)).text()).toBe('thumb');
    const root = await fetch(`${proxy.url}/`);
    expect(await root.text()).toContain('<script type="module" src="assets/probe.js">');
    expect(proxy.requests.at(-1)).toMatchObject({ path: '/', upstream: `${servers.botUrl}/activity` });
    const narrow = await startFakeActivityProxy({ discord, mappings: [{ prefix: '/kaltura-cdn', target: servers.cdnUrl }] });
    try {
      expect((await fetch(`${narrow.url}/activity/`)).status).toBe(404);
      expect(narrow.requests.at(-1)).toMatchObject({ path: '/activity/', refused: 'unmapped' });
    } finally {
      await narrow.close();
    }
  });

  it("puts Discord's sandbox CSP on what it serves and passes redirects through unchanged", async () => {
    const csp = (await fetch(`${proxy.url}/`)).headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("media-src 'self' blob:");
    expect(csp).toContain(`connect-src 'self' ws://${new URL(proxy.url).host}`);
    expect(csp).toContain('https://cdn.discordapp.com/avatars/');
    const redirect = await fetch(`${proxy.url}/api/redirect`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe(`${servers.botUrl}/activity/api/ping`);
  });

  it('proxies WebSockets, and a cut drops them and refuses new ones until it is over', async () => {
    const ws = new WebSocket(`${proxy.url.replace('http', 'ws')}/ws`);
    await once(ws, 'open');
    ws.send('hi');
    const [reply] = (await once(ws, 'message')) as [Buffer];
    expect(reply.toString()).toBe('echo:hi');
    const closed = once(ws, 'close');
    const over = proxy.cut(1_000);
    await closed;
    const refused = new WebSocket(`${proxy.url.replace('http', 'ws')}/ws`);
    const [error] = (await once(refused, 'error')) as [Error];
    expect(error.message).toMatch(/socket hang up|ECONNRESET/);
    await over;
    const again = new WebSocket(`${proxy.url.replace('http', 'ws')}/ws`);
    await once(again, 'open');
    again.close();
    expect(proxy.requests.filter((r) => r.upgrade).map((r) => r.refused ?? 'ok')).toEqual(['ok', 'cut', 'ok']);
  });

  it('a cut with http also breaks mapped HTTP until it is over, while the fake client keeps answering', async () => {
    const over = proxy.cut(1_000, { http: true });
    await expect(fetch(`${proxy.url}/kaltura-cdn/p/1/thumb.txt`)).rejects.toThrow();
    expect((await fetch(`${proxy.url}/__fake-discord/client.js`)).status).toBe(200);
    await over;
    expect(await (await fetch(`${proxy.url}/kaltura-cdn/p/1/thumb.txt`)).text()).toBe('thumb');
  });

  it('runs a real embedded-app-sdk Activity inside the fake Discord client: handshake, auth, participants, links, CSP', async () => {
    const instanceId = discord.createActivityInstance({ guildId: GUILD, channelId: CHANNEL, userIds: [bob.id] });
    const page = await (await browser()).newPage();
    const problems = capturePageProblems(page);
    try {
      await page.goto(proxy.frameUrl({ userId: alice.id, instanceId }));
      const frame = (await (await page.waitForSelector('#activity')).contentFrame())!;
      await frame.waitForFunction(() => (globalThis as unknown as { __probe?: { done?: boolean } }).__probe?.done === true, null, { timeout: 20_000 });
      const probe = (await frame.evaluate(() => (globalThis as unknown as { __probe: unknown }).__probe)) as Record<string, unknown>;
      expect(probe.error).toBeUndefined();
      expect(probe).toMatchObject({
        ready: true,
        instanceId,
        guildId: GUILD,
        channelId: CHANNEL,
        user: 'alice',
        scopes: ['identify'],
        application: discord.applicationId,
        forged: 4009,
        // Opening the Activity joined alice to the instance bob was in.
        participants: ['bob', 'alice'],
        opened: true,
        unmodelled: 4002,
        echo: 'echo:ping',
        mapped: 'thumb',
        dotProxy: 'thumb',
        direct: 'blocked',
        redirected: 'blocked',
      });
      // Both refusals were the CSP's (the target allows any origin); a blocked redirect is reported
      // under the URL that redirected (CSP3 hides where it went).
      expect(probe.violations).toEqual([`connect-src ${servers.botUrl}/activity/api/ping`, `connect-src ${proxy.url}/api/redirect`]);
      expect(proxy.openedLinks()).toEqual([{ url: 'https://kaltura.example/join/abc', userId: alice.id, at: expect.any(Number) }]);
      discord.joinActivityInstance(instanceId, carol.id);
      await frame.waitForFunction(() => ((globalThis as unknown as { __probe: { update?: string[] } }).__probe.update ?? []).includes('carol'), null, { timeout: 10_000 });
      const rpc = (await page.evaluate(() => (globalThis as unknown as { __fakeDiscord: { rpc: string[] } }).__fakeDiscord.rpc)) as string[];
      expect(rpc[0]).toMatch(/^HANDSHAKE .*"client_id":"\d+"/);
      expect(rpc).toContain('SUBSCRIBE ACTIVITY_INSTANCE_PARTICIPANTS_UPDATE');
      // Only the two deliberate CSP refusals show as problems.
      expect([...problems.errors, ...problems.console].filter((p) => !/Content Security Policy|Failed to fetch|ERR_BLOCKED/.test(p))).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('a member who declines the consent gets RPC error 5000 from authorize, and no code', async () => {
    const instanceId = `i-1500000000000000009-gc-${GUILD}-${CHANNEL}`;
    const page = await (await browser()).newPage();
    try {
      const exchangesBefore = discord.requests.filter((r) => r.path === '/oauth2/token').length;
      await page.goto(proxy.frameUrl({ userId: carol.id, instanceId, guildId: GUILD, channelId: CHANNEL, join: false, consent: 'deny' }));
      const frame = (await (await page.waitForSelector('#activity')).contentFrame())!;
      await frame.waitForFunction(() => (globalThis as unknown as { __probe?: { done?: boolean } }).__probe?.done === true, null, { timeout: 20_000 });
      const probe = (await frame.evaluate(() => (globalThis as unknown as { __probe: unknown }).__probe)) as Record<string, unknown>;
      expect(probe.ready).toBe(true);
      expect(JSON.parse(String(probe.error))).toMatchObject({ code: 5000, message: expect.stringContaining('access_denied') });
      expect(discord.requests.filter((r) => r.path === '/oauth2/token').length).toBe(exchangesBefore);
    } finally {
      await page.close();
    }
  }, 60_000);
});
