import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KalturaCallOutcome } from '../../../src/core/ports/metrics';
import { createRedactor } from '../../../src/kaltura/redact';
import { createTransport, type KalturaTransport } from '../../../src/kaltura/transport';
import { startFakeKaltura, type FakeKaltura } from '../../fakes/kaltura/index';
import { createCapturingLogger } from '../kaltura/helpers';

type Seen = { service: string; action: string; outcome: KalturaCallOutcome; seconds: number };

describe('the Kaltura transport tells its metrics observer about every attempt', () => {
  let fake: FakeKaltura;
  let transport: KalturaTransport;
  let seen: Seen[];
  beforeEach(async () => {
    fake = await startFakeKaltura();
    seen = [];
    transport = createTransport({
      serviceUrl: fake.url,
      timeoutMs: 1_000,
      logger: createCapturingLogger(),
      redact: createRedactor([]),
      retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 2 },
      metrics: { kalturaCall: (service, action, outcome, seconds) => seen.push({ service, action, outcome, seconds }) },
    });
  });
  afterEach(async () => {
    transport.close();
    await fake.close();
  });

  const getEntry = (entryId: string) =>
    transport.call({ service: 'media', action: 'get', kind: 'read', ks: fake.mintKs({ type: 2, userId: 'bot' }), build: (s) => s.media.get(entryId), parse: (raw) => raw });

  it('ok, api-error, transport-error per attempt (retries included) and bad-response', async () => {
    const entry = fake.addEntry({ name: 'x' });
    await getEntry(entry.id);
    await getEntry('0_missing').catch(() => undefined);
    fake.inject({ kind: 'status', status: 503 }, { service: 'media', action: 'get', times: 3 });
    await getEntry(entry.id).catch(() => undefined);
    fake.inject({ kind: 'html' }, { service: 'media', action: 'get', times: 1 });
    await getEntry(entry.id).catch(() => undefined);
    expect(seen.map((s) => s.outcome)).toEqual(['ok', 'api-error', 'transport-error', 'transport-error', 'transport-error', 'bad-response']);
    expect(seen.every((s) => s.service === 'media' && s.action === 'get' && s.seconds >= 0 && s.seconds < 5)).toBe(true);
  });

  it('records nothing for calls refused because the transport is closed', async () => {
    transport.close();
    await getEntry('0_x').catch(() => undefined);
    expect(seen).toEqual([]);
  });
});
