/**
 * The BUILT Activity client in headless Chromium, inside the fake Discord client (parent frame
 * speaking the SDK's RPC) behind the fake Discord proxy (URL mapping `/` → the bot's /activity,
 * Discord's CSP): it signs in through the real OAuth exchange of the fake Discord, shows this
 * server's library as plain text, and opens a live meeting in the browser. The HTTP layer is the
 * bot's own (activityRoutes); the core behind it is a small stand-in, because this test is about
 * the client. The full stack, sync included, is tests/e2e (E8).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityApi, ActivityApiSession } from '../../../src/http/activity-api-handlers';
import { activityIndexHtml, loadActivityAssets } from '../../../src/http/activity-assets';
import { activityRoutes } from '../../../src/http/activity-routes';
import { activityMediaMappings } from '../../../src/http/activity-url-mappings';
import { createHttpApp } from '../../../src/http/create-http-app';
import { startHttpServer, type RunningHttpServer } from '../../../src/http/start-http-server';
import { startFakeActivityProxy, type FakeActivityProxy } from '../../fakes/discord/activity-proxy';
import { startFakeDiscord } from '../../fakes/discord/index';
import type { FakeDiscord } from '../../fakes/discord/types';
import { captureLogger } from '../../helpers/capture-logger';
import { capturePageProblems, useChromium } from '../../helpers/chromium';
import { useTempDirs } from '../../helpers/temp-dir';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../../..');
const tempDir = useTempDirs();
const browser = useChromium();

const GUILD = '810000000000000001';
const CHANNEL = '820000000000000002';
const ALICE = '830000000000000003';
const MARKUP_TITLE = '<img src=x onerror="window.__xss=1">Physics & <b>Chemistry</b>';
const JOIN_URL = 'https://kaltura.example/join/personal-link';

/** Stand-in core: the real OAuth exchange and token check against the fake Discord; a fixed library and meeting. */
function standInCore(discord: FakeDiscord): ActivityApi {
  const sessions = new Map<string, ActivityApiSession>();
  const api = `${discord.apiBaseUrl}/v10`;
  return {
    async exchangeCode(code) {
      const res = await fetch(`${api}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: discord.applicationId, client_secret: discord.clientSecret, grant_type: 'authorization_code', code }),
      });
      if (!res.ok) throw Object.assign(new Error('refused'), { name: 'ActivityAuthError', id: 'activity.bad-code', status: 401 });
      return { accessToken: ((await res.json()) as { access_token: string }).access_token };
    },
    async openSession({ accessToken, instanceId }) {
      const res = await fetch(`${api}/users/@me`, { headers: { authorization: `Bearer ${accessToken}` } });
      const user = (await res.json()) as { id: string; username: string };
      if (!res.ok || !discord.activityInstance(instanceId)?.userIds.includes(user.id)) {
        throw Object.assign(new Error('Not in this Activity.'), { name: 'ActivityAuthError', id: 'activity.not-in-instance', status: 403 });
      }
      const token = `sess.${randomBytes(8).toString('hex')}.x`;
      const session = { userId: user.id, displayName: user.username, guildId: GUILD, channelId: CHANNEL, instanceId, expiresAt: Date.now() + 3_600_000 };
      sessions.set(token, session);
      return { token, session };
    },
    verifySession: (token) => sessions.get(token),
    async search() {
      const entry = (id: string, name: string) => ({
        id, name, durationSeconds: 3725, createdAt: new Date(0), ready: true,
        thumbnailUrl: `https://cdnapisec.kaltura.com/p/1/thumbnail/entry_id/${id}/width/320`, watchUrl: `https://kmc.example/${id}`,
      });
      return { entries: [entry('1_markup', MARKUP_TITLE), entry('1_plain', 'Orientation week')], totalCount: 2 };
    },
    playback: async () => Promise.reject(new Error('not used by this test')),
    liveMeetings: async () => [{ id: 'm1', title: 'Office hours <live>', kind: 'meeting', startedAt: Date.now() - 120_000 }],
    joinLink: async () => ({ url: JOIN_URL }),
  };
}

describe('the built Activity client inside the fake Discord client', () => {
  let discord: FakeDiscord;
  let bot: RunningHttpServer;
  let proxy: FakeActivityProxy;
  let instanceId: string;

  beforeAll(async () => {
    const out = path.join(tempDir(), 'activity');
    await run(process.execPath, [path.join(root, 'scripts/build-activity.mjs'), '--quiet', '--out', out], { cwd: root });
    discord = await startFakeDiscord({ guilds: [{ id: GUILD, name: 'Campus', channels: [{ id: CHANNEL, name: 'watch' }], members: [{ id: ALICE, username: 'alice' }] }] });
    const assets = new Map(loadActivityAssets({ dir: out }));
    const index = assets.get('index.html')!;
    assets.set('index.html', { ...index, body: activityIndexHtml(index, discord.applicationId) });
    const { logger } = captureLogger();
    const app = createHttpApp({
      logger,
      routes: [activityRoutes({ api: standInCore(discord), mappings: activityMediaMappings('https://cdnapisec.kaltura.com'), files: assets, logger })],
    });
    bot = await startHttpServer(app, '127.0.0.1', 0);
    proxy = await startFakeActivityProxy({ discord, mappings: [{ prefix: '/', target: `${bot.url}/activity` }] });
    instanceId = discord.createActivityInstance({ guildId: GUILD, channelId: CHANNEL, userIds: [ALICE] });
  }, 60_000);

  afterAll(async () => {
    await proxy?.close();
    await bot?.close(1_000);
    await discord?.close();
  });

  async function openAsAlice(): Promise<{ page: Page; problems: ReturnType<typeof capturePageProblems> }> {
    const page = await (await browser()).newPage();
    const problems = capturePageProblems(page);
    await page.goto(proxy.frameUrl({ userId: ALICE, instanceId }));
    return { page, problems };
  }

  it('signs in through Discord and our token/session endpoints, then lists the library with titles as plain text', async () => {
    const { page, problems } = await openAsAlice();
    try {
      const activity = page.frameLocator('#activity');
      await activity.locator('#whoami', { hasText: 'Signed in as alice' }).waitFor({ timeout: 15_000 });
      const tiles = activity.locator('#library-results button[data-entry-id]');
      await tiles.first().waitFor({ timeout: 10_000 });
      expect(await tiles.count()).toBe(2);
      // The markup is text on the page, not an element: no <img src=x>, no script ran.
      expect(await tiles.nth(0).locator('.title').textContent()).toBe(MARKUP_TITLE);
      expect(await tiles.nth(0).locator('img[src="x"], b').count()).toBe(0);
      expect(await tiles.nth(0).locator('.duration').textContent()).toBe('1:02:05');
      // The thumbnail was asked of the proxy under its media mapping (none here: it 404s and the tile shows a plain frame).
      await expect.poll(() => proxy.requests.map((r) => r.path)).toContain('/kaltura-cdn/p/1/thumbnail/entry_id/1_markup/width/320');
      await tiles.nth(0).locator('.thumb-missing').waitFor({ timeout: 5_000 });
      expect(await activity.locator('body').evaluate(() => (globalThis as unknown as { __xss?: number }).__xss)).toBeUndefined();
      // Every call went through the proxy's root mapping, relative to the page.
      const paths = proxy.requests.map((r) => r.path.split('?')[0]);
      expect(paths).toEqual(expect.arrayContaining(['/api/token', '/api/session', '/api/library']));
      expect(problems.all.filter((l) => /Content Security Policy/i.test(l)), problems.describe()).toEqual([]);
      expect(problems.errors, problems.describe()).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('opens a live meeting in the browser with openExternalLink (an Activity has no camera or microphone)', async () => {
    const { page } = await openAsAlice();
    try {
      const activity = page.frameLocator('#activity');
      await activity.locator('#whoami', { hasText: 'Signed in as' }).waitFor({ timeout: 15_000 });
      await activity.locator('#tab-meetings').click();
      const open = activity.locator('#meetings-list button[data-meeting-id="m1"]');
      await open.waitFor({ timeout: 10_000 });
      expect(await activity.locator('#meetings-list .title').first().textContent()).toBe('Office hours <live>');
      await open.click();
      await activity.locator('#meetings-message', { hasText: 'opened in your browser' }).waitFor({ timeout: 10_000 });
      expect(proxy.openedLinks().map((l) => [l.url, l.userId])).toEqual([[JOIN_URL, ALICE]]);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('a member who declines Discord’s consent is told why the Activity cannot continue, and nothing reaches our token endpoint', async () => {
    const page = await (await browser()).newPage();
    try {
      const tokenCalls = () => proxy.requests.filter((r) => r.path === '/api/token').length;
      const before = tokenCalls();
      await page.goto(proxy.frameUrl({ userId: ALICE, instanceId, consent: 'deny' }));
      await page.frameLocator('#activity').locator('#status', { hasText: 'You did not allow the Activity' }).waitFor({ timeout: 15_000 });
      expect(tokenCalls()).toBe(before);
    } finally {
      await page.close();
    }
  }, 30_000);

  it('opened outside Discord (the bot’s /activity/ in a plain browser tab) it says where it works instead of hanging', async () => {
    const page = await (await browser()).newPage();
    try {
      await page.goto(`${bot.url}/activity/`);
      await page.locator('#status', { hasText: 'only works inside Discord' }).waitFor({ timeout: 10_000 });
    } finally {
      await page.close();
    }
  }, 30_000);
});
