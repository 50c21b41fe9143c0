import type { FakeState } from '../fake-state';
import type { ServiceDefinition } from '../service-definition';

/**
 * `partner.getInfo` (api_v3/services/PartnerService.php: "returns information for the current KS
 * partnerId", i.e. `get` of the KS's partner) and `partner.get`, which the permission items allow
 * only to the admin console (permission-items.ts). `KalturaPartner.adminSecret` is the primary
 * admin secret (`Partner::getAdminSecret`), readable with INTEGRATION_BASE
 * (deployment/permissions/object.KalturaPartner.ini); additional admin secrets are never part of
 * the object. With hideSecrets both secrets are left out (KalturaPartner::doFromObject).
 */
function partnerObject(state: FakeState): Record<string, unknown> {
  const secrets = state.account.hideSecrets ? {} : { secret: state.userSecret, adminSecret: state.account.adminSecrets[0] };
  return {
    id: state.partnerId,
    name: `Partner ${state.partnerId}`,
    status: 1,
    ...secrets,
    createdAt: 1_600_000_000,
    partnerPackage: 100,
    objectType: 'KalturaPartner',
  };
}

export const partnerService: ServiceDefinition = {
  id: 'partner',
  actions: [
    { name: 'getInfo', auth: 'admin', run: (_params, { state }) => partnerObject(state) },
    {
      name: 'get',
      auth: 'admin',
      // unreachable for a partner's own sessions: the permission check refuses it first
      run: (_params, { state }) => partnerObject(state),
    },
  ],
};
