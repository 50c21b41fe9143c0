import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookEvent, WebhookVerifier } from '../../../src/core/ports/webhook-verifier';
import { WebhookError } from '../../../src/core/ports/webhook-verifier';
import { createWebhookVerifier } from '../../../src/kaltura/create-webhook-verifier';
import { startFakeKaltura, type FakeKaltura } from '../../fakes/kaltura/index';

/** A minimal receiver over real HTTP: raw bytes in, verifier decides, status out. */
function startReceiver(verifier: WebhookVerifier) {
  const events: WebhookEvent[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        events.push(verifier.receive({ rawBody: Buffer.concat(chunks), headers: req.headers }));
        res.writeHead(204).end();
      } catch (err) {
        res.writeHead(err instanceof WebhookError ? err.status : 500, { 'content-type': 'text/plain' }).end(err instanceof WebhookError ? err.code : 'error');
      }
    });
  });
  return new Promise<{ url: string; events: WebhookEvent[]; close: () => Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/kaltura`, events, close: () => new Promise((r) => server.close(() => r())) }),
    ),
  );
}

let fake: FakeKaltura;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  fake = await startFakeKaltura();
  receiver = await startReceiver(createWebhookVerifier(fake.adminSecret));
});
afterAll(async () => {
  await receiver.close();
  await fake.close();
});

describe('webhooks from the fake Kaltura emitter', () => {
  it.each([
    ['json sha256', { variant: 'json', algo: 'sha256' }],
    ['json sha512', { variant: 'json', algo: 'sha512' }],
    ['json sha1 without the algorithm header (older servers)', { variant: 'json', algo: 'sha1', algoHeader: false }],
    ['data= form', { variant: 'data-form', algo: 'sha256' }],
    ['DataFields form', { variant: 'fields-form', algo: 'sha1' }],
  ] as const)('accepts %s as entry ready', async (_label, opts) => {
    const entry = fake.addEntry({ name: 'Room recording', duration: 60 });
    const result = await fake.emitWebhook(receiver.url, { entry, jobId: 9001 }, opts);
    expect(result.status).toBe(204);
    const event = receiver.events.at(-1)!;
    expect(event).toMatchObject({ kind: 'entry.ready', entry: { id: entry.id, name: 'Room recording', status: 2 } });
    if (opts.variant !== 'fields-form') expect(event.jobId).toBe('9001');
  });

  it('refuses a notification signed with another secret, and the emitter keeps retrying', async () => {
    const before = receiver.events.length;
    const entry = fake.addEntry({ name: 'x' });
    const result = await fake.emitWebhook(receiver.url, { entry }, { secret: 'not-the-admin-secret', retries: 2, retryDelayMs: 1 });
    expect(result.status).toBe(401);
    expect(result.body).toBe('BAD_SIGNATURE');
    expect(result.attempts).toBe(3);
    expect(receiver.events.length).toBe(before);
  });

  it('classifies an OBJECT_ADDED notification as entry added', async () => {
    const entry = fake.addEntry({ name: 'new upload', status: 0 });
    await fake.emitWebhook(receiver.url, { entry, eventType: 2 }, { variant: 'json' });
    expect(receiver.events.at(-1)).toMatchObject({ kind: 'entry.added', entry: { id: entry.id, status: 0 } });
  });
});
