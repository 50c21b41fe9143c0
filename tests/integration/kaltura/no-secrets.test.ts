import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import type { KalturaConfig } from '../../../src/config/config-types';
import { createKaltura, type Kaltura } from '../../../src/kaltura/create-kaltura';
import { runKalturaChecks } from '../../../src/kaltura/kaltura-checks';
import { startFakeKaltura, type FakeKaltura } from '../../fakes/kaltura/index';
import { configFor, createCapturingLogger, errorText, expectNoSecrets, FAST_RETRY } from './helpers';

/**
 * Drives every operation, success and failure, in both credential modes, with a logger that
 * keeps every line at every level, and checks that no secret and no KS reached a log line,
 * an error (message, fields, cause chain) or the console (kaltura-client's own logger).
 */
const APP_TOKEN = { id: '0_tokS', token: '5ecret70ken5ecret70ken5ecret70ke', hashType: 'SHA256' as const };
const WRONG = '0000000000000000ffffffffffffffff';

let consoleSpies: MockInstance[];
const consoleLines: string[] = [];
beforeEach(() => {
  consoleSpies = (['log', 'error', 'warn', 'info', 'debug'] as const).map((m) =>
    vi.spyOn(console, m).mockImplementation((...args: unknown[]) => {
      consoleLines.push(args.map(String).join(' '));
    }),
  );
});
afterEach(() => {
  for (const s of consoleSpies) s.mockRestore();
});

async function exercise(kaltura: Kaltura, fake: FakeKaltura, errors: string[]): Promise<void> {
  const attempt = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (err) {
      errors.push(errorText(err));
    }
  };
  const s = await kaltura.meetings.createSession({ kind: 'classroom', title: 'Secret plans', durationMinutes: 30, record: true, ownerDiscordId: '42' });
  await kaltura.meetings.joinUrl({ eventId: s.eventId, endsAt: s.endsAt, member: { discordId: '42', displayName: 'Max' }, role: 'moderator' });
  fake.addRecording(s.resourceId);
  await kaltura.meetings.findRecordings({ templateEntryId: s.templateEntryId });
  await kaltura.media.search({ query: 'plans' });
  await kaltura.media.getEntry('0_missing1');
  await kaltura.members.upsertMember({ discordId: '42', displayName: 'Max' });
  await kaltura.members.upsertMember({ discordId: '42', displayName: 'Max Power' });
  for (const fault of [{ kind: 'html' }, { kind: 'status', status: 500 }, { kind: 'reset' }, { kind: 'forbid' }] as const) {
    fake.inject(fault, { service: 'media', action: 'get', times: 10 });
    await attempt(() => kaltura.media.getEntry('0_abcdefgh'));
    fake.clearFaults();
  }
  fake.inject({ kind: 'forbid' }, { service: 'schedule_scheduleeventresource', action: 'add' });
  fake.inject({ kind: 'status', status: 500 }, { service: 'schedule_scheduleresource', action: 'delete' });
  await attempt(() => kaltura.meetings.createSession({ kind: 'meeting', title: 'x', durationMinutes: 5, record: false, ownerDiscordId: '42' }));
  fake.clearFaults();
  await kaltura.meetings.endSession({ eventId: s.eventId });
  await attempt(async () => kaltura.webhooks.receive({ rawBody: Buffer.from('{}'), headers: { 'x-kaltura-signature': 'ab' } }));
}

describe('no secret and no KS in logs, errors or console', () => {
  it('holds for the admin-secret mode, including a wrong secret', async () => {
    const logger = createCapturingLogger();
    const errors: string[] = [];
    const fake = await startFakeKaltura({ esearch: false });
    const config: KalturaConfig = configFor(fake, { requestTimeout: 500 });
    const kaltura = createKaltura({ config, logger, retry: FAST_RETRY });
    await exercise(kaltura, fake, errors);
    const wrong = createKaltura({ config: { ...config, adminSecret: WRONG }, logger, retry: FAST_RETRY });
    for (const fn of [() => wrong.media.search({ query: 'x' }), () => wrong.meetings.createSession({ kind: 'meeting', title: 'x', durationMinutes: 5, record: false, ownerDiscordId: '1' })]) {
      try {
        await fn();
      } catch (err) {
        errors.push(errorText(err));
      }
    }
    const checks = await runKalturaChecks({ ...config, adminSecret: WRONG }, { logger });
    await Promise.all([kaltura.close(), wrong.close()]);
    await fake.close();

    // the scenario really produced KS-carrying errors and logged at debug level
    expect(errors.some((e) => e.includes('INVALID_KS'))).toBe(true);
    expect(fake.requests.some((r) => r.errorCode === 'INVALID_KS')).toBe(true);
    expect(logger.lines.some((l) => l.includes('"level":"debug"'))).toBe(true);
    expect(errors.length).toBeGreaterThanOrEqual(7);
    const kss = [...new Set(fake.requests.map((r) => r.ksString).filter((k): k is string => !!k))];
    expect(kss.length).toBeGreaterThan(0);
    const texts = [...logger.lines, ...errors, ...consoleLines, ...checks.flatMap((c) => [c.detail, c.fix ?? ''])];
    expectNoSecrets(texts, [fake.adminSecret, fake.userSecret, WRONG, ...kss]);
    expect(consoleLines).toEqual([]);
  });

  it('holds for the app-token mode, including a wrong token', async () => {
    const logger = createCapturingLogger();
    const errors: string[] = [];
    const fake = await startFakeKaltura({ appTokens: [APP_TOKEN] });
    const config: KalturaConfig = { ...configFor(fake, { requestTimeout: 500 }), adminSecret: undefined, appToken: APP_TOKEN };
    const kaltura = createKaltura({ config, logger, retry: FAST_RETRY });
    await exercise(kaltura, fake, errors);
    const wrong = createKaltura({ config: { ...config, appToken: { ...APP_TOKEN, token: WRONG } }, logger, retry: FAST_RETRY });
    try {
      await wrong.media.search({ query: 'x' });
    } catch (err) {
      errors.push(errorText(err));
    }
    const checks = await runKalturaChecks({ ...config, appToken: { ...APP_TOKEN, token: WRONG } }, { logger });
    await Promise.all([kaltura.close(), wrong.close()]);
    await fake.close();

    expect(errors.some((e) => e.includes('INVALID_APP_TOKEN_HASH'))).toBe(true);
    const kss = [...new Set(fake.requests.map((r) => r.ksString).filter((k): k is string => !!k))];
    expect(kss.length).toBeGreaterThan(1);
    const texts = [...logger.lines, ...errors, ...consoleLines, ...checks.flatMap((c) => [c.detail, c.fix ?? ''])];
    expectNoSecrets(texts, [fake.adminSecret, APP_TOKEN.token, WRONG, ...kss]);
    expect(consoleLines).toEqual([]);
  });
});
