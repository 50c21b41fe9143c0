import { requiredId } from '../action-params';
import { apiError } from '../api-error';
import { ERR } from '../error-catalog';
import { applyPager, splitCsv, toNumber, toText } from '../list-query';
import type { UserRoleRecord } from '../partner-account';
import { isPlainObject } from '../request-params';
import type { ServiceDefinition } from '../service-definition';
import { listResponse } from '../wire-format';

/**
 * `userRole.get/list` (api_v3/services/UserRoleService.php): get of an unknown id is
 * INVALID_OBJECT_ID {ID}; list filters on idEqual, systemNameEqual, statusEqual
 * (KalturaUserRoleBaseFilter) and leaves deleted roles out unless a status filter asks for them.
 */
const toWireRole = (r: UserRoleRecord) => ({ id: r.id, name: r.name, systemName: r.systemName, status: r.status, objectType: 'KalturaUserRole' });

export const userRoleService: ServiceDefinition = {
  id: 'userrole',
  actions: [
    {
      name: 'get',
      auth: 'admin',
      run: (params, { state }) => {
        const id = requiredId(params, 'userRoleId');
        const role = state.account.userRoles.find((r) => r.id === id && r.status !== 3);
        if (!role) throw apiError(ERR.INVALID_OBJECT_ID, id);
        return toWireRole(role);
      },
    },
    {
      name: 'list',
      auth: 'admin',
      run: (params, { state }) => {
        const f = isPlainObject(params.filter) ? params.filter : {};
        const statuses = splitCsv(f.statusIn).map(Number);
        const matches = state.account.userRoles.filter(
          (r) =>
            (f.idEqual === undefined || r.id === toNumber(f.idEqual)) &&
            (f.systemNameEqual === undefined || r.systemName === toText(f.systemNameEqual)) &&
            (f.statusEqual === undefined ? statuses.length > 0 || r.status !== 3 : r.status === toNumber(f.statusEqual)) &&
            (statuses.length === 0 || statuses.includes(r.status)),
        );
        return listResponse('KalturaUserRoleListResponse', applyPager(matches, params.pager).map(toWireRole), matches.length);
      },
    },
  ],
};
