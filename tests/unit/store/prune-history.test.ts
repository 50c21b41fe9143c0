/**
 * Retention over both engines: old finished meetings (with their joins, by cascade), old join
 * records and old settings audit rows go, in batches; live meetings and recent rows stay.
 */
import { describe, expect, it } from 'vitest';
import { historyCutoffs, pruneHistory } from '../../../src/store/prune-history';
import { STORE_DRIVERS } from '../../helpers/stores';
import { rawSql, useSettingsStores } from '../core/settings-fixtures';

const DAY = 24 * 60 * 60_000;
const NOW = 1_800_000_000_000;
const G = '1200000000000000001';

describe.each(STORE_DRIVERS)('pruneHistory (%s)', (driver) => {
  const { first } = useSettingsStores(driver);

  async function seed(opened: Parameters<typeof rawSql>[0]) {
    const meeting = `INSERT INTO meetings (id, guild_id, channel_id, host_id, host_name, kind, title, duration_minutes, record, status, created_at, ended_at, version, card_version)
      VALUES (?, '${G}', '1300000000000000001', '1500000000000000001', 'hana', 'meeting', ?, 60, 0, ?, ?, ?, 0, 0)`;
    await rawSql(opened, meeting, ['m_old_ended', 'old', 'ended', NOW - 400 * DAY, NOW - 400 * DAY]);
    await rawSql(opened, meeting, ['m_old_failed', 'failed', 'failed', NOW - 40 * DAY, null]);
    await rawSql(opened, meeting, ['m_recent', 'recent', 'ended', NOW - 20 * DAY, NOW - 20 * DAY]);
    await rawSql(opened, meeting, ['m_live_old', 'long live', 'live', NOW - 400 * DAY, null]); // never deleted while not finished
    const join = "INSERT INTO meeting_joins (meeting_id, user_id, role, joined_at) VALUES (?, '1', 'attendee', ?)";
    await rawSql(opened, join, ['m_old_ended', NOW - 400 * DAY]);
    await rawSql(opened, join, ['m_recent', NOW - 20 * DAY]);
    await rawSql(opened, join, ['m_recent', NOW - 2 * DAY]);
    // More old join rows than one batch (500), all of the live meeting: they go by joinsDays, the meeting stays.
    await rawSql(
      opened,
      "INSERT INTO meeting_joins (meeting_id, user_id, role, joined_at) WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1203) SELECT 'm_live_old', '2', 'attendee', ? FROM n",
      [NOW - 30 * DAY],
    );
    const audit = `INSERT INTO settings_audit (guild_id, key, old_value, new_value, actor, at) VALUES ('${G}', 'meetings.record', NULL, 'true', '1', ?)`;
    await rawSql(opened, audit, [NOW - 100 * DAY]);
    await rawSql(opened, audit, [NOW - 5 * DAY]);
  }

  it('deletes what is older than each retention, in batches, and keeps the rest; sizes count what is left', async () => {
    const { store, opened } = await first();
    await seed(opened);
    const pruned = await pruneHistory(store, historyCutoffs({ meetingsDays: 30, joinsDays: 10, settingsAuditDays: 30 }, NOW));
    // m_old_ended's join went with the meeting (cascade), not counted as a join
    expect(pruned).toEqual({ meetings: 2, joins: 1 + 1203, audit: 1 });
    expect((await rawSql(opened, 'SELECT id FROM meetings ORDER BY id')).map((r) => r.id)).toEqual(['m_live_old', 'm_recent']);
    expect((await rawSql(opened, 'SELECT joined_at FROM meeting_joins')).map((r) => Number(r.joined_at))).toEqual([NOW - 2 * DAY]);
    expect((await rawSql(opened, 'SELECT at FROM settings_audit')).map((r) => Number(r.at))).toEqual([NOW - 5 * DAY]);
    expect(await store.history.sizes()).toMatchObject({ meetings: 2, meeting_joins: 1, settings_audit: 1, webhook_inbox: 0, outbox: 0 });
    // Nothing older is left: a second pass deletes nothing.
    expect(await pruneHistory(store, historyCutoffs({ meetingsDays: 30, joinsDays: 10, settingsAuditDays: 30 }, NOW))).toEqual({ meetings: 0, joins: 0, audit: 0 });
  });

  it('a batch deletes at most its limit', async () => {
    const { store, opened } = await first();
    await seed(opened);
    expect(await store.history.deleteJoinsBefore(NOW - 10 * DAY, 100)).toBe(100);
    expect(await store.history.deleteAuditBefore(NOW, 1)).toBe(1);
    expect(await store.history.deleteMeetingsBefore(NOW, 1)).toBe(1);
  });
});
