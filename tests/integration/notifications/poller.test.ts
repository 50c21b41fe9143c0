import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { captureLogger } from '../../helpers/capture-logger';
import { STORE_DRIVERS } from '../../helpers/stores';
import { useTempDirs } from '../../helpers/temp-dir';
import { APP_TOKEN, entryNotificationBody, expectCleanLogs, GUILD, host, LINKS_SECRET, POLL_WINDOW_MS, signed, startHarness, type Harness } from './harness';

const logs = captureLogger();
const tempDir = useTempDirs();
const secrets = new Set<string>([LINKS_SECRET, APP_TOKEN.token]);
let h: Harness;

afterAll(() => expectCleanLogs(logs.text(), [...secrets]));

async function ended(title: string) {
  const m = await h.start(title);
  h.clock.advance(60_000);
  await h.service.end(host, GUILD, m.id);
  return (await h.store.meetings.get(m.id))!;
}

const mediaLists = () => h.fake.requests.filter((r) => r.service === 'media' && r.action === 'list').length;

describe.each(STORE_DRIVERS)('recording poller, no webhook (%s)', (driver) => {
  beforeEach(async () => {
    h = await startHarness({ logger: logs.logger, dir: tempDir(), driver });
    secrets.add(h.fake.adminSecret);
  });
  afterEach(async () => {
    await h.close();
  });

  it('finds the recording of an ended meeting and posts once, even when the webhook for it arrives afterwards', async () => {
    const meeting = await ended('Lecture 4');
    expect(await h.notifications.pollRecordings()).toEqual({ checked: 1, found: 0, failed: 0 }); // still processing in Kaltura
    const entry = h.fake.addRecording(meeting.resourceId!);

    expect(await h.notifications.pollRecordings()).toEqual({ checked: 1, found: 1, failed: 0 });
    await h.settle();
    expect(h.sender.posted).toHaveLength(1);
    expect(h.sender.posted[0]!.message).toMatchObject({ replyToMessageId: meeting.cardMessageId, linkButtons: [{ label: 'Watch', url: h.kaltura.media.watchUrl(entry.id) }] });
    expect((await h.store.meetings.get(meeting.id))!.recordingEntryId).toBe(entry.id);

    // asked again within the window (a restarted room records again), but the same recording is not news
    const before = mediaLists();
    expect(await h.notifications.pollRecordings()).toEqual({ checked: 1, found: 0, failed: 0 });
    expect(mediaLists()).toBe(before + 1);
    expect(h.fake.requests.filter((r) => r.service === 'media' && r.action === 'list').at(-1)?.params.filter).toMatchObject({ rootEntryIdEqual: meeting.templateEntryId, isRoot: 0 });

    // a late webhook for the same recording goes through the same path: nothing new
    const { body, headers } = signed(h.fake, entryNotificationBody(entry, 880_001));
    expect(await (await h.post(body, headers)).json()).toEqual({ status: 'accepted' });
    await h.settle();
    expect(h.sender.posted).toHaveLength(1);
    expect(await h.rows('webhook_inbox')).toEqual([expect.objectContaining({ status: 'done' })]);
  });

  it('announces each recording of a meeting once (the room restarted), and never an entry that only looks like one', async () => {
    const meeting = await ended('Lecture 5');
    const first = h.fake.addRecording(meeting.resourceId!);
    // another member uploads an entry with the same name, tags and owner (what a name match would take)
    const template = h.fake.store.entries.get(meeting.templateEntryId!);
    h.fake.addEntry({ name: template.name, tags: template.tags, userId: template.userId, categoriesIds: template.categoriesIds, templateEntryId: template.id });
    h.fake.addEntry({ name: `${template.name} (${meeting.roomToken})`, tags: template.tags });
    expect(await h.notifications.pollRecordings()).toEqual({ checked: 1, found: 1, failed: 0 });
    h.clock.advance(60_000);
    const second = h.fake.addRecording(meeting.resourceId!);
    expect(await h.notifications.pollRecordings()).toEqual({ checked: 1, found: 1, failed: 0 });
    expect(await h.notifications.pollRecordings()).toEqual({ checked: 1, found: 0, failed: 0 });
    await h.settle();
    expect(h.sender.posted.map((p) => p.message.linkButtons)).toEqual([
      [{ label: 'Watch', url: h.kaltura.media.watchUrl(first.id) }],
      [{ label: 'Watch', url: h.kaltura.media.watchUrl(second.id) }],
    ]);
    // the card keeps the first recording's Watch button
    expect((await h.store.meetings.get(meeting.id))!.recordingEntryId).toBe(first.id);
  });

  it('asks about at most 10 meetings per pass, least recently checked first, within the poll window', async () => {
    const old = await ended('Long ago');
    h.clock.advance(POLL_WINDOW_MS + 60_000); // past the window
    const recent = [];
    for (let i = 1; i <= 12; i++) recent.push(await ended(`Session ${i}`));
    const checked = async () => new Map((await h.db.all<{ id: string; at: number | null }>('SELECT id, recording_checked_at AS at FROM meetings')).map((r) => [r.id, r.at]));

    expect(await h.notifications.pollRecordings()).toMatchObject({ checked: 10 });
    const first = await checked();
    expect(first.get(old.id)).toBeNull();
    expect(recent.filter((m) => first.get(m.id) !== null)).toHaveLength(10);

    h.clock.advance(120_000);
    expect(await h.notifications.pollRecordings()).toMatchObject({ checked: 10 });
    const second = await checked();
    // the two never-checked meetings came first
    for (const m of recent.filter((x) => first.get(x.id) === null)) expect(second.get(m.id)).toBe(h.clock.now());
    expect(second.get(old.id)).toBeNull();
  });

  it('a Kaltura outage is logged once per pass and retried on the next pass', async () => {
    const meeting = await ended('Outage');
    h.fake.addRecording(meeting.resourceId!);
    h.fake.inject({ kind: 'status', status: 503 }, { service: 'media', times: 3 });
    expect(await h.notifications.pollRecordings()).toEqual({ checked: 1, found: 0, failed: 1 });
    expect(await h.notifications.pollRecordings()).toEqual({ checked: 1, found: 1, failed: 0 });
    await h.settle();
    expect(h.sender.posted).toHaveLength(1);
  });

  it('works with no webhook at all (app-token mode: signatures cannot be checked)', async () => {
    await h.close();
    h = await startHarness({ logger: logs.logger, dir: tempDir(), driver, appTokenMode: true });
    const meeting = await ended('No webhooks here');
    const entry = h.fake.addRecording(meeting.resourceId!);
    expect(await h.notifications.pollRecordings()).toEqual({ checked: 1, found: 1, failed: 0 });
    await h.settle();
    expect(h.sender.posted.map((p) => p.message.linkButtons)).toEqual([[{ label: 'Watch', url: h.kaltura.media.watchUrl(entry.id) }]]);
  });
});
