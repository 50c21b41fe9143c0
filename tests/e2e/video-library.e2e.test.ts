/**
 * The video library in Discord, end to end with a browser: /kaltura search shows only this
 * server's playable media (another server's never appears, not even in the count), Share posts a
 * card, and its Watch link plays the video in headless Debian Chromium once; a second visit is
 * refused. The search results and the card are rendered from what the fake Discord recorded into
 * a preview page of ours for the docs' screenshots (Discord's own client is not available here).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useChromium } from '../helpers/chromium';
import { useTempDirs } from '../helpers/temp-dir';
import { screenshotForDocs, startActivityHarness, type ActivityHarness } from './activity-harness';
import { renderDiscordPreview } from './discord-preview';
import { buttonsOf, IDS, linkButtonUrl, members } from './meeting-harness';

const tempDirs = useTempDirs();
const browser = useChromium();

describe('the video library: search, share and the Watch link in a browser', () => {
  let a: ActivityHarness;
  beforeAll(async () => {
    a = await startActivityHarness(tempDirs());
  }, 120_000);
  afterAll(async () => {
    await a?.close();
  }, 30_000);

  it('search lists only this server’s videos, and counts only them', async () => {
    const { entries } = a;
    const waves = await a.search(members.student, 'waves').reply();
    expect(waves.ephemeral).toBe(true);
    // 'waves' also matches this server's image and the other server's video: neither is listed nor counted.
    expect(waves.content).toMatch(/^One video matches/);
    expect(waves.embeds).toHaveLength(1);
    expect(waves.embeds[0]!.title).toContain('Ocean waves, week 1');
    const shown = JSON.stringify(waves);
    for (const hidden of [entries.elsewhere.id, entries.poster.id, 'elsewhere', 'poster']) expect(shown).not.toContain(hidden);
    expect(buttonsOf(waves).map((b) => b.custom_id)).toEqual([`kaltura:share:${entries.waves.id}`, `kaltura:together:${entries.waves.id}`]);

    const all = await a.search(members.student, 'e').reply();
    expect(all.content).toMatch(/^2 videos match/);
    expect(all.embeds.map((e) => e.title).join('\n')).not.toMatch(/elsewhere|poster/i);

    const page = await (await browser()).newPage({ viewport: { width: 680, height: 400 } });
    try {
      await page.setContent(renderDiscordPreview([{ ...all, author: 'Kaltura Meetings' }]), { waitUntil: 'load' });
      await screenshotForDocs(page.locator('body'), 'discord-search-results');
    } finally {
      await page.close();
    }
  }, 60_000);

  it('Share posts a card; its Watch link plays the video once in Chromium, and a second visit is refused', async () => {
    const { h, entries } = a;
    const found = a.search(members.student, 'tides');
    await found.reply();
    const before = h.discord.channelMessages(IDS.channel).length;
    const shared = await h.discord.clickButton({ guildId: IDS.guild, channelId: IDS.channel, member: members.student, fromReply: found, customId: `kaltura:share:${entries.tides.id}` }).reply();
    expect(shared.ephemeral).toBe(true);
    const card = h.discord.channelMessages(IDS.channel).slice(before).at(-1)!;
    expect(buttonsOf(card).map((b) => b.label)).toEqual(['Watch', 'Watch together']);

    const watch = await h.discord.clickButton({ guildId: IDS.guild, channelId: IDS.channel, member: members.teacher, messageId: card.id, customId: `kaltura:watch:${entries.tides.id}` }).reply();
    expect(watch.ephemeral).toBe(true);
    const link = linkButtonUrl(watch);
    expect(link.startsWith(`${h.publicUrl}/v/`)).toBe(true);

    const b = await browser();
    const preview = await b.newPage({ viewport: { width: 680, height: 420 } });
    try {
      await preview.setContent(renderDiscordPreview([{ ...card, author: 'Kaltura Meetings' }, { ...watch, author: 'Kaltura Meetings' }]), { waitUntil: 'load' });
      await screenshotForDocs(preview.locator('body'), 'discord-video-card');
    } finally {
      await preview.close();
    }

    const page = await b.newPage({ viewport: { width: 900, height: 640 } });
    try {
      const first = await page.goto(link);
      expect(first?.status()).toBe(200);
      expect(await page.locator('h1').textContent()).toBe('Tides & currents');
      const video = page.locator('video');
      await video.evaluate((v: { muted: boolean; play(): Promise<void> }) => {
        v.muted = true;
        return v.play();
      });
      await expect.poll(() => video.evaluate((v: { currentTime: number }) => v.currentTime), { timeout: 20_000, message: 'the video plays past 1 s' }).toBeGreaterThan(1);
      await video.evaluate((v: { pause(): void }) => v.pause());
      await screenshotForDocs(page, 'watch-page');
      // Kaltura delivered it to the teacher's own KS, for this entry only.
      const delivered = h.kaltura.deliveries.filter((d) => d.route === 'serveFlavor' && d.entryId === entries.tides.id && d.status < 300);
      expect(delivered.length).toBeGreaterThan(0);
      expect(delivered.every((d) => d.ks?.userId === `discord_${IDS.teacher}`)).toBe(true);

      const again = await b.newPage();
      try {
        const second = await again.goto(link);
        expect(second?.status()).toBe(410);
        expect(await again.locator('h1').textContent()).toBe('This video link was already used');
        expect(await again.locator('video').count()).toBe(0);
      } finally {
        await again.close();
      }
    } finally {
      await page.close();
    }
  }, 90_000);
});
