import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhookBody, startFakeKaltura, type FakeKaltura } from '../fakes/kaltura';
import { createTestClient, k, kalturaObject, rejectionOf, type TestClient } from '../fakes/kaltura/test-client';

const s = k.services;

/** The vector file: `algo: X-KALTURA-SIGNATURE: <hex>` lines and a `BODY: ` line. */
function readVector(): { body: string; signatures: Record<string, string> } {
  const text = readFileSync(new URL('../fixtures/kaltura/webhook-vector.txt', import.meta.url), 'utf8');
  const signatures: Record<string, string> = {};
  let body = '';
  for (const line of text.split('\n')) {
    const sig = /^(sha\d+): X-KALTURA-SIGNATURE: ([0-9a-f]+)$/.exec(line);
    if (sig?.[1] && sig[2]) signatures[sig[1]] = sig[2];
    if (line.startsWith('BODY: ')) body = line.slice('BODY: '.length);
  }
  return { body, signatures };
}

interface Received {
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** A stand-in for the bot's webhook endpoint: records requests, answers with the queued statuses. */
function receiver(statuses: number[] = []): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(statuses.shift() ?? 200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({ url: `http://127.0.0.1:${port}/webhooks/kaltura`, received, server });
    });
  });
}

/** The verification a bot must do: plain hash of secret + raw bytes, sha1 when no algo header. */
function verify(r: Received, secret: string): boolean {
  const algo = String(r.headers['x-kaltura-hash-algo'] ?? 'sha1');
  const expected = createHash(algo).update(Buffer.concat([Buffer.from(secret), r.body])).digest('hex');
  return r.headers['x-kaltura-signature'] === expected;
}

const vector = readVector();
const vectorEntry = (JSON.parse(vector.body) as { object: Record<string, unknown> }).object;

describe('fake Kaltura webhook emitter', () => {
  let fake: FakeKaltura;
  let target: Awaited<ReturnType<typeof receiver>>;
  beforeAll(async () => {
    fake = await startFakeKaltura();
    target = await receiver();
  });
  afterAll(async () => {
    await fake.close();
    await new Promise((r) => target.server.close(r));
  });

  it('signs like the reference vector (plain hash of admin secret + body, not HMAC)', () => {
    for (const algo of ['sha1', 'sha256', 'sha512'] as const) {
      const expected = vector.signatures[algo];
      expect(expected).toMatch(/^[0-9a-f]+$/);
      expect(signWebhookBody(vector.body, fake.adminSecret, algo)).toBe(expected);
      expect(createHash(algo).update(fake.adminSecret + vector.body).digest('hex')).toBe(expected);
    }
  });

  it('sends the exact vector body with the vector signature and algo header', async () => {
    const result = await fake.emitWebhook(target.url, { entry: vectorEntry }, { algo: 'sha256', body: vector.body });
    const got = target.received.at(-1);
    expect(got?.body.toString('utf8')).toBe(vector.body);
    expect(got?.headers['x-kaltura-signature']).toBe(vector.signatures.sha256);
    expect(got?.headers['x-kaltura-hash-algo']).toBe('sha256');
    expect(got?.headers['content-type']).toBe('application/json');
    expect(result).toMatchObject({ status: 200, body: 'ok', attempts: 1, rawBody: vector.body });
  });

  it('builds a KalturaHttpNotification like the server (PHP escaping, key order)', async () => {
    const result = await fake.emitWebhook(
      target.url,
      { entry: vectorEntry, jobId: 777001, templateId: 4242, templateName: 'Entry Ready (Discord bot)', templateSystemName: 'DISCORD_BOT_ENTRY_READY' },
      { algo: 'sha256' },
    );
    // The vector was made with JSON.stringify; the server's json_encode also escapes "/".
    expect(result.rawBody).toBe(vector.body.replace(/\//g, '\\/'));
    expect(JSON.parse(result.rawBody)).toEqual(JSON.parse(vector.body));
    expect(verify(target.received.at(-1) as Received, fake.adminSecret)).toBe(true);
  });

  it('emits sha1 without the algo header (old servers) and sha512', async () => {
    await fake.emitWebhook(target.url, { entry: vectorEntry }, { algo: 'sha1', algoHeader: false });
    const old = target.received.at(-1) as Received;
    expect(old.headers['x-kaltura-hash-algo']).toBeUndefined();
    expect(verify(old, fake.adminSecret)).toBe(true);
    await fake.emitWebhook(target.url, { entry: vectorEntry }, { algo: 'sha512' });
    const strong = target.received.at(-1) as Received;
    expect(strong.headers['x-kaltura-signature']).toHaveLength(128);
    expect(verify(strong, fake.adminSecret)).toBe(true);
    expect(verify(strong, 'wrong-secret')).toBe(false);
  });

  it('emits the data=<urlencoded JSON> and DataFields form variants, signed over the raw form bytes', async () => {
    await fake.emitWebhook(target.url, { entry: vectorEntry }, { variant: 'data-form' });
    const form = target.received.at(-1) as Received;
    expect(form.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const data = new URLSearchParams(form.body.toString('utf8')).get('data') ?? '';
    expect(JSON.parse(data)).toMatchObject({ objectType: 'KalturaHttpNotification', object: { id: '1_abcd1234' } });
    expect(verify(form, fake.adminSecret)).toBe(true);

    await fake.emitWebhook(target.url, { entry: vectorEntry }, { variant: 'fields-form' });
    const fields = target.received.at(-1) as Received;
    expect(fields.body.toString('utf8')).toBe('trigger_status=2&entry_id=1_abcd1234&entry_name=Room-1+recording&entry_status=2');
    expect(verify(fields, fake.adminSecret)).toBe(true);
  });

  it('retries while the target answers other than 200/204, within the bound', async () => {
    const flaky = await receiver([500, 503, 204]);
    try {
      const result = await fake.emitWebhook(flaky.url, { entry: vectorEntry }, { retries: 5, retryDelayMs: 1 });
      expect(result).toMatchObject({ status: 204, attempts: 3 });
      expect(flaky.received).toHaveLength(3);
      const once = await fake.emitWebhook(flaky.url, { entry: vectorEntry });
      expect(once.attempts).toBe(1);
    } finally {
      await new Promise((r) => flaky.server.close(r));
    }
    const failing = await receiver([500, 500, 500]);
    try {
      const gaveUp = await fake.emitWebhook(failing.url, { entry: vectorEntry }, { retries: 1, retryDelayMs: 1 });
      expect(gaveUp).toMatchObject({ status: 500, attempts: 2 });
      expect(failing.received).toHaveLength(2);
    } finally {
      await new Promise((r) => failing.server.close(r));
    }
  });
});

describe('fake Kaltura notification templates', () => {
  let fake: FakeKaltura;
  let admin: TestClient;
  let target: Awaited<ReturnType<typeof receiver>>;
  beforeAll(async () => {
    fake = await startFakeKaltura();
    admin = createTestClient(fake, { ks: fake.mintKs({ type: 2 }) });
    target = await receiver();
  });
  afterAll(async () => {
    await fake.close();
    await new Promise((r) => target.server.close(r));
  });

  it('lists system templates, clones one with overrides, activates it, and webhooks follow it', async () => {
    const system = await s.eventNotificationTemplate.listTemplates(kalturaObject('EventNotificationTemplateFilter', { systemNameEqual: 'HTTP_ENTRY_STATUS_EQUALS' })).execute(admin);
    expect(system.totalCount).toBe(1);
    const [template] = system.objects;
    expect(template).toMatchObject({ partnerId: 0, status: 1, type: 'httpNotification.Http', eventType: '3', eventObjectType: '1', objectType: 'KalturaHttpNotificationTemplate' });

    const clone = await s.eventNotificationTemplate
      .cloneAction(template.id, kalturaObject('HttpNotificationTemplate', {
        name: 'Discord: entry ready', systemName: 'DISCORD_ENTRY_READY', url: target.url, secureHashingAlgo: 2,
        data: kalturaObject('HttpNotificationObjectData', { apiObjectType: 'KalturaMediaEntry', format: 1 }),
      }))
      .execute(admin);
    expect(clone).toMatchObject({ partnerId: fake.partnerId, status: 1, systemName: 'DISCORD_ENTRY_READY', url: target.url, eventType: '3' });
    expect(clone.id).not.toBe(template.id);

    const active = await s.eventNotificationTemplate.updateStatus(clone.id, 2).execute(admin);
    expect(active.status).toBe(2);
    const mine = await s.eventNotificationTemplate.listAction().execute(admin);
    expect(mine.objects.map((t: { id: number }) => t.id)).toEqual([clone.id]);

    const dup = await rejectionOf(s.eventNotificationTemplate.cloneAction(template.id, kalturaObject('HttpNotificationTemplate', { systemName: 'DISCORD_ENTRY_READY' })).execute(admin));
    expect(dup).toMatchObject({ code: 'EVENT_NOTIFICATION_TEMPLATE_DUPLICATE_SYSTEM_NAME', args: { NAME: 'DISCORD_ENTRY_READY' } });

    const entry = fake.addEntry({ name: 'Room recording' });
    const sent = await fake.emitWebhook(target.url, { entry, templateId: clone.id });
    expect(sent.headers['x-kaltura-hash-algo']).toBe('sha256');
    expect(JSON.parse(sent.rawBody)).toMatchObject({ templateId: clone.id, templateName: 'Discord: entry ready', templateSystemName: 'DISCORD_ENTRY_READY', object: { id: entry.id } });

    expect(await s.eventNotificationTemplate.deleteAction(clone.id).execute(admin)).toBeNull();
    expect(await rejectionOf(s.eventNotificationTemplate.get(clone.id).execute(admin))).toMatchObject({
      code: 'EVENT_NOTIFICATION_TEMPLATE_NOT_FOUND', message: `Event notification template id [${clone.id}] not found`,
    });
  });
});
