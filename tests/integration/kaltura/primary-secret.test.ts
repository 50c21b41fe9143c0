import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../../src/core/health-check';
import { createWebhookVerifier } from '../../../src/kaltura/create-webhook-verifier';
import { runKalturaChecks } from '../../../src/kaltura/kaltura-checks';
import { startFakeKaltura, type FakeKaltura, type FakeKalturaOptions } from '../../fakes/kaltura/index';
import { configFor, createCapturingLogger, expectNoSecrets } from './helpers';

/** Issue 9 §6: a secondary admin secret starts sessions but verifies no webhook; doctor says so. */
const PRIMARY = 'abcdef0123456789abcdef0123456789';
const SECONDARY = '5ec0dda7y5ec0dda7y5ec0dda7y5ec0d';
const logger = createCapturingLogger();
const messages: string[] = [];
const fakes: FakeKaltura[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});
afterAll(() => expectNoSecrets([...logger.lines, ...messages], [PRIMARY, SECONDARY]));

async function webhookCheck(secret: string, opts: FakeKalturaOptions = {}): Promise<{ fake: FakeKaltura; check: CheckResult; all: CheckResult[] }> {
  const fake = await startFakeKaltura({ adminSecret: PRIMARY, additionalAdminSecrets: [SECONDARY], ...opts });
  fakes.push(fake);
  const all = await runKalturaChecks(configFor(fake, { adminSecret: secret }), { logger, timeoutMs: 1000 });
  for (const r of all) messages.push(r.detail, r.fix ?? '');
  return { fake, check: all.find((r) => r.id === 'kaltura.webhooks')!, all };
}

describe('the fake partner with two admin secrets', () => {
  it('accepts KSs of both, but signs notifications with the primary only', async () => {
    const fake = await startFakeKaltura({ adminSecret: PRIMARY, additionalAdminSecrets: [SECONDARY] });
    fakes.push(fake);
    for (const secret of [PRIMARY, SECONDARY]) {
      const res = await fetch(`${fake.url}/api_v3/service/media/action/list`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ks: fake.mintKs({ secret }), format: 1 }),
      });
      expect(await res.json()).toMatchObject({ objectType: 'KalturaMediaListResponse' });
    }
    const seen: Array<{ body: string; headers: Record<string, string> }> = [];
    const { createServer } = await import('node:http');
    const sink = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ body, headers: req.headers as Record<string, string> });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
    try {
      const port = (sink.address() as { port: number }).port;
      await fake.emitWebhook(`http://127.0.0.1:${port}/hook`, { entry: fake.addEntry({ name: 'rec' }) });
    } finally {
      await new Promise((r) => sink.close(r));
    }
    const { body, headers } = seen[0]!;
    const verify = (secret: string) => () => createWebhookVerifier(secret).receive({ rawBody: Buffer.from(body), headers });
    expect(verify(PRIMARY)).not.toThrow();
    expect(verify(SECONDARY)).toThrow(/signature/i);
  });
});

describe('doctor: the configured admin secret must be the primary one', () => {
  it('fails with what to do when the configured secret is a secondary one, while sessions still work', async () => {
    const { check, all } = await webhookCheck(SECONDARY);
    expect(all.find((r) => r.id === 'kaltura.credentials')!.status).toBe('ok');
    expect(check.status).toBe('fail');
    expect(check.detail).toMatch(/not partner \d+'s primary admin secret/);
    expect(check.detail).toMatch(/BAD_SIGNATURE/);
    expect(check.fix).toMatch(/primary Administrator Secret.*kaltura\.adminSecret/);
  });

  it('is ok with the primary secret, having asked partner.getInfo with the admin session', async () => {
    const { check, fake } = await webhookCheck(PRIMARY);
    expect(check).toMatchObject({ status: 'ok', detail: expect.stringMatching(/primary one/) });
    expect(fake.requests.find((r) => r.service === 'partner')).toMatchObject({ action: 'getInfo', ks: { type: 2 } });
  });

  it('warns, and says how to make sure, when the account hides its secrets', async () => {
    const { check } = await webhookCheck(SECONDARY, { hideSecrets: true });
    expect(check.status).toBe('warn');
    expect(check.detail).toMatch(/Not verified/);
    expect(check.fix).toMatch(/primary one/);
  });

  it('warns when the session may not read the partner', async () => {
    const { check } = await webhookCheck(PRIMARY, { missingPermissions: ['INTEGRATION_BASE', 'ADMIN_BASE', 'ACCOUNT_BASE', 'KMC_READ_ONLY'] });
    expect(check).toMatchObject({ status: 'warn', detail: expect.stringMatching(/SERVICE_FORBIDDEN/) });
  });
});
