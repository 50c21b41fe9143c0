/**
 * `kaltura.join-role`: when `kaltura.joinRoleId` is set, the role must exist and be active,
 * or Kaltura refuses every member's session (`UNKNOWN_ROLE_ID`; kaltura/server
 * kPermissionManager::getRoleIds looks a numeric value up by id, anything else by systemName).
 * `userRole.list` with `idEqual` or `systemNameEqual` (KalturaUserRoleBaseFilter) asks which;
 * it needs ADMIN_BASE or ACCOUNT_BASE (deployment/permissions/service.userrole.ini).
 */
import type { CheckResult } from '../core/health-check';
import { KalturaAPIError } from './errors';
import type { KalturaContext } from './kaltura-context';
import { asList, asRecord, optInt, optStr } from './parse';

export const JOIN_ROLE_CHECK_ID = 'kaltura.join-role';
const TITLE = 'Kaltura role for join sessions';
const ACTIVE = 1;

export async function checkJoinRole(ctx: KalturaContext, sessionWorks: boolean): Promise<CheckResult | undefined> {
  const roleId = ctx.config.joinRoleId;
  if (roleId === undefined) return undefined;
  const base = { id: JOIN_ROLE_CHECK_ID, title: TITLE };
  if (!sessionWorks) return { ...base, status: 'warn', detail: 'Not checked: no working Kaltura session', fix: 'Fix the "Kaltura credentials" check first.' };
  const numeric = /^\d+$/.test(roleId);
  try {
    const roles = await ctx.call({
      service: 'userRole',
      action: 'list',
      kind: 'read',
      build: (s) => s.userRole.listAction({ objectType: 'KalturaUserRoleFilter', ...(numeric ? { idEqual: Number(roleId) } : { systemNameEqual: roleId }) }, { objectType: 'KalturaFilterPager', pageSize: 5, pageIndex: 1 }),
      parse: (raw) => asList(raw, (o) => { const r = asRecord(o, 'user role'); return { id: optInt(r, 'id'), name: optStr(r, 'name'), status: optInt(r, 'status') }; }).objects,
    });
    const role = roles[0];
    if (!role) {
      return {
        ...base,
        status: 'fail',
        detail: `kaltura.joinRoleId is ${roleId}, but partner ${ctx.config.partnerId} has no role with that ${numeric ? 'id' : 'systemName'}: Kaltura would refuse every member's session (UNKNOWN_ROLE_ID)`,
        fix: 'Create the role (docs/kaltura.md, "A restricted role for join sessions") or correct kaltura.joinRoleId; remove the key to use the default user role.',
      };
    }
    if (role.status !== undefined && role.status !== ACTIVE) {
      return { ...base, status: 'fail', detail: `The role ${roleId} (#${role.id ?? '?'}) is not active (status ${role.status})`, fix: 'Activate the role in Kaltura (userRole.update status 1), or choose another one.' };
    }
    return { ...base, status: 'ok', detail: `Members' sessions carry setrole:${roleId} (role #${role.id ?? '?'}${role.name ? `, "${role.name}"` : ''}, active)` };
  } catch (err) {
    const why = err instanceof KalturaAPIError ? `userRole.list answered ${err.code}` : 'userRole.list did not answer';
    return { ...base, status: 'warn', detail: `Not verified: ${why}`, fix: 'Check in the KMC (Administration → Roles) that the role exists and is active; `doctor --deep` launches a room with it.' };
  }
}
