import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiscordStoppedError } from '../../src/discord/abortable-request';
import { createRest } from '../../src/discord/create-discord';
import { KalturaClosedError } from '../../src/kaltura/errors';
import { createRedactor } from '../../src/kaltura/redact';
import { createTransport } from '../../src/kaltura/transport';
import { startFakeKaltura, type FakeKaltura } from '../fakes/kaltura/index';
import { GOOD } from '../helpers/config-fixtures';
import { createCapturingLogger } from './kaltura/helpers';

describe('stopping abandons requests in flight instead of waiting for their timeouts', () => {
  let fake: FakeKaltura;
  let silent: net.Server;
  const sockets = new Set<net.Socket>();
  beforeEach(async () => {
    fake = await startFakeKaltura();
    silent = net.createServer((s) => {
      sockets.add(s);
      s.on('error', () => undefined);
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  });
  afterEach(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => silent.close(r));
    await fake.close();
  });

  it('Kaltura: close() rejects a call waiting on a hanging Kaltura at once, with KalturaClosedError, and no retry follows', async () => {
    const transport = createTransport({ serviceUrl: fake.url, timeoutMs: 30_000, logger: createCapturingLogger(), redact: createRedactor([]), retry: { retries: 3, baseDelayMs: 10_000, maxDelayMs: 10_000 } });
    fake.inject({ kind: 'hang' });
    const before = fake.requests.length;
    const call = transport.call({ service: 'media', action: 'get', kind: 'read', ks: fake.mintKs({ type: 2, userId: 'bot' }), build: (s) => s.media.get('0_x'), parse: (raw) => raw });
    const outcome = call.then(() => 'resolved', (err: unknown) => err);
    while (fake.requests.length === before) await new Promise((r) => setTimeout(r, 10));
    const started = performance.now();
    transport.close();
    expect(await outcome).toBeInstanceOf(KalturaClosedError);
    expect(performance.now() - started).toBeLessThan(1_000); // not the 30 s timeout, nor a 10 s backoff
    expect(fake.requests.length).toBe(before + 1);
  });

  it('Kaltura: close() during a retry backoff ends the call without another attempt', async () => {
    const transport = createTransport({ serviceUrl: fake.url, timeoutMs: 5_000, logger: createCapturingLogger(), redact: createRedactor([]), retry: { retries: 3, baseDelayMs: 20_000, maxDelayMs: 20_000 } });
    fake.inject({ kind: 'status', status: 503 });
    const before = fake.requests.length;
    const outcome = transport.call({ service: 'media', action: 'get', kind: 'read', ks: fake.mintKs({ type: 2, userId: 'bot' }), build: (s) => s.media.get('0_x'), parse: (raw) => raw }).then(() => 'resolved', (err: unknown) => err);
    while (fake.requests.length === before) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 50)); // the 503 came back; now in a 10–20 s backoff
    const started = performance.now();
    transport.close();
    expect(await outcome).toBeInstanceOf(KalturaClosedError);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(fake.requests.length).toBe(before + 1);
  });

  it('Discord: aborting the stop signal rejects a request to a silent Discord at once (not after 4 × 15 s)', async () => {
    const { port } = silent.address() as net.AddressInfo;
    const stop = new AbortController();
    const rest = createRest({ token: GOOD.token, applicationId: GOOD.applicationId, apiBaseUrl: `http://127.0.0.1:${port}/api` } as never, stop.signal);
    const outcome = rest.get('/gateway/bot').then(() => 'resolved', (err: unknown) => err);
    while (sockets.size === 0) await new Promise((r) => setTimeout(r, 10));
    const started = performance.now();
    stop.abort();
    expect(await outcome).toBeInstanceOf(DiscordStoppedError);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(sockets.size).toBe(1); // abandoned, not retried
    await expect(rest.get('/gateway/bot')).rejects.toBeInstanceOf(DiscordStoppedError); // and nothing new starts
  });
});
