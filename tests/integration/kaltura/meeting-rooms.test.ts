import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MeetingOverError } from '../../../src/core/ports/meeting-provider';
import { createKaltura, type Kaltura } from '../../../src/kaltura/create-kaltura';
import { KalturaAPIError, KalturaTransportError } from '../../../src/kaltura/errors';
import { startFakeKaltura, type FakeKaltura } from '../../fakes/kaltura/index';
import { catchError, configFor, countCalls, createCapturingLogger, expectNoSecrets, FAST_RETRY } from './helpers';

const logger = createCapturingLogger();
const errors: string[] = [];
let fake: FakeKaltura;
let kaltura: Kaltura;
let nowMs: number;

beforeEach(async () => {
  nowMs = Date.UTC(2026, 10, 25, 12, 0, 0);
  fake = await startFakeKaltura({ now: () => Math.floor(nowMs / 1000) });
  kaltura = createKaltura({ config: configFor(fake, { recordingCategoryId: 77 }), logger, clock: { now: () => nowMs }, retry: FAST_RETRY });
});
afterEach(async () => {
  await kaltura.close();
  await fake.close();
  expect(fake.internalErrors).toEqual([]);
});
afterAll(() => expectNoSecrets([...logger.lines, ...errors], ['abcdef0123456789abcdef0123456789']));

const owner = '80351110224678912';

describe('createSession', () => {
  it('creates a room, schedules the session from now, and links them', async () => {
    const s = await kaltura.meetings.createSession({ kind: 'webinar', title: 'Weekly, sync: part/2', durationMinutes: 90, record: true, ownerDiscordId: owner });
    expect(s.startsAt.getTime()).toBe(nowMs);
    expect(s.endsAt.getTime()).toBe(nowMs + 90 * 60_000);
    expect(s.roomToken).toMatch(/^[0-9a-f]{32}$/);

    const room = fake.store.resources.get(s.resourceId);
    expect(room.objectType).toBe('KalturaLocationScheduleResource');
    expect(room.name).toContain(s.roomToken);
    expect(room.systemName).toBe(`discord_${s.roomToken}`);
    const tags = String(room.tags).split(',');
    expect(tags).toEqual(expect.arrayContaining(['vcprovider:newrow', 'custom_rs_class_mode:webinar', 'custom_rec_auto_start:1', 'custom_cat_id:77']));

    const event = fake.store.events.get(s.eventId);
    expect(event).toMatchObject({ objectType: 'KalturaRecordScheduleEvent', status: 2, recurrenceType: 0, startDate: nowMs / 1000, endDate: nowMs / 1000 + 5400, ownerId: `discord_${owner}`, referenceId: s.roomToken });
    expect(fake.store.eventResources).toEqual([expect.objectContaining({ eventId: s.eventId, resourceId: s.resourceId })]);
  });

  it('creates the template entry first and passes it as the session templateEntryId', async () => {
    const cat = { id: 4_000_100, parentId: 0, depth: 0, partnerId: fake.partnerId, name: 'g', fullName: 'g', fullIds: '4000100', status: 2, createdAt: 0, updatedAt: 0, objectType: 'KalturaCategory' };
    fake.store.categories.set(cat.id, cat);
    const s = await kaltura.meetings.createSession({ kind: 'classroom', title: 'Lecture 2', description: 'Week two', durationMinutes: 30, record: true, ownerDiscordId: owner, meetingId: 'm_abcdefghijklmnop', categoryId: cat.id });
    const template = fake.store.entries.get(s.templateEntryId);
    expect(template).toMatchObject({
      name: 'Lecture 2', description: 'Week two', tags: 'discord,classroom', userId: `discord_${owner}`,
      categoriesIds: String(cat.id), referenceId: 'm_abcdefghijklmnop', status: 7,
    });
    expect(String(template.adminTags)).toContain('m_abcdefghijklmnop');
    expect(fake.store.events.get(s.eventId).templateEntryId).toBe(s.templateEntryId);
    const order = fake.requests.filter((r) => r.service !== 'session').map((r) => r.service);
    expect(order.slice(0, 3)).toEqual(['media', 'schedule_scheduleresource', 'schedule_scheduleevent']);
  });

  it('removes the template entry when a later step fails', async () => {
    fake.inject({ kind: 'forbid' }, { service: 'schedule_scheduleevent', action: 'add' });
    await expect(kaltura.meetings.createSession({ kind: 'meeting', title: 'x', durationMinutes: 30, record: false, ownerDiscordId: owner })).rejects.toThrow();
    const templates = [...fake.store.entries.values()];
    expect(templates).toHaveLength(1);
    expect(templates[0].status).toBe(3); // media.delete
  });

  it.each([
    ['meeting', undefined],
    ['classroom', 'custom_rs_class_mode:virtual_classroom'],
  ] as const)('sets the room settings for a %s, recording off', async (kind, modeTag) => {
    const s = await kaltura.meetings.createSession({ kind, title: 'x', durationMinutes: 30, record: false, ownerDiscordId: owner });
    const tags = String(fake.store.resources.get(s.resourceId).tags);
    expect(tags).toContain('custom_rec_auto_start:0');
    if (modeTag) expect(tags).toContain(modeTag);
    else expect(tags).not.toContain('custom_rs_class_mode');
  });

  it('refuses a session longer than 24 h before calling Kaltura', async () => {
    await expect(kaltura.meetings.createSession({ kind: 'meeting', title: 'x', durationMinutes: 1441, record: false, ownerDiscordId: owner })).rejects.toThrow(RangeError);
    expect(fake.requests).toHaveLength(0);
  });

  it('undoes the event and the room when linking fails with an API error, and rethrows that error', async () => {
    fake.inject({ kind: 'forbid' }, { service: 'schedule_scheduleeventresource', action: 'add' });
    const err = await catchError(kaltura.meetings.createSession({ kind: 'meeting', title: 'x', durationMinutes: 30, record: false, ownerDiscordId: owner }));
    errors.push(String(err));
    expect(err).toBeInstanceOf(KalturaAPIError);
    expect(err).toMatchObject({ code: 'SERVICE_FORBIDDEN', service: 'scheduleEventResource', action: 'add' });
    const [event] = [...fake.store.events.values()];
    const [room] = [...fake.store.resources.values()];
    expect(event.status).toBe(3); // deleted
    expect(room.status).toBe(3);
    expect(fake.store.eventResources).toHaveLength(0);
    expect(logger.lines.some((l) => l.includes('rolling back'))).toBe(true);
  });

  it('undoes when linking fails in transport (5xx), without retrying the create', async () => {
    fake.inject({ kind: 'status', status: 502 }, { service: 'schedule_scheduleeventresource', action: 'add' });
    const err = await catchError(kaltura.meetings.createSession({ kind: 'meeting', title: 'x', durationMinutes: 30, record: false, ownerDiscordId: owner }));
    expect(err).toBeInstanceOf(KalturaTransportError);
    expect(err).toMatchObject({ failure: 'http', status: 502, attempts: 1 });
    expect(countCalls(fake, 'schedule_scheduleeventresource', 'add')).toBe(1);
    expect([...fake.store.events.values()].map((e) => e.status)).toEqual([3]);
    expect([...fake.store.resources.values()].map((r) => r.status)).toEqual([3]);
  });

  it('deletes the room when scheduling the event fails', async () => {
    fake.inject({ kind: 'forbid' }, { service: 'schedule_scheduleevent', action: 'add' });
    await expect(kaltura.meetings.createSession({ kind: 'meeting', title: 'x', durationMinutes: 30, record: false, ownerDiscordId: owner })).rejects.toBeInstanceOf(KalturaAPIError);
    expect(fake.store.events.size).toBe(0);
    expect([...fake.store.resources.values()].map((r) => r.status)).toEqual([3]);
  });

  it('keeps the original error when the undo itself fails, and logs the leftover', async () => {
    fake.inject({ kind: 'forbid' }, { service: 'schedule_scheduleeventresource', action: 'add' });
    fake.inject({ kind: 'forbid' }, { service: 'schedule_scheduleevent', action: 'delete' });
    const err = await catchError(kaltura.meetings.createSession({ kind: 'meeting', title: 'x', durationMinutes: 30, record: false, ownerDiscordId: owner }));
    expect(err).toMatchObject({ code: 'SERVICE_FORBIDDEN', service: 'scheduleEventResource' });
    expect([...fake.store.events.values()].map((e) => e.status)).toEqual([2]);
    expect([...fake.store.resources.values()].map((r) => r.status)).toEqual([3]);
    expect(logger.lines.some((l) => l.includes('rollback step failed'))).toBe(true);
  });
});

describe('joinUrl', () => {
  it('launches on KAF with the event, the member id and the right role', async () => {
    const s = await kaltura.meetings.createSession({ kind: 'classroom', title: 'Class', durationMinutes: 60, record: false, ownerDiscordId: owner });
    const host = await kaltura.meetings.joinUrl({ eventId: s.eventId, endsAt: s.endsAt, member: { discordId: owner, displayName: 'Ana Lee' }, role: 'moderator' });
    const guest = await kaltura.meetings.joinUrl({ eventId: s.eventId, endsAt: s.endsAt, member: { discordId: '42', displayName: 'Max,role:adminRole' }, role: 'attendee' });
    expect(host.startsWith(`${fake.kafUrl}/virtualEvent/launch?ks=`)).toBe(true);
    for (const url of [host, guest]) expect((await fetch(url)).status).toBe(200);
    expect(fake.launches).toHaveLength(2);
    expect(fake.launches[0]).toMatchObject({ userId: `discord_${owner}`, role: 'adminRole', userContextualRole: '0', eventId: String(s.eventId), firstName: 'Ana', lastName: 'Lee', type: 0 });
    expect(fake.launches[1]).toMatchObject({ userId: 'discord_42', role: 'viewerRole', userContextualRole: '3', eventId: String(s.eventId), type: 0 });
    expect(fake.launches[1]!.privileges.role).toBe('viewerRole');
    // no round trip: join KSs are generated locally with the admin secret
    expect(fake.requests.filter((r) => r.service === 'session' || r.service === 'apptoken')).toHaveLength(0);
  });

  it('expires the link at the scheduled end plus grace, and never later than 24 h', async () => {
    const endsAt = new Date(nowMs + 30 * 60_000);
    const url = await kaltura.meetings.joinUrl({ eventId: 5, endsAt, member: { discordId: '1', displayName: 'A' }, role: 'attendee' });
    expect((await fetch(url)).status).toBe(200);
    nowMs += 30 * 60_000 + 15 * 60_000 + 1000; // past end + 15 min grace: the fake's clock moves too
    const res = await fetch(url);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('EXPIRED_KS');
    await expect(kaltura.meetings.joinUrl({ eventId: 5, endsAt, member: { discordId: '1', displayName: 'A' }, role: 'attendee' })).rejects.toBeInstanceOf(MeetingOverError);

    const far = await kaltura.meetings.joinUrl({ eventId: 5, endsAt: new Date(nowMs + 72 * 3_600_000), member: { discordId: '1', displayName: 'A' }, role: 'attendee' });
    nowMs += 24 * 3_600_000 + 1000;
    expect((await fetch(far)).status).toBe(401);
  });
});

describe('endSession', () => {
  it('cancels the scheduled event; ending a missing one is not an error', async () => {
    const s = await kaltura.meetings.createSession({ kind: 'meeting', title: 'x', durationMinutes: 30, record: false, ownerDiscordId: owner });
    await kaltura.meetings.endSession({ eventId: s.eventId });
    expect(fake.store.events.get(s.eventId).status).toBe(1);
    await expect(kaltura.meetings.endSession({ eventId: 999_999 })).resolves.toBeUndefined();
  });

  it('retries the idempotent cancel after a transport failure', async () => {
    const s = await kaltura.meetings.createSession({ kind: 'meeting', title: 'x', durationMinutes: 30, record: false, ownerDiscordId: owner });
    fake.inject({ kind: 'reset' }, { service: 'schedule_scheduleevent', action: 'cancel', times: 1 });
    await kaltura.meetings.endSession({ eventId: s.eventId });
    expect(fake.store.events.get(s.eventId).status).toBe(1);
    expect(countCalls(fake, 'schedule_scheduleevent', 'cancel')).toBe(2);
  });
});

describe('findRecordings', () => {
  it('finds the ready recordings made from this session template, oldest first, and nothing that only looks like one', async () => {
    const a = await kaltura.meetings.createSession({ kind: 'meeting', title: 'Room A', durationMinutes: 30, record: true, ownerDiscordId: owner });
    const b = await kaltura.meetings.createSession({ kind: 'meeting', title: 'Room B', durationMinutes: 30, record: true, ownerDiscordId: owner });
    expect(await kaltura.meetings.findRecordings({ templateEntryId: a.templateEntryId })).toEqual([]);
    nowMs += 60_000;
    const first = fake.addRecording(a.resourceId);
    fake.addRecording(a.resourceId, { status: 4 }); // still processing
    fake.addRecording(b.resourceId);
    // look-alikes: same name, tags and owner; even one added with the template id (copyTemplate copies all of that)
    fake.addEntry({ name: 'Room A', tags: 'discord,meeting', userId: `discord_${owner}`, duration: 10 });
    fake.addEntry({ name: `Room A (${a.roomToken})`, duration: 10 });
    fake.addEntry({ name: 'Room A', templateEntryId: a.templateEntryId, userId: `discord_${owner}` });
    nowMs += 60_000;
    const second = fake.addRecording(a.resourceId); // the room restarted
    const found = await kaltura.meetings.findRecordings({ templateEntryId: a.templateEntryId });
    expect(found.map((r) => r.entryId)).toEqual([first.id, second.id]);
    expect(found[0]).toMatchObject({ rootEntryId: a.templateEntryId, name: 'Room A' });
    expect(found[0]!.watchUrl).toContain(first.id);
    expect(found[0]!.thumbnailUrl).toContain(`/thumbnail/entry_id/${first.id}`);
    expect(fake.requests.at(-1)?.params.filter).toMatchObject({ rootEntryIdEqual: a.templateEntryId, isRoot: 0 });
  });

  it('refuses something that is not an entry id', async () => {
    await expect(kaltura.meetings.findRecordings({ templateEntryId: 'x*' })).rejects.toThrow(RangeError);
  });
});
