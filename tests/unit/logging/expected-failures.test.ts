import { describe, expect, it } from 'vitest';
import { KalturaTransportError } from '../../../src/kaltura/errors';
import { captureLogger } from '../../helpers/capture-logger';

describe('logging an expected network failure: one line with the cause, no stack, no DOMException dump', () => {
  it('a Kaltura outage, an abort and a refused connection are logged by what happened', () => {
    const log = captureLogger();
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' });
    log.logger.warn({ err: new KalturaTransportError('refused', 'media', 'get', true, undefined, 3, 'refused (ECONNREFUSED)', { cause: refused }) }, 'could not look for recordings in Kaltura; will try again');
    log.logger.warn({ err: new DOMException('This operation was aborted', 'AbortError') }, 'Discord did not answer');
    log.logger.warn({ err: new TypeError('fetch failed', { cause: refused }) }, 'fetch failed');
    const [kaltura, aborted, fetchFailed] = log.lines as { err: Record<string, unknown> }[];
    expect(kaltura!.err).toEqual({ type: 'KalturaTransportError', message: 'media.get: refused (ECONNREFUSED)', cause: 'connection refused' });
    expect(aborted!.err).toEqual({ type: 'AbortError', message: 'This operation was aborted', code: 20, cause: 'no answer in time' });
    expect(fetchFailed!.err).toEqual({ type: 'TypeError', message: 'fetch failed', cause: 'connection refused' }); // the socket error inside
    expect(log.text()).not.toMatch(/"stack":"AbortError|at new DOMException/);
  });

  it('a bug keeps its stack, so it can be reported', () => {
    const log = captureLogger();
    log.logger.error({ err: new RangeError('index out of range') }, 'unexpected');
    expect((log.lines[0] as { err: { stack?: string } }).err.stack).toMatch(/RangeError: index out of range\n\s+at /);
  });
});
