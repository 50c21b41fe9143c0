import type { DefaultsConfig } from '../../config/config-types';
import type { GuildPolicy, PolicyLookup } from '../meetings/guild-policy';
import { policyFromConfig } from '../meetings/policy-from-config';
import { notificationPolicyFromConfig, type NotificationPolicy, type NotificationPolicyLookup } from '../notifications/notification-policy';
import type { Clock } from '../ports/clock';
import type { GuildSettingsRepo, SettingChange, SettingsAuditEntry, StoredSetting } from '../ports/settings-repo';
import { UserError } from '../user-error';
import { findSettingKey, SETTING_KEYS, type SettingKey, type SettingKind } from './setting-keys';
import { createSettingValidator } from './validate-setting';

export type { SettingChange, SettingsAuditEntry };

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

export interface GuildSettings {
  /** What a server allows, with its own values over the YAML defaults. Cached per server. */
  readonly policyFor: PolicyLookup;
  /** Which notifications a server gets, with its own values over the YAML defaults. Cached per server. */
  readonly notificationPolicyFor: NotificationPolicyLookup;
  /** Every setting, in schema order. */
  view(guildId: string): SettingView[];
  get(guildId: string, key: string): SettingView;
  /** Validates and stores a server value (with an audit row); `undefined` when it was already that value. */
  set(guildId: string, key: string, value: unknown, actor: string): SettingChange | undefined;
  /** Removes the server value(s) so the defaults apply again; returns what changed (nothing if nothing was set). */
  reset(guildId: string, key: string, actor: string): SettingChange[];
  /** The most recent changes, newest first. */
  audit(guildId: string, limit?: number): SettingsAuditEntry[];
}

interface Entry {
  readonly stored: ReadonlyMap<string, StoredSetting>;
  readonly policy: GuildPolicy;
  readonly notifications: NotificationPolicy;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

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
 * Per-server settings layered over the YAML `defaults`. Every value is checked against the
 * schema node the YAML is checked against; every change is written with an audit row in one
 * transaction. The lookups run on every interaction, so each server's resolved policy is
 * cached until it changes here, or until another process (the CLI) writes the database.
 */
export function createGuildSettings(deps: { repo: GuildSettingsRepo; defaults: DefaultsConfig; clock: Clock }): GuildSettings {
  const { repo, defaults, clock } = deps;
  const validate = createSettingValidator();
  const cache = new Map<string, Entry>();
  let revision = repo.revision();
  const fromDefaults: Entry = { stored: new Map(), policy: policyFromConfig(defaults)(''), notifications: notificationPolicyFromConfig(defaults.notifications)('') };

  /** Stored values that still name a key and still pass the schema (a newer release may have tightened it). */
  const load = (guildId: string): Map<string, StoredSetting> => {
    const known = new Map<string, StoredSetting>();
    for (const s of repo.list(guildId)) {
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
  };

  const entryFor = (guildId: string): Entry => {
    const now = repo.revision();
    if (now !== revision) {
      cache.clear();
      revision = now;
    }
    let entry = cache.get(guildId);
    if (!entry) {
      const stored = load(guildId);
      if (stored.size === 0) entry = fromDefaults;
      else {
        const effective = layer(defaults, stored);
        entry = { stored, policy: policyFromConfig(effective)(guildId), notifications: notificationPolicyFromConfig(effective.notifications)(guildId) };
      }
      cache.set(guildId, entry);
    }
    return entry;
  };

  const viewOf = (key: SettingKey, stored: ReadonlyMap<string, StoredSetting>): SettingView => {
    const s = stored.get(key.path);
    return s
      ? { key: key.path, kind: key.kind, value: s.value, source: 'server', updatedAt: s.updatedAt, updatedBy: s.updatedBy }
      : { key: key.path, kind: key.kind, value: getIn(defaults, key.segments), source: 'default' };
  };

  const write = (guildId: string, changes: SettingChange[], actor: string) => {
    if (changes.length === 0) return;
    try {
      repo.apply(guildId, changes, actor, clock.now());
    } finally {
      cache.delete(guildId);
    }
  };

  return {
    policyFor: (guildId) => entryFor(guildId).policy,
    notificationPolicyFor: (guildId) => entryFor(guildId).notifications,
    view(guildId) {
      const { stored } = entryFor(guildId);
      return SETTING_KEYS.map((k) => viewOf(k, stored));
    },
    get(guildId, path) {
      return viewOf(findSettingKey(path), entryFor(guildId).stored);
    },
    set(guildId, path, value, actor) {
      const key = findSettingKey(path);
      validate(key, value);
      const current = load(guildId).get(key.path);
      if (current && same(current.value, value)) return undefined;
      const change: SettingChange = { key: key.path, oldValue: current?.value, newValue: value };
      write(guildId, [change], actor);
      return change;
    },
    reset(guildId, path, actor) {
      const keys = path.trim() === 'all' ? SETTING_KEYS : [findSettingKey(path)];
      const stored = new Map(repo.list(guildId).map((s) => [s.key, s])); // unknown or stale keys are removed by `all` too
      const paths = path.trim() === 'all' ? [...stored.keys()] : keys.map((k) => k.path).filter((p) => stored.has(p));
      const changes = paths.map((p) => ({ key: p, oldValue: stored.get(p)!.value, newValue: undefined }));
      write(guildId, changes, actor);
      return changes;
    },
    audit(guildId, limit = 20) {
      if (!Number.isInteger(limit) || limit < 1) throw new UserError('settings.invalid', 'the number of audit entries must be a whole number of at least 1');
      return repo.audit(guildId, Math.min(limit, 500));
    },
  };
}
