/**
 * Watch together end to end: the real app (meeting-harness with the Activity on: discord.clientSecret
 * and kaltura.cdnUrl set), two Discord servers with videos in each server's own Kaltura category,
 * the fake Discord proxy configured with EXACTLY the URL mappings `doctor` tells an operator to
 * enter (so the printed table is proven to work), and pages of headless Debian Chromium.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import { activityPortalMappings } from '../../src/cli/doctor-activity';
import { loadConfig } from '../../src/config/load-config';
import { startFakeActivityProxy, type FakeActivityProxy } from '../fakes/discord/activity-proxy';
import type { MediaEntry } from '../fakes/kaltura/types';
import { capturePageProblems, type PageProblems } from '../helpers/chromium';
import { EVERYONE_PERMISSIONS, IDS, members, startHarness, type Harness } from './meeting-harness';

const root = path.resolve(__dirname, '../..');

export const OTHER = { guild: '1200000000000000002', channel: '1300000000000000202' } as const;
/** A member of the other server only. */
export const outsider = { id: '1500000000000000009', username: 'olga', roles: [] as string[] };
const otherServer = { id: OTHER.guild, name: 'Elsewhere', channels: [{ id: OTHER.channel, name: 'films' }], roles: [{ id: OTHER.guild, name: '@everyone', permissions: EVERYONE_PERMISSIONS }] };

/** What the client exposes for tests (E6/E7's window.kdWatch). */
export interface KdState { entryId?: string; playing: boolean; host: boolean; hostId?: string; connection: string; position: number; rate: number; errorMs?: number; status?: string }

export interface ActivityHarness {
  readonly h: Harness;
  readonly proxy: FakeActivityProxy;
  /** This server's videos (and an image, which is never listed) and the other server's video. */
  readonly entries: { readonly waves: MediaEntry; readonly tides: MediaEntry; readonly poster: MediaEntry; readonly elsewhere: MediaEntry };
  categoryOf(guildId: string): number;
  /** `/kaltura search` as a member of this server; the reply promise of the fake Discord. */
  search(member: (typeof members)[keyof typeof members], query: string): ReturnType<Harness['discord']['invokeCommand']>;
  /** Clicks Watch together on a search result as `member`: the LAUNCH_ACTIVITY answer and the instance Discord created. */
  watchTogether(member: (typeof members)[keyof typeof members], entryId: string): Promise<{ callbackType: number; instanceId: string }>;
  /** Another proxy with the same mappings (its own origin): a network cut on it hits only the members who use it. */
  extraProxy(): Promise<FakeActivityProxy>;
  close(): Promise<void>;
}

/** The client bundle the app serves: `npm test` builds it (scripts/bundle.mjs); a targeted run may not have yet. */
export async function ensureActivityBuilt(): Promise<void> {
  if (fs.existsSync(path.join(root, 'dist/activity/manifest.json'))) return;
  await promisify(execFile)(process.execPath, [path.join(root, 'scripts/build-activity.mjs'), '--quiet'], { cwd: root, timeout: 120_000 });
}

export async function startActivityHarness(dir: string): Promise<ActivityHarness> {
  await ensureActivityBuilt();
  const h = await startHarness(dir, { media: true, extraGuilds: [otherServer] });
  try {
    return await seed(h, dir);
  } catch (err) {
    await h.close(); // nothing left running when the set-up fails half-way
    throw err;
  }
}

async function seed(h: Harness, dir: string): Promise<ActivityHarness> {
  const { discord, kaltura } = h;
  const search: ActivityHarness['search'] = (member, query) =>
    discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member, name: 'kaltura', subcommand: 'search', options: { query } });
  // The first use creates each server's category; every member the tests use is then known to the fake Discord.
  for (const member of [members.student, members.teacher, members.host]) await search(member, 'w').reply();
  await discord.invokeCommand({ guildId: OTHER.guild, channelId: OTHER.channel, member: outsider, name: 'kaltura', subcommand: 'search', options: { query: 'w' } }).reply();
  const categoryOf = (guildId: string): number => {
    const found = [...kaltura.store.categories.values()].find((c: { fullName: string; status: number }) => c.status === 2 && c.fullName.endsWith(`>${guildId}`)) as { id: number } | undefined;
    if (!found) throw new Error(`no Kaltura category for server ${guildId}`);
    return found.id;
  };
  const mine = categoryOf(IDS.guild);
  const entries = {
    waves: kaltura.addEntry({ name: 'Ocean waves, week 1', description: 'Swell, period and <b>fetch</b>', categoryIds: [mine], video: true }),
    tides: kaltura.addEntry({ name: 'Tides & currents', description: 'Why two a day', categoryIds: [mine], video: true }),
    poster: kaltura.addEntry({ name: 'Waves poster', categoryIds: [mine], mediaType: 2 }),
    elsewhere: kaltura.addEntry({ name: 'Waves from elsewhere', categoryIds: [categoryOf(OTHER.guild)], video: true }),
  };
  const config = loadConfig(path.join(dir, 'kaltura-discord.yaml'), {});
  const mappings = activityPortalMappings(config);
  const proxy = await startFakeActivityProxy({ discord, mappings });
  const extra: FakeActivityProxy[] = [];
  return {
    h, proxy, entries, categoryOf, search,
    async watchTogether(member, entryId) {
      const found = search(member, 'e'); // matches both of this server's videos
      await found.reply();
      const together = discord.clickButton({ guildId: IDS.guild, channelId: IDS.channel, member, fromReply: found, customId: `kaltura:together:${entryId}` });
      const callbackType = (await together.acknowledged).type;
      const instanceId = discord.launchedActivity(together);
      if (!instanceId) throw new Error(`Watch together answered type ${callbackType} but launched no Activity`);
      return { callbackType, instanceId };
    },
    async extraProxy() {
      const more = await startFakeActivityProxy({ discord, mappings });
      extra.push(more);
      return more;
    },
    async close() {
      for (const p of extra) await p.close();
      await proxy.close();
      await h.close();
    },
  };
}

export interface OpenedActivity {
  readonly page: Page;
  /** The Activity: the `#activity` iframe of the fake Discord client page. */
  readonly activity: FrameLocator;
  readonly problems: PageProblems;
}

/** Opens the Activity for a member, as Discord does when they join the instance. */
export async function openActivity(browser: Browser, proxy: FakeActivityProxy, userId: string, instanceId: string): Promise<OpenedActivity> {
  const page = await browser.newPage({ viewport: { width: 960, height: 600 } });
  const problems = capturePageProblems(page);
  await page.goto(proxy.frameUrl({ userId, instanceId }));
  return { page, activity: page.frameLocator('#activity'), problems };
}

export const kdState = (f: FrameLocator): Promise<KdState | undefined> =>
  f.locator('body').evaluate(() => (globalThis as unknown as { kdWatch?: { state(): KdState } }).kdWatch?.state());

/** Waits (bounded) until the Activity's kdWatch state satisfies `ok`; the last state and page status are in the failure. */
export async function untilState(f: FrameLocator, ok: (s: KdState) => boolean, what: string, timeoutMs = 20_000): Promise<KdState> {
  const deadline = Date.now() + timeoutMs;
  let last: KdState | undefined;
  while (Date.now() < deadline) {
    last = await kdState(f).catch(() => undefined);
    if (last && ok(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  const status = await f.locator('#status').textContent({ timeout: 1_000 }).catch(() => '?');
  throw new Error(`${what}: not reached within ${timeoutMs / 1000} s; last kdWatch state ${JSON.stringify(last)}; page status "${status}"`);
}

/** Screenshots for the docs, written by the test run into docs/images/. */
export async function screenshotForDocs(target: Locator | Page, name: string): Promise<string> {
  const file = path.join(root, 'docs/images', `${name}.png`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await target.screenshot({ path: file, animations: 'disabled' });
  return file;
}
