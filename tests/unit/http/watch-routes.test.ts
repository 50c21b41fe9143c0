import { describe, expect, it } from 'vitest';
import { createHttpApp } from '../../../src/http/create-http-app';
import { watchRoutes } from '../../../src/http/watch-routes';
import type { MediaEntry, Playback } from '../../../src/core/ports/media-library';
import { captureLogger } from '../../helpers/capture-logger';

class WatchLinkError extends Error {
  override readonly name = 'WatchLinkError';
  constructor(readonly reason: 'invalid' | 'expired' | 'used' | 'gone') {
    super(`watch link refused: ${reason}`);
  }
}

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJqdGkiOiJhYmMifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
const entry: MediaEntry = {
  id: '0_abc',
  name: 'Quarterly <script>alert(1)</script> review & "plans"',
  description: 'Line one\n<b>bold?</b>',
  durationSeconds: 90,
  createdAt: new Date(0),
  ready: true,
  thumbnailUrl: 'https://cdnapisec.kaltura.com/p/1/thumbnail/entry_id/0_abc',
  watchUrl: 'https://kmc.example/0_abc',
};
const playback: Playback = {
  entryId: '0_abc',
  sources: [{ url: 'https://cfvod.kaltura.com/p/1/serveFlavor/entryId/0_abc/ks/KSSECRET/a.mp4?x=1&y=2', mimeType: 'video/mp4' }],
  posterUrl: 'https://cdnapisec.kaltura.com/p/1/thumbnail/entry_id/0_abc/width/1280',
  expiresAt: new Date(3_600_000),
};

/** A redeemer with a real single-use ledger, so "used" is the route's answer to a second click. */
function setup(overrides: { fail?: unknown } = {}) {
  const log = captureLogger();
  const used = new Set<string>();
  let calls = 0;
  const app = createHttpApp({
    logger: log.logger,
    routes: [
      watchRoutes({
        logger: log.logger,
        linkTtlMs: 10 * 60_000,
        redeem: async (token) => {
          calls++;
          if (overrides.fail) throw overrides.fail;
          if (token !== TOKEN) throw new WatchLinkError('invalid');
          if (used.has(token)) throw new WatchLinkError('used');
          used.add(token);
          return { entry, playback };
        },
      }),
    ],
  });
  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') => app.fetch(new Request(`http://bot.example${path}`, { method, headers }));
  return { get, log, calls: () => calls };
}

describe('GET /v/<token>: the personal player page', () => {
  it('plays the video once: a <video> on the resolved source with its poster, strict CSP, private headers; a second click is "already used"', async () => {
    const { get, log } = setup();
    const res = await get(`/v/${TOKEN}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<video controls playsinline');
    expect(html).toContain('<source src="https://cfvod.kaltura.com/p/1/serveFlavor/entryId/0_abc/ks/KSSECRET/a.mp4?x=1&amp;y=2" type="video/mp4">');
    expect(html).toContain('poster="https://cdnapisec.kaltura.com/p/1/thumbnail/entry_id/0_abc/width/1280"');
    expect(html).not.toContain('<script');
    expect(html).toContain('Quarterly &lt;script&gt;alert(1)&lt;/script&gt; review &amp; &quot;plans&quot;');
    expect(html).toContain('&lt;b&gt;bold?&lt;/b&gt;');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain('media-src https://cfvod.kaltura.com;');
    expect(csp).toContain('img-src https://cdnapisec.kaltura.com;');
    expect(csp).not.toMatch(/script-src/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-robots-tag')).toMatch(/noindex/);

    const again = await get(`/v/${TOKEN}`);
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('This video link was already used');
    expect(again.headers.get('cache-control')).toBe('no-store');
    // neither the token nor the KS-bearing source reaches the log
    expect(log.text()).not.toContain(TOKEN);
    expect(log.text()).not.toContain('KSSECRET');
  });

  it('link previewers and HEAD get a neutral page and never use the link up', async () => {
    const { get, calls } = setup();
    for (const ua of ['Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)', 'Slackbot-LinkExpanding 1.0', 'TelegramBot (like TwitterBot)']) {
      const res = await get(`/v/${TOKEN}`, { 'user-agent': ua });
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('Personal video link');
      expect(html).not.toContain('Quarterly'); // the title stays private
      expect(html).not.toContain('<video');
    }
    expect((await get(`/v/${TOKEN}`, {}, 'HEAD')).status).toBe(200);
    expect(calls()).toBe(0);
    expect((await get(`/v/${TOKEN}`, { 'user-agent': 'Mozilla/5.0 Firefox/130' })).status).toBe(200); // still unused
  });

  it.each([
    ['expired', 410, 'This video link has expired', 'Video links work for 10 minutes'],
    ['used', 410, 'This video link was already used', 'works once'],
    ['gone', 404, 'This video is no longer available', 'removed'],
    ['invalid', 400, 'This video link is not valid', 'Copy the whole link'],
  ] as const)('a %s link is a friendly page with status %i', async (reason, status, title, line) => {
    const { get } = setup({ fail: new WatchLinkError(reason) });
    const res = await get(`/v/${TOKEN}`);
    expect(res.status).toBe(status);
    const html = await res.text();
    expect(html).toContain(title);
    expect(html).toContain(line);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('damaged links (extra path, odd characters) are refused as invalid without redeeming', async () => {
    const { get, calls } = setup();
    expect((await get(`/v/${TOKEN}/extra`)).status).toBe(400);
    expect((await get(`/v/${'a'.repeat(3000)}`)).status).toBe(400);
    expect((await get('/v/abc%3Cdef')).status).toBe(400);
    expect(calls()).toBe(0);
  });

  it('an unexpected failure is a 503 page with a reference, logged without the token', async () => {
    const { get, log } = setup({ fail: new Error('kaltura down') });
    const res = await get(`/v/${TOKEN}`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('60');
    const reference = /reference: ([0-9a-f]{8})/.exec(await res.text())?.[1];
    expect(reference).toBeDefined();
    expect(log.lines.some((l) => l.reference === reference && l.msg === 'watch link could not be redeemed')).toBe(true);
    expect(log.text()).not.toContain(TOKEN);
  });
});
