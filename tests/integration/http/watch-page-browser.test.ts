import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../../src/http/create-http-app';
import { startHttpServer, type RunningHttpServer } from '../../../src/http/start-http-server';
import { watchRoutes } from '../../../src/http/watch-routes';
import { FIXTURE_THUMBNAIL, FIXTURE_VIDEO } from '../../fakes/kaltura/index';
import { capturePageProblems, useChromium } from '../../helpers/chromium';
import { captureLogger } from '../../helpers/capture-logger';

/**
 * The /v/ player page in a real browser: its CSP must let exactly the video and poster through
 * (they live on another origin, as Kaltura's CDN does) and nothing else is needed — no script.
 */
describe('the personal player page in headless Chromium', () => {
  const browser = useChromium();
  let media: http.Server;
  let mediaOrigin: string;
  let bot: RunningHttpServer;
  const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJqdGkiOiJ4In0.c2ln';

  beforeAll(async () => {
    // a stand-in CDN on its own origin (another port), serving the fixture video and thumbnail
    media = http.createServer((req, res) => {
      const file = req.url?.startsWith('/video') ? FIXTURE_VIDEO : req.url?.startsWith('/poster') ? FIXTURE_THUMBNAIL : undefined;
      if (!file) return void res.writeHead(404).end();
      const body = fs.readFileSync(file);
      res.writeHead(200, { 'content-type': file === FIXTURE_VIDEO ? 'video/mp4' : 'image/jpeg', 'content-length': body.length });
      res.end(body);
    });
    await new Promise<void>((r) => media.listen(0, '127.0.0.1', r));
    mediaOrigin = `http://127.0.0.1:${(media.address() as AddressInfo).port}`;
    const { logger } = captureLogger();
    let used = false;
    const app = createHttpApp({
      logger,
      routes: [
        watchRoutes({
          logger,
          linkTtlMs: 600_000,
          redeem: async () => {
            if (used) throw Object.assign(new Error('used'), { name: 'WatchLinkError', reason: 'used' });
            used = true;
            return {
              entry: { id: '1_x', name: 'Test pattern <i>180 s</i>', durationSeconds: 180, createdAt: new Date(0), ready: true, thumbnailUrl: '', watchUrl: '' },
              playback: { entryId: '1_x', sources: [{ url: `${mediaOrigin}/video/a.mp4?ks=K`, mimeType: 'video/mp4' }], posterUrl: `${mediaOrigin}/poster/p.jpg`, expiresAt: new Date(Date.now() + 3_600_000) },
            };
          },
        }),
      ],
    });
    bot = await startHttpServer(app, '127.0.0.1', 0, { logger });
  });
  afterAll(async () => {
    await bot?.close(0);
    await new Promise((r) => media?.close(r));
  });

  it('loads the cross-origin video under the page’s CSP, shows the title as text, and reports no violation', async () => {
    const page = await (await browser()).newPage();
    try {
      const problems = capturePageProblems(page);
      const response = await page.goto(`${bot.url}/v/${TOKEN}`);
      expect(response?.status()).toBe(200);
      await page.waitForFunction("(document.querySelector('video')?.readyState ?? 0) >= 1", undefined, { timeout: 15_000 });
      expect(await page.$eval('video', (v) => (v as unknown as { videoWidth: number }).videoWidth)).toBe(320);
      expect(await page.$eval('h1', (h) => h.textContent)).toBe('Test pattern <i>180 s</i>');
      expect(await page.$$('i')).toHaveLength(0);
      expect(problems.console.filter((l) => /Content Security Policy|Refused to/i.test(l))).toEqual([]);
      expect(problems.errors).toEqual([]);

      const again = await page.goto(`${bot.url}/v/${TOKEN}`);
      expect(again?.status()).toBe(410);
      expect(await page.$eval('h1', (h) => h.textContent)).toBe('This video link was already used');
    } finally {
      await page.close();
    }
  });
});
