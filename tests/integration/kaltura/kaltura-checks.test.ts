import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { KalturaConfig } from '../../../src/config/config-types';
import type { CheckResult } from '../../../src/core/health-check';
import { runKalturaChecks } from '../../../src/kaltura/kaltura-checks';
import { startFakeKaltura, type AppTokenSeed, type FakeKaltura } from '../../fakes/kaltura/index';
import { configFor, createCapturingLogger, expectNoSecrets } from './helpers';

const logger = createCapturingLogger();
const messages: string[] = [];
const TOKEN: AppTokenSeed = { id: '0_tok1', token: 'c0ffee0123456789c0ffee0123456789', hashType: 'SHA1' };
const WRONG_SECRET = '0000000000000000ffffffffffffffff';
const fakes: FakeKaltura[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});
afterAll(() => expectNoSecrets([...logger.lines, ...messages], ['abcdef0123456789abcdef0123456789', TOKEN.token, WRONG_SECRET]));

async function run(config: (fake: FakeKaltura) => KalturaConfig, fakeOpts: Parameters<typeof startFakeKaltura>[0] = {}, before?: (fake: FakeKaltura) => void) {
  const fake = await startFakeKaltura(fakeOpts);
  fakes.push(fake);
  before?.(fake);
  const results = await runKalturaChecks(config(fake), { logger, timeoutMs: 1000 });
  for (const r of results) messages.push(r.detail, r.fix ?? '');
  const byId = Object.fromEntries(results.map((r) => [r.id, r])) as Record<string, CheckResult>;
  return { fake, results, byId };
}

describe('runKalturaChecks', () => {
  it('passes everything with a working admin secret, and uses the session it starts', async () => {
    const { fake, results, byId } = await run((f) => configFor(f));
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['kaltura.service-url', 'ok'],
      ['kaltura.credentials', 'ok'],
      ['kaltura.meeting-rooms', 'ok'],
      ['kaltura.kaf', 'ok'],
      ['kaltura.webhooks', 'ok'],
    ]);
    for (const r of results) expect(r.fix).toBeUndefined();
    const list = fake.requests.find((r) => r.service === 'schedule_scheduleresource' && r.action === 'list')!;
    expect(list.params.pager).toMatchObject({ pageSize: 1 });
    expect(list.ks?.type).toBe(2);
    expect(fake.requests.some((r) => r.service === 'media' && r.action === 'list' && r.ks?.type === 2)).toBe(true);
    expect(byId['kaltura.kaf']!.detail).toMatch(/HTTP \d{3}/);
  });

  it('fails credentials without throwing when no credential is configured', async () => {
    const { results } = await run((f) => ({ ...configFor(f), adminSecret: undefined }));
    expect(results).toEqual([expect.objectContaining({ id: 'kaltura.credentials', status: 'fail' })]);
    expect(results[0]!.fix).toMatch(/kaltura\.adminSecret.*kaltura\.appToken/);
  });

  it('fails credentials with a concrete fix when the admin secret is wrong, and skips the room check', async () => {
    const { byId } = await run((f) => configFor(f, { adminSecret: WRONG_SECRET }));
    expect(byId['kaltura.service-url']!.status).toBe('ok');
    expect(byId['kaltura.credentials']).toMatchObject({ status: 'fail' });
    expect(byId['kaltura.credentials']!.detail).toContain('INVALID_KS');
    expect(byId['kaltura.credentials']!.fix).toMatch(/Integration Settings.*kaltura\.adminSecret/);
    expect(byId['kaltura.meeting-rooms']!.status).toBe('warn');
  });

  it('fails the room check with how to get the feature enabled when the schedule API is forbidden', async () => {
    const { byId } = await run((f) => configFor(f), {}, (f) => f.inject({ kind: 'forbid' }, { service: 'schedule_scheduleresource', action: 'list' }));
    expect(byId['kaltura.credentials']!.status).toBe('ok');
    expect(byId['kaltura.meeting-rooms']).toMatchObject({ status: 'fail' });
    expect(byId['kaltura.meeting-rooms']!.fix).toMatch(/enable Kaltura Meetings/);
  });

  it('fails the service URL when nothing listens there, and does not pretend to check the rest', async () => {
    const gone = await startFakeKaltura();
    await gone.close();
    const { byId } = await run((f) => ({ ...configFor(f), serviceUrl: gone.url }));
    expect(byId['kaltura.service-url']).toMatchObject({ status: 'fail' });
    expect(byId['kaltura.service-url']!.detail).toContain('refused');
    expect(byId['kaltura.service-url']!.fix).toMatch(/kaltura\.serviceUrl/);
    expect(byId['kaltura.credentials']!.status).toBe('warn');
    expect(byId['kaltura.meeting-rooms']!.status).toBe('warn');
  });

  it('fails the service URL when it answers HTML instead of the API', async () => {
    const { byId } = await run((f) => configFor(f), {}, (f) => f.inject({ kind: 'html' }));
    expect(byId['kaltura.service-url']).toMatchObject({ status: 'fail' });
    expect(byId['kaltura.service-url']!.fix).toMatch(/API base only/);
  });

  it('fails KAF when the KAF URL does not answer', async () => {
    const gone = await startFakeKaltura();
    await gone.close();
    const { byId } = await run((f) => ({ ...configFor(f), kafUrl: `${gone.url}/kaf` }));
    expect(byId['kaltura.kaf']).toMatchObject({ status: 'fail' });
    expect(byId['kaltura.kaf']!.fix).toMatch(/kaltura\.kafUrl/);
  });

  it('fails KAF on a site that answers its home and a launch without a session with the same 200 page', async () => {
    const { createServer } = await import('node:http');
    const site = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>Welcome to our site</html>'));
    await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
    try {
      const port = (site.address() as { port: number }).port;
      const { byId } = await run((f) => ({ ...configFor(f), kafUrl: `http://127.0.0.1:${port}` }));
      expect(byId['kaltura.kaf']).toMatchObject({ status: 'fail', detail: expect.stringMatching(/not a KAF endpoint/), fix: expect.stringMatching(/kaltura\.kafUrl/) });
    } finally {
      await new Promise((r) => site.close(r));
    }
  });

  it('warns when the KAF URL has no launch endpoint', async () => {
    const { byId } = await run((f) => ({ ...configFor(f), kafUrl: `${f.url}/kaf/elsewhere` }));
    expect(byId['kaltura.kaf']).toMatchObject({ status: 'warn', detail: expect.stringContaining('HTTP 404') });
  });

  it("fails KAF when kafUrl is another partner's Kaltura-hosted KAF, without contacting it", async () => {
    const { byId } = await run((f) => ({ ...configFor(f), kafUrl: 'https://7654321.kaf.kaltura.com' }));
    expect(byId['kaltura.kaf']).toMatchObject({ status: 'fail', detail: expect.stringContaining('partner 7654321') });
    expect(byId['kaltura.kaf']!.fix).toMatch(/1234567\.kaf\.kaltura\.com/);
  });

  it('in app-token mode checks the token and warns that webhooks cannot be verified', async () => {
    const appConfig = (f: FakeKaltura, token = TOKEN.token): KalturaConfig => ({ ...configFor(f), adminSecret: undefined, appToken: { id: TOKEN.id, token, hashType: 'SHA1' } });
    const good = await run((f) => appConfig(f), { appTokens: [TOKEN] });
    expect(good.byId['kaltura.credentials']!.status).toBe('ok');
    expect(good.byId['kaltura.meeting-rooms']!.status).toBe('ok');
    expect(good.byId['kaltura.webhooks']).toMatchObject({ status: 'warn' });
    expect(good.byId['kaltura.webhooks']!.fix).toMatch(/kaltura\.adminSecret/);

    const bad = await run((f) => appConfig(f, 'ffffffffffffffffffffffffffffffff'), { appTokens: [TOKEN] });
    expect(bad.byId['kaltura.credentials']).toMatchObject({ status: 'fail' });
    expect(bad.byId['kaltura.credentials']!.fix).toMatch(/token or kaltura\.appToken\.hashType/);
  });
});
