import { afterEach, describe, expect, it, vi } from 'vitest';
import { JoinLinkError } from '../../../src/core/meetings/meeting-service';
import { createHttpApp } from '../../../src/http/create-http-app';
import { joinRoutes } from '../../../src/http/join-routes';
import { webhookRoutes } from '../../../src/http/webhook-routes';
import { createWebhookVerifier } from '../../../src/kaltura/create-webhook-verifier';
import { createRateLimitedLog } from '../../../src/logging/rate-limited-log';
import { captureLogger } from '../../helpers/capture-logger';
import { GOOD } from '../../helpers/config-fixtures';
import { verifyJoinToken, joinTokenKey } from '../../../src/core/meetings/join-tokens';

describe('refusal logs under a flood of garbage', () => {
  afterEach(() => vi.useRealTimers());

  it('20,000 garbage join links and webhooks write a few kilobytes of log, not megabytes', async () => {
    const log = captureLogger([GOOD.adminSecret]);
    const key = joinTokenKey(GOOD.linkSecret);
    const app = createHttpApp({
      logger: log.logger,
      routes: [
        // what the meeting service does first with a token: check its signature (garbage fails here)
        joinRoutes({
          redeem: async (token) => {
            await verifyJoinToken(token, { key, now: Date.now() }).catch((cause: unknown) => {
              throw new JoinLinkError('bad-signature', { cause });
            });
            throw new Error('a garbage token verified');
          },
          logger: log.logger,
          linkTtlMs: 300_000,
        }),
        webhookRoutes({ verifier: createWebhookVerifier(GOOD.adminSecret), inbox: { accept: async () => 'stored' as const }, enabled: true, logger: log.logger }),
      ],
    });
    const statuses = new Map<number, number>();
    for (let i = 0; i < 10_000; i++) {
      const join = await app.fetch(new Request(`http://x/j/garbage-token-${i}`));
      const hook = await app.fetch(new Request('http://x/webhooks/kaltura', { method: 'POST', headers: { 'content-type': 'application/json', 'x-kaltura-signature': `bad${i}` }, body: `{"garbage":${i}}` }));
      for (const s of [join.status, hook.status]) statuses.set(s, (statuses.get(s) ?? 0) + 1);
    }
    expect([...statuses.keys()].every((s) => s >= 400 && s < 500)).toBe(true); // every one refused, none a 500
    const bytes = Buffer.byteLength(log.text());
    expect(bytes).toBeLessThan(16 * 1024); // unlimited, this was ~2 MB
    const refused = log.lines.filter((l) => /refused/.test(String(l.msg)));
    expect(refused.length).toBeGreaterThan(0); // the first ones are still there to see
    expect(refused.length).toBeLessThanOrEqual(20);
  }, 120_000);

  it('after the window, one summary line counts what was suppressed, then lines flow again', async () => {
    vi.useFakeTimers();
    const log = captureLogger();
    let now = 0;
    const refuse = createRateLimitedLog({ logger: log.logger, limit: 3, windowMs: 60_000, now: () => now });
    for (let i = 0; i < 1_000; i++) refuse('warn', 'webhook refused (BAD_SIGNATURE)', { i }, 'webhook refused: the signature does not match');
    expect(log.lines.map((l) => l.msg)).toEqual(Array(3).fill('webhook refused: the signature does not match'));
    now = 60_000;
    vi.advanceTimersByTime(60_000);
    expect(log.lines.at(-1)).toMatchObject({ msg: 'suppressed 997 similar lines: webhook refused (BAD_SIGNATURE)', suppressed: 997, level: 40 });
    refuse('warn', 'webhook refused (BAD_SIGNATURE)', {}, 'webhook refused: the signature does not match');
    expect(log.lines.at(-1)!.msg).toBe('webhook refused: the signature does not match');
    expect(log.lines).toHaveLength(5);
  });
});
