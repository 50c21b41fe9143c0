import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UpstreamError } from '../../../src/core/ports/upstream-error';
import { createKaltura, type Kaltura } from '../../../src/kaltura/create-kaltura';
import { KalturaAPIError, KalturaClosedError, KalturaResponseError, KalturaTransportError } from '../../../src/kaltura/errors';
import { startFakeKaltura, type FakeFault, type FakeKaltura } from '../../fakes/kaltura/index';
import { catchError, configFor, countCalls, createCapturingLogger, errorText, expectNoSecrets, FAST_RETRY } from './helpers';

const logger = createCapturingLogger();
const errors: string[] = [];
let fake: FakeKaltura;
let kaltura: Kaltura;

beforeEach(async () => {
  fake = await startFakeKaltura();
  kaltura = createKaltura({ config: configFor(fake, { requestTimeout: 300 }), logger, retry: FAST_RETRY });
});
afterEach(async () => {
  await kaltura.close();
  await fake.close();
});
afterAll(() => expectNoSecrets([...logger.lines, ...errors], ['abcdef0123456789abcdef0123456789']));

type Expectation = { type: new (...args: never[]) => Error; fields: Record<string, unknown>; retried: boolean };
const faults: Array<[string, FakeFault, Expectation]> = [
  ['latency beyond the timeout', { kind: 'latency', ms: 1500 }, { type: KalturaTransportError, fields: { failure: 'timeout', retryable: true }, retried: true }],
  ['a hung socket', { kind: 'hang' }, { type: KalturaTransportError, fields: { failure: 'timeout', retryable: true }, retried: true }],
  ['a reset connection', { kind: 'reset' }, { type: KalturaTransportError, fields: { failure: 'reset', retryable: true }, retried: true }],
  ['HTTP 503', { kind: 'status', status: 503 }, { type: KalturaTransportError, fields: { failure: 'http', status: 503, retryable: true }, retried: true }],
  ['HTTP 404', { kind: 'status', status: 404 }, { type: KalturaTransportError, fields: { failure: 'http', status: 404, retryable: false }, retried: false }],
  ['a 200 HTML page', { kind: 'html' }, { type: KalturaResponseError, fields: { retryable: true }, retried: false }],
  ['SERVICE_FORBIDDEN', { kind: 'forbid' }, { type: KalturaAPIError, fields: { code: 'SERVICE_FORBIDDEN', retryable: false }, retried: false }],
];

/** The fake records a latency-delayed request only once its delay is over. */
async function settledCount(service: string, action: string, expected: number): Promise<number> {
  for (let i = 0; i < 100 && countCalls(fake, service, action) < expected; i++) await new Promise((r) => setTimeout(r, 20));
  return countCalls(fake, service, action);
}

describe('a read (media.get)', () => {
  it.each(faults)('maps %s to the right error and retries only transport failures', async (_label, fault, want) => {
    const entry = fake.addEntry({ name: 'x' });
    fake.inject(fault, { service: 'media', action: 'get' });
    const err = await catchError(kaltura.media.getEntry(entry.id));
    errors.push(errorText(err));
    expect(err).toBeInstanceOf(want.type);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ ...want.fields, service: 'media', action: 'get' });
    if (err instanceof KalturaTransportError) expect(err.attempts).toBe(want.retried ? 3 : 1);
    expect(await settledCount('media', 'get', want.retried ? 3 : 1)).toBe(want.retried ? 3 : 1);
  });

  it('succeeds after a transient failure, with backoff logged', async () => {
    const entry = fake.addEntry({ name: 'x' });
    fake.inject({ kind: 'status', status: 502 }, { service: 'media', action: 'get', times: 2 });
    const from = logger.lines.length;
    expect(await kaltura.media.getEntry(entry.id)).toMatchObject({ id: entry.id });
    expect(countCalls(fake, 'media', 'get')).toBe(3);
    const retries = logger.lines.slice(from).filter((l) => l.includes('retrying')).map((l) => JSON.parse(l) as { attempt: number; delayMs: number });
    expect(retries.map((r) => r.attempt)).toEqual([1, 2]);
    // equal jitter: between half and all of 5 ms, then of 10 ms
    expect(retries[0]!.delayMs).toBeGreaterThanOrEqual(3);
    expect(retries[0]!.delayMs).toBeLessThanOrEqual(5);
    expect(retries[1]!.delayMs).toBeGreaterThanOrEqual(5);
    expect(retries[1]!.delayMs).toBeLessThanOrEqual(10);
  });

  it('tolerates latency below the timeout', async () => {
    const entry = fake.addEntry({ name: 'x' });
    fake.inject({ kind: 'latency', ms: 100 }, { service: 'media', action: 'get' });
    expect(await kaltura.media.getEntry(entry.id)).toMatchObject({ id: entry.id });
  });
});

describe('a create (user.add)', () => {
  it.each(faults)('maps %s to the right error and never retries', async (_label, fault, want) => {
    fake.inject(fault, { service: 'user', action: 'add' });
    const err = await catchError(kaltura.members.upsertMember({ discordId: '42', displayName: 'Max' }));
    errors.push(errorText(err));
    expect(err).toBeInstanceOf(want.type);
    expect(err).toMatchObject({ service: 'user', action: 'add' });
    if (err instanceof KalturaTransportError) expect(err.attempts).toBe(1);
    await new Promise((r) => setTimeout(r, fault.kind === 'latency' ? 1400 : 0));
    expect(countCalls(fake, 'user', 'add')).toBe(1);
  });
});

describe('other transport failures', () => {
  it('maps a refused connection and retries reads', async () => {
    const closed = await startFakeKaltura();
    const url = closed.url;
    await closed.close();
    const k = createKaltura({ config: { ...configFor(fake), serviceUrl: url }, logger, retry: FAST_RETRY });
    const err = await catchError(k.media.search({ query: '' }));
    await k.close();
    errors.push(errorText(err));
    expect(err).toBeInstanceOf(KalturaTransportError);
    expect(err).toMatchObject({ failure: 'refused', attempts: 3, retryable: true });
  });

  it('rejects calls after close()', async () => {
    await kaltura.close();
    await expect(kaltura.media.search({ query: '' })).rejects.toBeInstanceOf(KalturaClosedError);
  });
});
