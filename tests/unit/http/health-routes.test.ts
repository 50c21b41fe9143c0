import { describe, expect, it } from 'vitest';
import { createHttpApp } from '../../../src/http/create-http-app';
import { healthRoutes, type ReadinessCheck } from '../../../src/http/health-routes';
import { captureLogger } from '../../helpers/capture-logger';

function appWith(readiness: () => Record<string, ReadinessCheck> | Promise<Record<string, ReadinessCheck>>) {
  const { logger, lines } = captureLogger();
  const app = createHttpApp({ logger, routes: [healthRoutes({ version: '9.9.9', readiness, startedAt: 1_000, now: () => 62_000 })] });
  return { app, lines };
}

describe('health routes (in-process)', () => {
  it('/healthz reports the process alive with version and uptime', async () => {
    const { app } = appWith(() => ({}));
    const res = await app.fetch(new Request('http://x/healthz'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', version: '9.9.9', uptimeSeconds: 61 });
  });

  it('/readyz answers 503 with a JSON reason naming each dependency that is not ready', async () => {
    const { app } = appWith(() => ({ database: { ok: true }, discord: { ok: false, reason: 'gateway connecting' } }));
    const res = await app.fetch(new Request('http://x/readyz'));
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await res.json()).toEqual({
      status: 'not ready',
      reason: 'discord: gateway connecting',
      checks: { database: { ok: true }, discord: { ok: false, reason: 'gateway connecting' } },
    });
  });

  it('/readyz turns a readiness probe that throws into a 503, not a 500', async () => {
    const { app } = appWith(() => {
      throw new Error('database is locked');
    });
    const res = await app.fetch(new Request('http://x/readyz'));
    expect(res.status).toBe(503);
    expect(((await res.json()) as { reason: string }).reason).toBe('readiness: readiness check failed: database is locked');
  });

  it('/readyz waits for a readiness probe that asks the database: 200 when it answers, 503 when it rejects', async () => {
    let reachable = true;
    const { app } = appWith(async () => {
      if (!reachable) throw new Error('connection refused');
      return { database: { ok: true } };
    });
    const ok = await app.fetch(new Request('http://x/readyz'));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: 'ready', checks: { database: { ok: true } } });
    reachable = false;
    const down = await app.fetch(new Request('http://x/readyz'));
    expect(down.status).toBe(503);
    expect(((await down.json()) as { reason: string }).reason).toBe('readiness: readiness check failed: connection refused');
  });

  it('unknown paths are a plain 404', async () => {
    const { app } = appWith(() => ({}));
    expect((await app.fetch(new Request('http://x/admin'))).status).toBe(404);
  });
});
