import type { Config } from '../../config/config-types';
import type { GuildPolicy, PolicyLookup } from './guild-policy';

/** Every server gets the YAML `defaults` until per-server settings exist. */
export function policyFromConfig(defaults: Pick<Config['defaults'], 'roles' | 'permissions' | 'meetings'>): PolicyLookup {
  const policy: GuildPolicy = Object.freeze({
    moderatorRoleIds: Object.freeze([...defaults.roles.moderatorRoleIds]),
    startMeetings: defaults.permissions.startMeetings,
    starterRoleIds: Object.freeze([...defaults.permissions.starterRoleIds]),
    defaultKind: defaults.meetings.kind,
    defaultDurationMinutes: defaults.meetings.durationMinutes,
    defaultRecord: defaults.meetings.record,
    maxLivePerMember: defaults.meetings.maxLivePerMember ?? 0,
  });
  const resolved = Promise.resolve(policy);
  return () => resolved;
}
