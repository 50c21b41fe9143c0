import type { DefaultsConfig } from '../../config/config-types';
import type { Logger } from '../logger';
import type { GuildPolicy } from '../meetings/guild-policy';
import type { NotificationPolicy } from '../notifications/notification-policy';
import type { Clock } from '../ports/clock';
import { ALL_KEYS, type ChangeFeed } from '../ports/leadership';
import type { GuildSettingsRepo, SettingChange, SettingsAuditEntry, StoredSetting } from '../ports/settings-repo';
import type { Store, Transaction } from '../ports/store';
import { UserError } from '../user-error';
import { knownSettings, resolveEntry, sameValue, viewOf, type SettingsEntry, type SettingView } from './layer-settings';
import { findSettingKey, SETTING_KEYS } from './setting-keys';
import { createSettingValidator } from './validate-setting';

export type { SettingChange, SettingsAuditEntry, SettingView };

/**
 * The lookups take the caller's transaction when called inside one: a cache miss then reads
 * through `tx` (the store's own repositories refuse calls made inside a transaction).
 */
export interface GuildSettings {
  /** What a server allows, with its own values over the YAML defaults. Cached per server. */
  policyFor(guildId: string, tx?: Transaction): Promise<GuildPolicy>;
  /** Which notifications a server gets, with its own values over the YAML defaults. Cached per server. */
  notificationPolicyFor(guildId: string, tx?: Transaction): Promise<NotificationPolicy>;
  /** Every setting, in schema order. */
  view(guildId: string): Promise<SettingView[]>;
  get(guildId: string, key: string): Promise<SettingView>;
  /** Validates and stores a server value (with an audit row); `undefined` when it was already that value. */
  set(guildId: string, key: string, value: unknown, actor: string): Promise<SettingChange | undefined>;
  /** Removes the server value(s) so the defaults apply again; returns what changed (nothing if nothing was set). */
  reset(guildId: string, key: string, actor: string): Promise<SettingChange[]>;
  /** The most recent changes, newest first. */
  audit(guildId: string, limit?: number): Promise<SettingsAuditEntry[]>;
  /** Stops listening to the change feed. */
  close(): void;
}

export interface GuildSettingsDeps {
  readonly store: Store;
  readonly defaults: DefaultsConfig;
  readonly clock: Clock;
  /** Tells every instance (this one included) which server's settings changed, after the commit. */
  readonly changes: ChangeFeed;
  /** Where a failed publish is reported (the change itself is committed). */
  readonly logger?: Logger;
}

/**
 * A cached server is read again after this long even if no change was heard: bounds how stale an
 * instance can be when a notification was lost (a LISTEN connection that dropped and came back).
 */
export const SETTINGS_CACHE_MS = 5 * 60_000;

/**
 * Per-server settings layered over the YAML `defaults`. Every value is checked against the schema
 * node the YAML is checked against; every change is written with an audit row in one transaction.
 * The lookups run on every interaction, so each server's resolved policy is cached until:
 * - a change is committed here (dropped at once) or on another instance (ChangeFeed 'settings'),
 * - another process wrote the SQLite file (the CLI while `serve` runs: SQLite's data_version),
 * - or it is SETTINGS_CACHE_MS old.
 * A read that began before an invalidation does not fill the cache (`epoch`), so a write racing
 * a cache fill cannot leave the old value cached.
 */
export function createGuildSettings(deps: GuildSettingsDeps): GuildSettings {
  const { store, defaults, clock, changes } = deps;
  const validate = createSettingValidator();
  const cache = new Map<string, SettingsEntry & { readonly at: number }>();
  let epoch = 0;
  let revision: number | undefined;

  const invalidate = (guildId: string) => {
    epoch++;
    if (guildId === ALL_KEYS) cache.clear(); // the feed reconnected: changes may have been missed
    else cache.delete(guildId);
  };
  const unsubscribe = changes.subscribe('settings', invalidate);

  /**
   * SQLite only (on PostgreSQL every writer publishes on the feed). Lookups running at the same
   * time share one read of data_version: under a burst of joins it costs one query, not one each.
   */
  let checking: Promise<void> | undefined;
  const readRevision = async (repo: GuildSettingsRepo) => {
    const now = await repo.revision();
    if (revision !== undefined && now !== revision) invalidate(ALL_KEYS);
    revision = now;
  };
  const checkRevision = (repo: GuildSettingsRepo): Promise<void> | undefined => {
    if (store.dialect !== 'sqlite') return undefined;
    if (repo !== store.settings) return readRevision(repo); // inside the caller's transaction: on its connection
    return (checking ??= readRevision(repo).finally(() => {
      checking = undefined;
    }));
  };

  const entryFor = async (guildId: string, tx?: Transaction): Promise<SettingsEntry> => {
    const repo = tx?.settings ?? store.settings;
    await checkRevision(repo);
    const now = clock.now();
    const cached = cache.get(guildId);
    if (cached && now - cached.at < SETTINGS_CACHE_MS && now >= cached.at) return cached;
    const started = epoch;
    const entry = { ...(await resolveEntry(defaults, guildId, knownSettings(await repo.list(guildId), validate))), at: now };
    if (epoch === started) cache.set(guildId, entry);
    return entry;
  };

  const publish = async (guildId: string) => {
    try {
      await changes.publish('settings', guildId);
    } catch (err) {
      deps.logger?.warn({ err, guildId }, `other instances keep this server's previous settings for up to ${SETTINGS_CACHE_MS / 60_000} minutes: the change could not be announced`);
    }
  };

  /** Reads and writes in one transaction (two admins at once cannot both see the same "before"); publishes after the commit. */
  const write = async (guildId: string, actor: string, decide: (rows: StoredSetting[]) => SettingChange[]): Promise<SettingChange[]> => {
    let changed: SettingChange[] | undefined;
    try {
      changed = await store.transaction(async (tx) => {
        await tx.settings.lockGuild(guildId);
        const decided = decide(await tx.settings.list(guildId));
        if (decided.length > 0) await tx.settings.apply(guildId, decided, actor, clock.now());
        return decided;
      });
      return changed;
    } finally {
      // `undefined`: the transaction failed, and a lost COMMIT acknowledgement leaves the outcome unknown: drop it anyway.
      if (changed === undefined || changed.length > 0) {
        invalidate(guildId);
        await publish(guildId);
      }
    }
  };

  return {
    policyFor: async (guildId, tx) => (await entryFor(guildId, tx)).policy,
    notificationPolicyFor: async (guildId, tx) => (await entryFor(guildId, tx)).notifications,
    async view(guildId) {
      const { stored } = await entryFor(guildId);
      return SETTING_KEYS.map((k) => viewOf(defaults, k, stored));
    },
    async get(guildId, path) {
      const key = findSettingKey(path);
      return viewOf(defaults, key, (await entryFor(guildId)).stored);
    },
    async set(guildId, path, value, actor) {
      const key = findSettingKey(path);
      validate(key, value);
      const [change] = await write(guildId, actor, (rows) => {
        const current = knownSettings(rows, validate).get(key.path);
        return current && sameValue(current.value, value) ? [] : [{ key: key.path, oldValue: current?.value, newValue: value }];
      });
      return change;
    },
    async reset(guildId, path, actor) {
      const all = path.trim() === 'all';
      const keys = all ? [] : [findSettingKey(path).path];
      return write(guildId, actor, (rows) => {
        const stored = new Map(rows.map((s) => [s.key, s])); // unknown or stale keys are removed by `all` too
        const paths = all ? [...stored.keys()] : keys.filter((p) => stored.has(p));
        return paths.map((p) => ({ key: p, oldValue: stored.get(p)!.value, newValue: undefined }));
      });
    },
    async audit(guildId, limit = 20) {
      if (!Number.isInteger(limit) || limit < 1) throw new UserError('settings.invalid', 'the number of audit entries must be a whole number of at least 1');
      return store.settings.audit(guildId, Math.min(limit, 500));
    },
    close: unsubscribe,
  };
}
