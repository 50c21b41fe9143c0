import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type SessionInfo } from '../../../src/activity-client/api-client';
import { StartError } from '../../../src/activity-client/open-session';
import { createSessionRenewal } from '../../../src/activity-client/session-renewal';

const HOUR = 3_600_000;
const session = (name: string, expiresAt: number): SessionInfo => ({ session: name, expiresAt, user: { id: 'u1', name: 'alice' }, guildId: 'g', instanceId: 'i' });

describe('session renewal', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
  });
  afterEach(() => vi.useRealTimers());

  it('signs in again five minutes before the session expires, so the socket’s close at expiry finds a fresh one', async () => {
    const seen: string[] = [];
    const signIn = vi.fn(async () => session(`s${signIn.mock.calls.length}`, Date.now() + HOUR));
    const r = createSessionRenewal({ signIn, onSession: (i) => seen.push(i.session) });
    r.track(session('s0', HOUR));
    await vi.advanceTimersByTimeAsync(HOUR - 5 * 60_000 - 1);
    expect(signIn).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(seen).toEqual(['s1']);
    await vi.advanceTimersByTimeAsync(HOUR); // and again for the next hour
    expect(seen).toEqual(['s1', 's2']);
    r.stop();
  });

  it('callers noticing at once (API 401, socket 4003) share one sign-in', async () => {
    const signIn = vi.fn(async () => session('s1', Date.now() + HOUR));
    const r = createSessionRenewal({ signIn, onSession: () => undefined });
    const [a, b] = await Promise.all([r.renew(), r.renew()]);
    expect([a, b]).toEqual([true, true]);
    expect(signIn).toHaveBeenCalledTimes(1);
    r.stop();
  });

  it('a definitive refusal (the member lost the channel) resolves false: the caller stops', async () => {
    const r = createSessionRenewal({ signIn: async () => Promise.reject(new StartError('forbidden', 'You cannot see this channel.')), onSession: () => undefined });
    await expect(r.renew()).resolves.toBe(false);
  });

  it('a passing failure (rate limited, Discord slow) rejects after a growing pause, so the socket retries instead of giving up', async () => {
    const signIn = vi.fn(async (): Promise<SessionInfo> => Promise.reject(new StartError('server', 'Joining this Activity failed: too many requests')));
    const r = createSessionRenewal({ signIn, onSession: () => undefined });
    const outcomes: string[] = [];
    r.renew().then(() => outcomes.push('resolved'), () => outcomes.push('rejected 1'));
    await vi.advanceTimersByTimeAsync(1_999);
    expect(outcomes).toEqual([]); // still pausing
    await vi.advanceTimersByTimeAsync(1);
    expect(outcomes).toEqual(['rejected 1']);
    r.renew().then(() => outcomes.push('resolved'), () => outcomes.push('rejected 2'));
    await vi.advanceTimersByTimeAsync(3_999);
    expect(outcomes).toEqual(['rejected 1']); // the second pause is longer
    await vi.advanceTimersByTimeAsync(1);
    expect(outcomes).toEqual(['rejected 1', 'rejected 2']);
    // an error that is not a StartError (unexpected) is treated as passing too
    signIn.mockImplementationOnce(async () => Promise.reject(new ApiError(0, 'network', 'offline')));
    const third = r.renew().catch(() => 'rejected 3');
    await vi.advanceTimersByTimeAsync(8_000);
    expect(await third).toBe('rejected 3');
  });
});
