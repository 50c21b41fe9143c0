import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeKaltura, type FakeKaltura } from '../fakes/kaltura';
import { useChromium } from '../helpers/chromium';

/**
 * The fake's video really plays and seeks in Debian's Chromium: the fixture's codecs decode, and
 * serveFlavor's byte ranges are what a <video> needs to jump ahead (the Watch Together tests
 * depend on both). Waits are on media events, each bounded.
 */

const browser = useChromium();

/** The part of HTMLVideoElement used here (the Node-side tsconfig has no DOM types). */
interface VideoElement {
  src: string;
  currentTime: number;
  readonly duration: number;
  readonly videoWidth: number;
  readonly videoHeight: number;
  readonly seekable: { readonly length: number; end(index: number): number };
  readonly error: { readonly code: number } | null;
  play(): Promise<void>;
  addEventListener(name: string, listener: () => void, options: { once: boolean }): void;
}

describe('fake Kaltura video in Chromium', () => {
  let fake: FakeKaltura;
  let source = '';
  beforeAll(async () => {
    fake = await startFakeKaltura();
    const entryId = fake.addEntry({ name: 'Talk', categoryIds: [41], video: true }).id;
    const ks = fake.mintKs({ type: 0, userId: 'discord_1', privileges: `sview:${entryId}` });
    const manifest = `${fake.url}/p/${fake.partnerId}/sp/${fake.partnerId}00/playManifest/entryId/${entryId}/format/url/protocol/http/ks/${ks}/a.mp4`;
    source = (await fetch(manifest, { redirect: 'manual' })).headers.get('location')!;
  });
  afterAll(() => fake.close());

  it('plays, is seekable end to end (byte ranges), and seeks near the end', async () => {
    const page = await (await browser()).newPage();
    try {
      await page.setContent('<video muted playsinline preload="metadata"></video>');
      const result = await page.locator('video').evaluate(async (video: VideoElement, src: string) => {
        const once = (name: string) =>
          new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`no ${name} within 15 s`)), 15_000);
            video.addEventListener(name, () => (clearTimeout(timer), resolve()), { once: true });
            video.addEventListener('error', () => (clearTimeout(timer), reject(new Error(`media error ${video.error?.code}`))), { once: true });
          });
        const loaded = once('loadedmetadata');
        video.src = src;
        await loaded;
        // Chromium marks a source seekable end to end only when the server answered its Range with 206
        const seekableEnd = video.seekable.length > 0 ? video.seekable.end(0) : 0;
        const playing = once('playing');
        await video.play();
        await playing;
        const seeked = once('seeked');
        video.currentTime = 150;
        await seeked;
        return { seekableEnd, duration: video.duration, position: video.currentTime, width: video.videoWidth, height: video.videoHeight };
      }, source);
      expect(Math.round(result.duration)).toBe(180);
      expect(result.position).toBeGreaterThanOrEqual(150);
      expect([result.width, result.height]).toEqual([320, 180]);
      const ranges = fake.deliveries.filter((d) => d.route === 'serveFlavor' && d.status === 206).map((d) => d.range ?? '');
      expect(ranges.length).toBeGreaterThan(0); // it asked with Range and was answered 206
      expect(Math.round(result.seekableEnd)).toBe(180);
    } finally {
      await page.close();
    }
  }, 60_000);
});
