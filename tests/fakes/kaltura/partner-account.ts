import { NEVER_GRANTED, PERMISSION_ITEMS } from './permission-items';
import type { FakeKalturaOptions } from './types';

/**
 * The partner's account settings that decide what a session may do and which secret signs what.
 * - Admin secrets: the primary one (`Partner::getAdminSecret`) plus enabled additional ones
 *   (`Partner::getEnabledAdditionalAdminSecrets`). A KS signed with any of them verifies
 *   (kSessionBase::getAdminSecrets / matchAdminSecretV2) and `session.start` accepts any of them
 *   (Partner::validateSecret), but HTTP notifications are signed with the primary one only
 *   (plugins/event_notification/providers/http/lib/model/HttpNotificationTemplate.php:
 *   `$jobData->setSignSecret($partner->getAdminSecret())`).
 * - `hideSecrets`: `KalturaPartner::doFromObject` blanks `adminSecret` and `secret` for such
 *   partners (api_v3/lib/types/partner/KalturaPartner.php).
 * - Missing permissions: an action whose every permission item the partner lacks is
 *   SERVICE_FORBIDDEN {SERVICE: "<serviceId>-><action>"} (api_v3/lib/KalturaBaseService.php initService).
 */
export interface UserRoleRecord {
  readonly id: number;
  readonly systemName: string;
  readonly name: string;
  /** 1 ACTIVE, 2 BLOCKED, 3 DELETED (UserRoleStatus). */
  readonly status: number;
}

export interface PartnerAccount {
  readonly adminSecrets: readonly string[];
  readonly hideSecrets: boolean;
  readonly missingPermissions: ReadonlySet<string>;
  readonly userRoles: readonly UserRoleRecord[];
}

export function createPartnerAccount(primaryAdminSecret: string, opts: FakeKalturaOptions): PartnerAccount {
  return {
    adminSecrets: [primaryAdminSecret, ...(opts.additionalAdminSecrets ?? [])],
    hideSecrets: opts.hideSecrets ?? false,
    missingPermissions: new Set(opts.missingPermissions ?? []),
    userRoles: (opts.userRoles ?? []).map((r) => ({ id: r.id, systemName: r.systemName, name: r.name ?? r.systemName, status: r.status ?? 1 })),
  };
}

/**
 * The role a `setrole:` value names, as kPermissionManager::getRoleIds looks it up: a numeric
 * value by id, anything else by systemName (alpha/apps/kaltura/lib/kPermissionManager.php).
 * Deleted roles are not found. Partner 0's roles are not modelled.
 */
export function findSetRole(account: PartnerAccount, value: string): UserRoleRecord | undefined {
  const numeric = /^\d+$/.test(value);
  return account.userRoles.find((r) => r.status !== 3 && (numeric ? r.id === Number(value) : r.systemName === value));
}

/** Is `service->action` (wire ids, any case) permitted to this partner's admin sessions? */
export function isActionPermitted(account: PartnerAccount, service: string, action: string): boolean {
  const needs = PERMISSION_ITEMS[`${service.toLowerCase()}->${action.toLowerCase()}`];
  if (!needs) return true;
  return needs.some((p) => !NEVER_GRANTED.has(p) && !account.missingPermissions.has(p));
}
