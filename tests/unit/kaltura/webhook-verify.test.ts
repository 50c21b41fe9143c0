import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WebhookError } from '../../../src/core/ports/webhook-verifier';
import { createWebhookVerifier } from '../../../src/kaltura/create-webhook-verifier';
import { signWebhookBody, verifyWebhookSignature } from '../../../src/kaltura/webhook-verify';
import { loadWebhookVector } from './webhook-fixture';

const v = loadWebhookVector();

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(WebhookError);
    return (err as WebhookError).code;
  }
  return undefined;
}

describe('verifyWebhookSignature', () => {
  it('accepts the vector with sha1 and no algorithm header (older servers)', () => {
    expect(verifyWebhookSignature({ rawBody: v.rawBody, headers: { 'x-kaltura-signature': v.signatures.sha1 } }, v.adminSecret)).toBe('sha1');
  });

  it.each(['sha1', 'sha256', 'sha512'] as const)('accepts the %s vector with its algorithm header, any header case', (algo) => {
    const headers = { 'X-Kaltura-Signature': v.signatures[algo].toUpperCase(), 'X-KALTURA-HASH-ALGO': algo.toUpperCase() };
    expect(verifyWebhookSignature({ rawBody: v.rawBody, headers }, v.adminSecret)).toBe(algo);
  });

  it('is a plain hash of secret + body, not an HMAC', () => {
    const plain = createHash('sha256').update(v.adminSecret + v.body).digest('hex');
    expect(signWebhookBody(v.adminSecret, v.rawBody, 'sha256')).toBe(plain);
    expect(plain).toBe(v.signatures.sha256);
  });

  it('rejects a missing signature', () => {
    expect(codeOf(() => verifyWebhookSignature({ rawBody: v.rawBody, headers: {} }, v.adminSecret))).toBe('MISSING_SIGNATURE');
    expect(codeOf(() => verifyWebhookSignature({ rawBody: v.rawBody, headers: { 'x-kaltura-signature': '  ' } }, v.adminSecret))).toBe('MISSING_SIGNATURE');
  });

  it('rejects a wrong signature', () => {
    const wrong = v.signatures.sha1.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    expect(codeOf(() => verifyWebhookSignature({ rawBody: v.rawBody, headers: { 'x-kaltura-signature': wrong } }, v.adminSecret))).toBe('BAD_SIGNATURE');
  });

  it('rejects a signature made with another secret', () => {
    const other = signWebhookBody('another-secret', v.rawBody, 'sha256');
    const headers = { 'x-kaltura-signature': other, 'x-kaltura-hash-algo': 'sha256' };
    expect(codeOf(() => verifyWebhookSignature({ rawBody: v.rawBody, headers }, v.adminSecret))).toBe('BAD_SIGNATURE');
  });

  it('rejects a signature whose algorithm header names another algorithm', () => {
    // a valid sha256 digest presented as sha512, and a sha1 digest presented as sha256
    expect(codeOf(() => verifyWebhookSignature({ rawBody: v.rawBody, headers: { 'x-kaltura-signature': v.signatures.sha256, 'x-kaltura-hash-algo': 'sha512' } }, v.adminSecret))).toBe('BAD_SIGNATURE');
    expect(codeOf(() => verifyWebhookSignature({ rawBody: v.rawBody, headers: { 'x-kaltura-signature': v.signatures.sha1, 'x-kaltura-hash-algo': 'sha256' } }, v.adminSecret))).toBe('BAD_SIGNATURE');
  });

  it.each(['md5', 'sha384', 'hmac-sha256', 'none'])('rejects the unsupported algorithm %s', (algo) => {
    const headers = { 'x-kaltura-signature': v.signatures.sha256, 'x-kaltura-hash-algo': algo };
    expect(codeOf(() => verifyWebhookSignature({ rawBody: v.rawBody, headers }, v.adminSecret))).toBe('UNSUPPORTED_ALGO');
  });

  it('rejects a replayed body with one changed byte, wherever the byte is', () => {
    for (const index of [0, Math.floor(v.rawBody.length / 2), v.rawBody.length - 1]) {
      const tampered = Buffer.from(v.rawBody);
      tampered[index] = tampered[index]! ^ 0x01;
      for (const algo of ['sha1', 'sha256', 'sha512'] as const) {
        const headers = { 'x-kaltura-signature': v.signatures[algo], 'x-kaltura-hash-algo': algo };
        expect(codeOf(() => verifyWebhookSignature({ rawBody: tampered, headers }, v.adminSecret))).toBe('BAD_SIGNATURE');
      }
    }
  });

  it('rejects a body with a byte appended (no trailing-whitespace leniency)', () => {
    const headers = { 'x-kaltura-signature': v.signatures.sha1 };
    expect(codeOf(() => verifyWebhookSignature({ rawBody: Buffer.concat([v.rawBody, Buffer.from(' ')]), headers }, v.adminSecret))).toBe('BAD_SIGNATURE');
  });

  it('refuses a repeated signature header', () => {
    const headers = { 'x-kaltura-signature': [v.signatures.sha1, v.signatures.sha1] };
    expect(codeOf(() => verifyWebhookSignature({ rawBody: v.rawBody, headers }, v.adminSecret))).toBe('BAD_SIGNATURE');
  });
});

describe('createWebhookVerifier', () => {
  it('verifies and parses in one step', () => {
    const verifier = createWebhookVerifier(v.adminSecret);
    expect(verifier.available).toBe(true);
    const event = verifier.receive({ rawBody: v.rawBody, headers: { 'content-type': 'application/json', 'x-kaltura-signature': v.signatures.sha256, 'x-kaltura-hash-algo': 'sha256' } });
    expect(event).toMatchObject({ kind: 'entry.ready', jobId: '777001', entry: { id: '1_abcd1234' } });
  });

  it('does not parse a body whose signature is wrong', () => {
    const verifier = createWebhookVerifier(v.adminSecret);
    expect(codeOf(() => verifier.receive({ rawBody: Buffer.from('not json'), headers: { 'x-kaltura-signature': v.signatures.sha1 } }))).toBe('BAD_SIGNATURE');
  });

  it('without an admin secret (app token) is unavailable and refuses everything, even a valid request', () => {
    const verifier = createWebhookVerifier(undefined);
    expect(verifier.available).toBe(false);
    let caught: unknown;
    try {
      verifier.receive({ rawBody: v.rawBody, headers: { 'x-kaltura-signature': v.signatures.sha1 } });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(WebhookError);
    expect(caught).toMatchObject({ code: 'WEBHOOKS_UNAVAILABLE', status: 503 });
  });
});
