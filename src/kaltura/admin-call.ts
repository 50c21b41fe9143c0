/**
 * Runs a call with the cached admin KS. If the server says INVALID_KS (expired early,
 * revoked, secret rotated), the KS is dropped and the call made once more with a fresh one;
 * that is safe even for creates, because the server rejected the request before running it.
 */
import { isApiError } from './errors';
import type { SessionManager } from './session-manager';
import type { CallSpec, KalturaTransport } from './transport';

export type AdminCall = <T>(spec: Omit<CallSpec<T>, 'ks'>) => Promise<T>;

export function createAdminCall(transport: KalturaTransport, sessions: SessionManager): AdminCall {
  return async <T>(spec: Omit<CallSpec<T>, 'ks'>): Promise<T> => {
    const ks = await sessions.adminKs();
    try {
      return await transport.call({ ...spec, ks });
    } catch (err) {
      if (!isApiError(err, 'INVALID_KS')) throw err;
      sessions.invalidateAdminKs(ks);
      return transport.call({ ...spec, ks: await sessions.adminKs() });
    }
  };
}
