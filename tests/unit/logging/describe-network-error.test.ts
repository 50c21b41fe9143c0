import { describe, expect, it } from 'vitest';
import { describeNetworkError } from '../../../src/logging/describe-network-error';

describe('describeNetworkError: one short cause instead of a stack or a DOMException dump', () => {
  it('names the real cause, looking through cause chains', () => {
    const abort = new DOMException('This operation was aborted', 'AbortError');
    expect(describeNetworkError(abort, { timeoutMs: 60_000 })).toBe('no answer within 60 s');
    expect(describeNetworkError(Object.assign(new Error('getaddrinfo ENOTFOUND discord.example'), { code: 'ENOTFOUND', hostname: 'discord.example' }))).toBe('DNS: discord.example not found');
    expect(describeNetworkError(new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }) }))).toBe('connection refused');
    expect(describeNetworkError(Object.assign(new Error('x'), { code: 'CERT_HAS_EXPIRED' }))).toBe('TLS: certificate expired');
    expect(describeNetworkError(Object.assign(new Error('Service Unavailable'), { status: 503 }))).toBe('HTTP 503');
  });

  it('falls back to the first line of the message, never a stack', () => {
    const err = new Error('something odd\n    at somewhere (file.js:1:1)');
    expect(describeNetworkError(err)).toBe('something odd');
  });
});
