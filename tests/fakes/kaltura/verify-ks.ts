import { apiError, type KalturaApiError } from './api-error';
import { ERR } from './error-catalog';
import type { FakeState } from './fake-state';
import { decodeKs, type DecodedKs } from './ks-codec';
import type { KsSummary } from './types';

export type KsCheck = { ok: true; ks: DecodedKs } | { ok: false; error: KalturaApiError; reason: string };

/**
 * The server's KS check (§3.4 "Invalid KS errors"): a bad string or signature, or another
 * partner's KS, is INVALID_KS with the KS itself in KSID; an expired or ended KS goes through
 * `ks::getErrorStr`, which puts "EXPIRED"/"LOGOUT" in the KSID slot. ERR_CODE/ERR_DESC are
 * always "-1"/"INVALID_STR" because the API maps every kCoreException::INVALID_KS that way.
 */
export function verifyKs(state: FakeState, ks: string): KsCheck {
  const invalid = (ksid: string, reason: string): KsCheck => ({
    ok: false,
    error: apiError(ERR.INVALID_KS, ksid, '-1', 'INVALID_STR'),
    reason,
  });
  // any of the partner's admin secrets, primary first (kSessionBase::getAdminSecrets, matchAdminSecretV2)
  let decoded = decodeKs(ks, state.account.adminSecrets[0]!);
  for (const secret of state.account.adminSecrets.slice(1)) {
    if (decoded.ok) break;
    decoded = decodeKs(ks, secret);
  }
  if (!decoded.ok) return invalid(ks, decoded.reason);
  if (decoded.ks.partnerId !== state.partnerId) return invalid(ks, 'INVALID_PARTNER');
  if (state.revokedKs.has(ks)) return invalid('LOGOUT', 'LOGOUT');
  if (decoded.ks.expiresAt <= state.now()) return invalid('EXPIRED', 'EXPIRED');
  return { ok: true, ks: decoded.ks };
}

export function summarizeKs(ks: DecodedKs): KsSummary {
  return { userId: ks.userId, type: ks.type, privileges: Object.fromEntries(ks.privilegeMap) };
}
