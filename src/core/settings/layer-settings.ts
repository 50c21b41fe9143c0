import type { DefaultsConfig } from '../../config/config-types';
import type { GuildPolicy } from '../meetings/guild-policy';
import { policyFromConfig } from '../meetings/policy-from-config';
import { notificationPolicyFromConfig, type NotificationPolicy } from '../notifications/notification-policy';
import type { StoredSetting } from '../ports/settings-repo';
import { SETTING_KEYS, type SettingKey, type SettingKind } from './setting-keys';

/** One setting as a server sees it: the effective value and where it comes from. */
export interface SettingView {
  readonly key: string;
  readonly kind: SettingKind;
  /** `undefined`: not set anywhere (e.g. a notification channel: the meeting's channel). */
  readonly value: unknown;
  readonly source: 'server' | 'default';
  readonly updatedAt?: number;
  readonly updatedBy?: string;
}

/** A server's resolved settings, as cached. */
export interface SettingsEntry {
  readonly stored: ReadonlyMap<string, StoredSetting>;
  readonly policy: GuildPolicy;
  readonly notifications: NotificationPolicy;
}

export const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

function getIn(value: unknown, segments: readonly string[]): unknown {
  let v = value;
  for (const s of segments) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[s] : undefined;
  return v;
}

/** A copy of `defaults` with the server's values written over it. */
function layer(defaults: DefaultsConfig, stored: ReadonlyMap<string, StoredSetting>): DefaultsConfig {
  const out = structuredClone(defaults) as unknown as Record<string, unknown>;
  for (const { key, value } of stored.values()) {
    const segments = key.split('.');
    let node = out;
    for (const s of segments.slice(0, -1)) node = (node[s] ??= {}) as Record<string, unknown>;
    node[segments.at(-1)!] = value;
  }
  return out as unknown as DefaultsConfig;
}

/**
 * The policies of a server whose known, valid stored values are `stored`. The `*FromConfig`
 * lookups are awaited whether they answer at once or with a promise.
 */
export async function resolveEntry(defaults: DefaultsConfig, guildId: string, stored: ReadonlyMap<string, StoredSetting>): Promise<SettingsEntry> {
  const effective = stored.size === 0 ? defaults : layer(defaults, stored);
  const policy = await policyFromConfig(effective)(guildId);
  const notifications = await notificationPolicyFromConfig(effective.notifications)(guildId);
  return { stored, policy, notifications };
}

/** Stored values that still name a key and still pass the schema (a newer release may have tightened it). */
export function knownSettings(rows: readonly StoredSetting[], validate: (key: SettingKey, value: unknown) => void): Map<string, StoredSetting> {
  const known = new Map<string, StoredSetting>();
  for (const s of rows) {
    const key = SETTING_KEYS.find((k) => k.path === s.key);
    if (!key) continue;
    try {
      validate(key, s.value);
      known.set(s.key, s);
    } catch {
      // ignored: the default applies, and `view` shows it as such
    }
  }
  return known;
}

export function viewOf(defaults: DefaultsConfig, key: SettingKey, stored: ReadonlyMap<string, StoredSetting>): SettingView {
  const s = stored.get(key.path);
  return s
    ? { key: key.path, kind: key.kind, value: s.value, source: 'server', updatedAt: s.updatedAt, updatedBy: s.updatedBy }
    : { key: key.path, kind: key.kind, value: getIn(defaults, key.segments), source: 'default' };
}
