import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logging/create-logger';
import { createSecretRedactor } from '../../../src/logging/redact-secrets';
import { GOOD } from '../../helpers/config-fixtures';

const KS = 'djJ8MTIzNDU2N3zuyll1kcRIDB7POB5kGM7MSCb91jwrlQV_wqBW1BHxOCNJ1Zxxw31jchUvzCwSW0GSETbQ4tK_HtcF4KeRZNA1vG6WlctRuQAaD5EDTSBxDAyyaYFLXRMlIzsrW9L5uZ1EgijZDw8I0wEPlkg3tXX-stRBB2_0GoXMyOdyP5Pz_yaTvBZGVa715RcGWn3ysro=';

function capture(format: 'json' | 'pretty' = 'json') {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', format, secrets: [GOOD.token, GOOD.adminSecret, GOOD.linkSecret], destination: { write: (l: string) => lines.push(l) } });
  return { logger, text: () => lines.join('') };
}

describe('logging', () => {
  it('writes structured JSON lines with an ISO time', () => {
    const { logger, text } = capture();
    logger.info({ guild: '42' }, 'meeting started');
    const line = JSON.parse(text());
    expect(line).toMatchObject({ level: 30, guild: '42', msg: 'meeting started' });
    expect(line.time).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('never writes a secret, whether under a secret key, inside a message, nested, or in an error', () => {
    for (const format of ['json', 'pretty'] as const) {
      const { logger, text } = capture(format);
      logger.info({ token: GOOD.token, nested: { adminSecret: GOOD.adminSecret, deeper: { ks: KS } } }, 'config loaded');
      logger.warn(`calling Kaltura with secret ${GOOD.adminSecret} and ks=${KS}`);
      logger.error({ err: new Error(`Discord said no to Bot ${GOOD.token}`, { cause: new Error(`link key ${GOOD.linkSecret}`) }) }, 'failed');
      logger.debug({ headers: { authorization: `Bot ${GOOD.token}` }, body: JSON.stringify({ secret: GOOD.adminSecret }) }, 'request');
      const out = text();
      for (const secret of [GOOD.token, GOOD.adminSecret, GOOD.linkSecret, KS, 'djJ8MTIz']) expect(out, format).not.toContain(secret);
      expect(out).toContain('[REDACTED]');
      expect(out).toContain('config loaded');
    }
  });

  it('scrubs secret-shaped values it was not told about', () => {
    const scrub = createSecretRedactor([]);
    expect(scrub(`ks=${KS}&x=1`)).toBe('ks=[REDACTED]&x=1');
    expect(scrub(`token ${GOOD.token} end`)).toBe('token [REDACTED] end');
    expect(scrub('partner 1234567 joined meeting 42')).toBe('partner 1234567 joined meeting 42');
  });
});
