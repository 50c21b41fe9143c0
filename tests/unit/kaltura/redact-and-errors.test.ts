import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../../src/core/ports/upstream-error';
import { KalturaAPIError, KalturaTransportError } from '../../../src/kaltura/errors';
import { createRedactor } from '../../../src/kaltura/redact';
import { toApiError, toTransportError } from '../../../src/kaltura/transport-errors';

const SECRET = 'abcdef0123456789abcdef0123456789';
const KS = 'djJ8MTIzNDU2N3zuyll1kcRIDB7POB5kGM7MSCb91jwrlQV_wqBW1BHxOCNJ1Zxxw31jchUvzCwSW0GSETbQ4tK_HtcF4KeRZNA1vG6WlctRuQAaD5EDTSBxDAyyaYFLXRMlIzsrW9L5uZ1EgijZDw8I0wEPlkg3tXX-stRBB2_0GoXMyOdyP5Pz_yaTvBZGVa715RcGWn3ysro=';

describe('createRedactor', () => {
  it('removes configured secrets, v2 KSs and remembered tokens', () => {
    const redact = createRedactor([SECRET, undefined]);
    redact.remember('v1-style-session-token-value');
    const out = redact(`secret=${SECRET} ks=${KS} other=v1-style-session-token-value end`);
    expect(out).toBe('secret=[redacted] ks=[redacted] other=[redacted] end');
  });
});

describe('toApiError', () => {
  const redact = createRedactor([SECRET]);
  it('redacts the KS that INVALID_KS echoes in its message and KSID arg', () => {
    const raw = { code: 'INVALID_KS', message: `Invalid KS "${KS}", Error "-1,INVALID_STR"`, objectType: 'KalturaAPIException', args: { KSID: KS, ERR_CODE: '-1', ERR_DESC: 'INVALID_STR' } };
    const err = toApiError(raw, 'media', 'get', redact);
    expect(err).toBeInstanceOf(KalturaAPIError);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err.code).toBe('INVALID_KS');
    expect(err.args).toEqual({ KSID: '[redacted]', ERR_CODE: '-1', ERR_DESC: 'INVALID_STR' });
    expect(JSON.stringify({ m: err.message, a: err.args, c: err.cause })).not.toContain('djJ8');
    expect(err.service).toBe('media');
    expect(err.action).toBe('get');
  });
  it('reads args `[]` (no parameters) as an empty map', () => {
    const err = toApiError({ code: 'INVALID_USER_ID', message: 'Invalid user id', objectType: 'KalturaAPIException', args: [] }, 'user', 'get', redact);
    expect(err.args).toEqual({});
    expect(err.message).toBe('user.get: INVALID_USER_ID: Invalid user id');
  });
});

describe('toTransportError', () => {
  const redact = createRedactor([SECRET]);
  it('never keeps the original error (it carries the request body) as cause', () => {
    const axiosLike = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED', isAxiosError: true, config: { data: `{"secret":"${SECRET}","ks":"${KS}"}` } });
    const err = toTransportError(axiosLike, 'session', 'start', 3, redact);
    expect(err).toBeInstanceOf(KalturaTransportError);
    expect(err).toMatchObject({ failure: 'refused', retryable: true, attempts: 3 });
    expect(err.cause).not.toBe(axiosLike);
    expect(JSON.stringify(err.cause) + String(err.cause) + err.message).not.toContain(SECRET);
  });
  it.each([
    [{ code: 'ECONNABORTED' }, 'timeout', true],
    [{ code: 'ECONNRESET' }, 'reset', true],
    [{ code: 'ENOTFOUND' }, 'dns', false],
    [{ code: 'ERR_BAD_RESPONSE', response: { status: 503 } }, 'http', true],
    [{ code: 'ERR_BAD_REQUEST', response: { status: 404 } }, 'http', false],
    [{ code: 'ERR_BAD_REQUEST', response: { status: 429 } }, 'http', true],
  ])('maps %o to %s (retryable %s)', (fields, failure, retryable) => {
    const err = toTransportError(Object.assign(new Error('x'), fields), 's', 'a', 1, redact);
    expect(err.failure).toBe(failure);
    expect(err.retryable).toBe(retryable);
  });
});
