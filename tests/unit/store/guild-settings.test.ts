import { describe, expect, it } from 'vitest';
import { applyGuildSettings, createGuildSettingsRepo, listGuildSettings, listSettingsAudit } from '../../../src/store/guild-settings';
import { schemaVersion } from '../../../src/store/migrate-database';
import { migrations } from '../../../src/store/migrations/index';
import { ADMIN, G, OTHER, ROLE_A, useSettingsDb } from '../core/settings-fixtures';

describe('guild settings store', () => {
  const { openDb } = useSettingsDb();

  it('is migration 004 (appended): guild_settings and settings_audit', () => {
    const { db } = openDb();
    expect(migrations.findIndex((m) => m.name === 'guild-settings')).toBe(3);
    expect(schemaVersion(db)).toBe(migrations.length);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['guild_settings', 'settings_audit']));
  });

  it('stores JSON values with who and when, and the audit of each change (NULL = no server value)', () => {
    const { db } = openDb();
    applyGuildSettings(db, G, [{ key: 'roles.moderatorRoleIds', oldValue: undefined, newValue: [ROLE_A] }], ADMIN, 10);
    applyGuildSettings(db, G, [{ key: 'meetings.record', oldValue: undefined, newValue: false }], 'cli:ops', 20);
    expect(listGuildSettings(db, G)).toEqual([
      { key: 'meetings.record', value: false, updatedAt: 20, updatedBy: 'cli:ops' },
      { key: 'roles.moderatorRoleIds', value: [ROLE_A], updatedAt: 10, updatedBy: ADMIN },
    ]);
    applyGuildSettings(db, G, [{ key: 'meetings.record', oldValue: false, newValue: undefined }], ADMIN, 30);
    expect(listGuildSettings(db, G).map((s) => s.key)).toEqual(['roles.moderatorRoleIds']);
    expect(listGuildSettings(db, OTHER)).toEqual([]);
    expect(db.prepare('SELECT key, old_value, new_value, actor, at FROM settings_audit ORDER BY id').all()).toEqual([
      { key: 'roles.moderatorRoleIds', old_value: null, new_value: `["${ROLE_A}"]`, actor: ADMIN, at: 10 },
      { key: 'meetings.record', old_value: null, new_value: 'false', actor: 'cli:ops', at: 20 },
      { key: 'meetings.record', old_value: 'false', new_value: null, actor: ADMIN, at: 30 },
    ]);
    expect(listSettingsAudit(db, G, 2).map((e) => e.at)).toEqual([30, 20]);
  });

  it('writes the value and its audit row in one transaction: if the audit fails, the value is not changed', () => {
    const { db } = openDb();
    applyGuildSettings(db, G, [{ key: 'meetings.record', oldValue: undefined, newValue: true }], ADMIN, 10);
    db.exec('CREATE TRIGGER no_audit BEFORE INSERT ON settings_audit BEGIN SELECT RAISE(ABORT, "audit unavailable"); END');
    expect(() =>
      applyGuildSettings(db, G, [
        { key: 'meetings.record', oldValue: true, newValue: false },
        { key: 'meetings.kind', oldValue: undefined, newValue: 'webinar' },
      ], ADMIN, 20),
    ).toThrow(/audit unavailable/);
    expect(listGuildSettings(db, G)).toEqual([{ key: 'meetings.record', value: true, updatedAt: 10, updatedBy: ADMIN }]);
  });

  it("revision() moves when another connection writes, not on this connection's own writes", () => {
    const { db, file } = openDb();
    const repo = createGuildSettingsRepo(db);
    const r0 = repo.revision();
    repo.apply(G, [{ key: 'meetings.record', oldValue: undefined, newValue: true }], ADMIN, 1);
    expect(repo.revision()).toBe(r0);
    const other = openDb(file).db;
    applyGuildSettings(other, G, [{ key: 'meetings.record', oldValue: true, newValue: false }], 'cli:ops', 2);
    expect(repo.revision()).not.toBe(r0);
  });
});
