/**
 * Runs a call with the cached admin KS. If the server says INVALID_KS (expired early,
 * revoked, secret rotated), the KS is dropped and the call made once more with a fresh one;
 * that is safe even for creates, because the server rejected the request before running it.
 */
import { isApiError, KalturaTransportError } from './errors';
import type { SessionManager } from './session-manager';
import type { CallSpec, KalturaTransport } from './transport';

export type AdminCall = <T>(spec: Omit<CallSpec<T>, 'ks'>) => Promise<T>;

export function createAdminCall(transport: KalturaTransport, sessions: SessionManager): AdminCall {
  return async <T>(spec: Omit<CallSpec<T>, 'ks'>): Promise<T> => {
    const ks = await withinDeadline(sessions.adminKs(), spec.deadline);
    try {
      return await transport.call({ ...spec, ks });
    } catch (err) {
      if (!isApiError(err, 'INVALID_KS')) throw err;
      sessions.invalidateAdminKs(ks);
      return transport.call({ ...spec, ks: await withinDeadline(sessions.adminKs(), spec.deadline) });
    }
  };
}

/**
 * In app-token mode a fresh admin KS costs round trips of its own; a call with a deadline (a
 * member waiting) does not wait for it past that deadline. The KS request itself goes on and is
 * cached when it arrives.
 */
async function withinDeadline(ks: Promise<string>, deadline: number | undefined): Promise<string> {
  if (deadline === undefined) return ks;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new KalturaTransportError('timeout', 'session', 'start', true, undefined, 1, 'no admin session within the time a member waits')),
      Math.max(0, deadline - performance.now()),
    );
  });
  try {
    return await Promise.race([ks, late]);
  } finally {
    clearTimeout(timer);
  }
}
