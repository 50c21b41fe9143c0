import { describe, expect, it } from 'vitest';
import { createHttpApp } from '../../../src/http/create-http-app';
import { bearerTokenMatches, metricsRoutes } from '../../../src/http/metrics-routes';
import { createAppMetrics } from '../../../src/metrics/create-app-metrics';
import { captureLogger } from '../../helpers/capture-logger';

const TOKEN = 'scrape-token-0123456789abcdef';

function appWith(options: { enabled: boolean; token?: string; render?: () => Promise<{ contentType: string; body: string }> }) {
  const logs = captureLogger([TOKEN]);
  const logger = logs.logger;
  const metrics = createAppMetrics({ version: '9.9.9', processMetrics: false });
  const app = createHttpApp({ logger, routes: [metricsRoutes({ render: () => metrics.render(), ...options, logger })] });
  return { app, logs, get: (headers: Record<string, string> = {}) => app.fetch(new Request('http://x/metrics', { headers })) };
}

describe('GET /metrics (in-process)', () => {
  it('serves the exposition format without a token when none is configured', async () => {
    const { get } = appWith({ enabled: true });
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).toContain('# TYPE kaltura_discord_commands_total counter');
  });

  it('with a token: 401 when missing or wrong (with a Bearer challenge), 200 when right', async () => {
    const { get } = appWith({ enabled: true, token: TOKEN });
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer wrong-token-0123456789abcdef' }, { authorization: `Basic ${TOKEN}` }, { authorization: `Bearer ${TOKEN}x` }, { authorization: 'Bearer ' }];
    for (const headers of attempts) {
      const res = await get(headers);
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      expect(await res.text()).not.toContain('kaltura_discord_');
    }
    const ok = await get({ authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('kaltura_discord_build_info{version="9.9.9"} 1');
    expect((await get({ authorization: `bearer ${TOKEN}` })).status).toBe(200); // the scheme is case-insensitive
  });

  it('decides through a constant-time compare of equal-length digests, whatever was sent', () => {
    const calls: [number, number][] = [];
    const spy = (a: Buffer, b: Buffer) => {
      calls.push([a.length, b.length]);
      return a.equals(b);
    };
    expect(bearerTokenMatches(undefined, TOKEN, spy)).toBe(false);
    expect(bearerTokenMatches('Bearer x', TOKEN, spy)).toBe(false);
    expect(bearerTokenMatches(`Bearer ${'y'.repeat(500)}`, TOKEN, spy)).toBe(false);
    expect(bearerTokenMatches(`Bearer ${TOKEN}`, TOKEN, spy)).toBe(true);
    expect(calls).toEqual([[32, 32], [32, 32], [32, 32], [32, 32]]);
    // and the default is node's timingSafeEqual
    expect(bearerTokenMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerTokenMatches('Bearer nope', TOKEN)).toBe(false);
  });

  it('answers 404 when metrics.enabled is false, token or not', async () => {
    for (const token of [undefined, TOKEN]) {
      const { get } = appWith({ enabled: false, ...(token && { token }) });
      expect((await get({ authorization: `Bearer ${TOKEN}` })).status).toBe(404);
    }
    const { app } = appWith({ enabled: true });
    expect((await app.fetch(new Request('http://x/metrics/extra'))).status).toBe(404);
  });

  it('turns a failing collection into a 503 and a log line, not a 500', async () => {
    const { get, logs } = appWith({ enabled: true, render: () => Promise.reject(new Error('collector broke')) });
    const res = await get();
    expect(res.status).toBe(503);
    expect(await res.text()).not.toContain('collector broke');
    expect(logs.lines.map((l) => l['msg'] ?? l['message'])).toContain('collecting metrics failed');
  });
});
