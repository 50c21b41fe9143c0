import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli';
import { useTempDirs } from '../helpers/temp-dir';
import { IDS, startHarness, type Harness } from './meeting-harness';

const DAY = 24 * 60 * 60_000;

/**
 * History does not grow for ever: `serve` deletes finished meetings (with their joins), join records,
 * the settings audit and processed notifications older than `retention.*`, at start and every hour;
 * `doctor` shows how many rows each table holds.
 */
describe('retention: old history is deleted, recent history kept', () => {
  const tempDir = useTempDirs();
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  function seed(harness: Harness, now: number) {
    const db = harness.app.db;
    const meeting = db.prepare(`INSERT INTO meetings (id, guild_id, channel_id, host_id, host_name, kind, title, duration_minutes, record, status, created_at, ended_at)
      VALUES (?, '${IDS.guild}', '${IDS.channel}', '${IDS.host}', 'hana', 'meeting', ?, 60, 0, ?, ?, ?)`);
    meeting.run('m_old_ended', 'old', 'ended', now - 400 * DAY, now - 400 * DAY);
    meeting.run('m_old_failed', 'failed', 'failed', now - 40 * DAY, null); // 30-day retention below
    meeting.run('m_recent', 'recent', 'ended', now - 20 * DAY, now - 20 * DAY);
    meeting.run('m_live_old', 'long live', 'live', now - 400 * DAY, null); // never deleted while not finished
    const join = db.prepare("INSERT INTO meeting_joins (meeting_id, user_id, role, joined_at) VALUES (?, '1', 'attendee', ?)");
    join.run('m_old_ended', now - 400 * DAY);
    join.run('m_recent', now - 20 * DAY); // older than joinsDays 10
    join.run('m_recent', now - 2 * DAY);
    const audit = db.prepare(`INSERT INTO settings_audit (guild_id, key, old_value, new_value, actor, at) VALUES ('${IDS.guild}', 'meetings.record', NULL, 'true', '1', ?)`);
    audit.run(now - 100 * DAY);
    audit.run(now - 5 * DAY);
    const inbox = db.prepare("INSERT INTO webhook_inbox (dedupe_key, kind, payload, status, next_attempt_at, received_at) VALUES (?, 'x', '{}', ?, ?, ?)");
    inbox.run('job:1', 'done', 0, now - 5 * DAY);
    inbox.run('job:2', 'done', 0, now - 1 * DAY);
    inbox.run('job:3', 'pending', now + DAY, now - 9 * DAY); // pending (retried tomorrow): never deleted
  }
  const ids = (harness: Harness, sql: string) => harness.app.db.prepare(sql).pluck().all();

  it('deletes what is older than each retention at start, keeps the rest; doctor shows the table sizes', async () => {
    h = await startHarness(tempDir(), { extraYaml: 'retention:\n  meetingsDays: 30\n  joinsDays: 10\n  settingsAuditDays: 30\n  notificationsDays: 3\n' });
    seed(h, Date.now());
    await h.restart(); // serve deletes old history when it starts

    expect(ids(h, 'SELECT id FROM meetings ORDER BY id')).toEqual(['m_live_old', 'm_recent']);
    expect(ids(h, 'SELECT joined_at FROM meeting_joins').length).toBe(1); // the old meeting's join went with it; the 20-day-old one by joinsDays
    expect(ids(h, 'SELECT at FROM settings_audit').length).toBe(1);
    expect(ids(h, 'SELECT dedupe_key FROM webhook_inbox ORDER BY dedupe_key')).toEqual(['job:2', 'job:3']);

    const doctor = await runCli(['doctor', '--json'], { cwd: h.dir });
    const database = (JSON.parse(doctor.stdout) as { checks: { id: string; detail: string }[] }).checks.find((c) => c.id === 'database')!;
    expect(database.detail).toMatch(/rows: meetings 2, meeting_joins 1, settings_audit 1, webhook_inbox 2, outbox \d+ \(file [0-9.]+ MB; kept per retention\.\*\)/);
  });
});
