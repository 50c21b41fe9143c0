import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeKaltura, type FakeKaltura } from '../fakes/kaltura';
import { createTestClient, k, kalturaObject, rejectionOf, type TestClient } from '../fakes/kaltura/test-client';

const s = k.services;
const START = 1_900_000_000;

function room(fields: Record<string, unknown>) {
  return kalturaObject('LocationScheduleResource', { tags: 'vcprovider:newrow', ...fields });
}
function session(fields: Record<string, unknown>) {
  return kalturaObject('RecordScheduleEvent', { summary: 'Weekly sync', startDate: START, endDate: START + 3600, recurrenceType: 0, ...fields });
}
async function errorOf(promise: Promise<unknown>): Promise<{ code: string; message: string; args: unknown }> {
  const e = await rejectionOf(promise);
  return { code: e.code, message: e.message, args: e.args };
}

describe('fake Kaltura meeting rooms', () => {
  let fake: FakeKaltura;
  let admin: TestClient;
  beforeAll(async () => {
    fake = await startFakeKaltura();
    admin = createTestClient(fake, { ks: fake.mintKs({ userId: 'discord-bot', type: 2 }) });
  });
  afterAll(() => fake.close());

  it('creates a room, schedules a session, links them and cancels the session', async () => {
    const resource = await s.scheduleResource.add(room({ name: 'guild-1-room', systemName: 'discord_g1_c2' })).execute(admin);
    expect(resource).toMatchObject({ partnerId: fake.partnerId, name: 'guild-1-room', status: 2, tags: 'vcprovider:newrow', objectType: 'KalturaLocationScheduleResource' });
    expect(Number.isInteger(resource.id)).toBe(true);
    expect(Object.keys(resource).at(-1)).toBe('objectType');
    expect('description' in resource).toBe(false); // nulls are omitted

    const event = await s.scheduleEvent.add(session({ referenceId: 'discord-event-9' })).execute(admin);
    expect(event).toMatchObject({
      summary: 'Weekly sync', status: 2, classificationType: 1, duration: 3600, sequence: 1,
      ownerId: 'discord-bot', referenceId: 'discord-event-9', objectType: 'KalturaRecordScheduleEvent',
    });
    expect(event.id).not.toBe(resource.id);

    const link = await s.scheduleEventResource.add(kalturaObject('ScheduleEventResource', { eventId: event.id, resourceId: resource.id })).execute(admin);
    expect(link).toMatchObject({ eventId: event.id, resourceId: resource.id, partnerId: fake.partnerId, objectType: 'KalturaScheduleEventResource' });

    const byRoom = await s.scheduleEvent.listAction(kalturaObject('RecordScheduleEventFilter', { resourceIdEqual: String(resource.id) })).execute(admin);
    expect(byRoom.objects.map((e: { id: number }) => e.id)).toEqual([event.id]);

    const cancelled = await s.scheduleEvent.cancel(event.id).execute(admin);
    expect(cancelled).toMatchObject({ id: event.id, status: 1 });
    const updated = await s.scheduleEvent.update(event.id, kalturaObject('RecordScheduleEvent', { endDate: START + 600 })).execute(admin);
    expect(updated).toMatchObject({ endDate: START + 600, duration: 600, sequence: 2 });

    expect(await s.scheduleEventResource.deleteAction(event.id, resource.id).execute(admin)).toBeNull();
    const deleted = await s.scheduleEvent.deleteAction(event.id).execute(admin);
    expect(deleted.status).toBe(3);
    expect(await errorOf(s.scheduleEvent.get(event.id).execute(admin))).toEqual({
      code: 'INVALID_OBJECT_ID', message: `Invalid object id [${event.id}]`, args: { ID: String(event.id) },
    });
  });

  it('validates scheduleResource.add like the server', async () => {
    expect(await errorOf(s.scheduleResource.add(room({})).execute(admin))).toEqual({
      code: 'PROPERTY_VALIDATION_CANNOT_BE_NULL',
      message: 'The property "KalturaLocationScheduleResource::name" cannot be null',
      args: { PROP_NAME: 'KalturaLocationScheduleResource::name' },
    });
    await s.scheduleResource.add(room({ name: 'a', systemName: 'dup_name' })).execute(admin);
    expect(await errorOf(s.scheduleResource.add(room({ name: 'b', systemName: 'dup_name' })).execute(admin))).toEqual({
      code: 'SYSTEM_NAME_ALREADY_EXISTS', message: 'System name [dup_name] already exists', args: { SYS_NAME: 'dup_name' },
    });
    expect((await errorOf(s.scheduleResource.add({ objectType: 'KalturaScheduleResource', name: 'x' }).execute(admin))).code).toBe('OBJECT_TYPE_ABSTRACT');
    expect((await errorOf(s.scheduleResource.add(room({ name: 'x'.repeat(257) })).execute(admin))).code).toBe('PROPERTY_VALIDATION_MAX_LENGTH');
    expect(await errorOf(s.scheduleResource.get(424242).execute(admin))).toMatchObject({ code: 'INVALID_OBJECT_ID', args: { ID: '424242' } });
  });

  it('validates scheduleEvent.add in the server order', async () => {
    const cases: Array<[Record<string, unknown>, string, unknown]> = [
      [{ recurrenceType: undefined }, 'PROPERTY_VALIDATION_CANNOT_BE_NULL', { PROP_NAME: 'KalturaRecordScheduleEvent::recurrenceType' }],
      [{ summary: undefined }, 'PROPERTY_VALIDATION_CANNOT_BE_NULL', { PROP_NAME: 'KalturaRecordScheduleEvent::summary' }],
      [{ startDate: undefined }, 'START_TIME_AND_LINKED_TO_NOT_SET', []],
      [{ endDate: undefined }, 'PROPERTY_VALIDATION_CANNOT_BE_NULL', { PROP_NAME: 'KalturaRecordScheduleEvent::endDate' }],
      [{ endDate: START - 1 }, 'INVALID_SCHEDULE_END_BEFORE_START', { START: String(START), END: String(START - 1) }],
      [{ endDate: START + 86401 }, 'MAX_SCHEDULE_DURATION_REACHED', { MAX: '86400' }],
      [{ summary: '' }, 'PROPERTY_VALIDATION_MIN_LENGTH', { PROP_NAME: 'KalturaRecordScheduleEvent::summary', MIN_LEN: '1' }],
    ];
    for (const [fields, code, args] of cases) {
      const e = await errorOf(s.scheduleEvent.add(session(fields)).execute(admin));
      expect({ code: e.code, args: e.args }, JSON.stringify(fields)).toEqual({ code, args });
    }
    const end = await errorOf(s.scheduleEvent.add(session({ endDate: START - 1 })).execute(admin));
    expect(end.message).toBe(`End time [${START - 1}] must be after start time [${START}]`);
    const ok = await s.scheduleEvent.add(session({ endDate: START + 86400 })).execute(admin);
    expect(ok.duration).toBe(86400);
    const update = await errorOf(s.scheduleEvent.update(ok.id, kalturaObject('RecordScheduleEvent', { endDate: START - 10 })).execute(admin));
    expect(update.code).toBe('INVALID_SCHEDULE_END_BEFORE_START');
  });

  it('validates links: unknown event, unknown room, existing pair', async () => {
    const resource = await s.scheduleResource.add(room({ name: 'link-room' })).execute(admin);
    const event = await s.scheduleEvent.add(session({})).execute(admin);
    const link = (eventId: unknown, resourceId: unknown) =>
      s.scheduleEventResource.add(kalturaObject('ScheduleEventResource', { eventId, resourceId })).execute(admin);
    expect(await errorOf(link(999, resource.id))).toEqual({ code: 'SCHEDULE_EVENT_ID_NOT_FOUND', message: 'Schedule Event id [999] not found', args: { ID: '999' } });
    expect(await errorOf(link(event.id, 998))).toEqual({ code: 'SCHEDULE_RESOURCE_ID_NOT_FOUND', message: 'Schedule Resource id [998] not found', args: { ID: '998' } });
    await link(event.id, resource.id);
    expect(await errorOf(link(event.id, resource.id))).toMatchObject({
      code: 'SCHEDULE_EVENT_RESOURCE_ALREADY_EXISTS', args: { EVENT_ID: String(event.id), RESOURCE_ID: String(resource.id) },
    });
    const links = await s.scheduleEventResource.listAction(kalturaObject('ScheduleEventResourceFilter', { eventIdEqual: event.id })).execute(admin);
    expect(links.totalCount).toBe(1);
    expect(await errorOf(s.scheduleEventResource.deleteAction(event.id, 998).execute(admin))).toMatchObject({ code: 'INVALID_OBJECT_ID', args: { ID: `${event.id},998` } });
  });

  it('runs a multirequest with {N:result:path} references and keeps errors inline', async () => {
    const resource = await s.scheduleResource.add(room({ name: 'mr-room' })).execute(admin);
    const before = fake.requests.length;
    const results = await s.scheduleEvent
      .add(session({ summary: 'from multirequest' }))
      .add(s.scheduleEventResource.add(kalturaObject('ScheduleEventResource', { eventId: '{1:result:id}', resourceId: resource.id })))
      .add(s.scheduleEvent.get('{1:result:id}'))
      .add(s.scheduleEvent.get(123))
      .add(s.scheduleEventResource.add(kalturaObject('ScheduleEventResource', { eventId: '{4:result:id}', resourceId: resource.id })))
      .execute(admin);
    expect(Array.isArray(results)).toBe(true);
    const [event, link, fetched, missing, badRef] = results;
    expect(link).toMatchObject({ eventId: event.id, resourceId: resource.id });
    expect(fetched).toMatchObject({ id: event.id, summary: 'from multirequest' });
    expect(missing).toEqual({ code: 'INVALID_OBJECT_ID', message: 'Invalid object id [123]', objectType: 'KalturaAPIException', args: { ID: '123' } });
    // {4:result:id} points at an error, so it becomes '' and the link has no event id
    expect(badRef).toMatchObject({ code: 'PROPERTY_VALIDATION_CANNOT_BE_NULL', args: { PROP_NAME: 'KalturaScheduleEventResource::eventId' } });

    const sub = fake.requests.slice(before);
    expect(sub.map((r) => [r.multirequestIndex, r.service, r.action])).toEqual([
      [0, 'schedule_scheduleevent', 'add'],
      [1, 'schedule_scheduleeventresource', 'add'],
      [2, 'schedule_scheduleevent', 'get'],
      [3, 'schedule_scheduleevent', 'get'],
      [4, 'schedule_scheduleeventresource', 'add'],
    ]);
    expect(sub[1]?.params.scheduleEventResource.eventId).toBe('{1:result:id}');
    expect(sub[1]?.resolvedParams?.scheduleEventResource.eventId).toBe(String(event.id));
    expect(sub.every((r) => r.ks?.userId === 'discord-bot')).toBe(true);
  });

  it('lists with filters, status defaults and pager limits', async () => {
    const tagged = await s.scheduleResource.add(room({ name: 'filter-me', systemName: 'filter_sys', tags: 'vcprovider:newrow,custom_rs_class_mode:webinar' })).execute(admin);
    const bySystemName = await s.scheduleResource.listAction(kalturaObject('ScheduleResourceFilter', { systemNameEqual: 'filter_sys' })).execute(admin);
    expect(bySystemName.objects.map((r: { id: number }) => r.id)).toEqual([tagged.id]);
    const byTags = await s.scheduleResource.listAction(kalturaObject('ScheduleResourceFilter', { tagsLike: 'webinar' })).execute(admin);
    expect(byTags.totalCount).toBe(1);
    await s.scheduleResource.deleteAction(tagged.id).execute(admin);
    expect((await s.scheduleResource.listAction(kalturaObject('ScheduleResourceFilter', { tagsLike: 'webinar' })).execute(admin)).totalCount).toBe(0);
    // ScheduleResourcePeer::setDefaultCriteriaFilter adds STATUS != DELETED to every query, ANDed with the filter's
    // (criteriaFilter::copyCriteriaConstraints), so a deleted room is not listed even when asked for by status
    const deleted = await s.scheduleResource.listAction(kalturaObject('ScheduleResourceFilter', { statusEqual: 3 })).execute(admin);
    expect(deleted.totalCount).toBe(0);

    for (let i = 0; i < 3; i++) await s.scheduleEvent.add(session({ summary: `paged ${i}`, startDate: START + i * 10, endDate: START + i * 10 + 5, tags: 'paged' })).execute(admin);
    const page = await s.scheduleEvent
      .listAction(kalturaObject('ScheduleEventFilter', { tagsLike: 'paged', orderBy: '-startDate' }), kalturaObject('FilterPager', { pageSize: 2, pageIndex: 1 }))
      .execute(admin);
    expect(page.totalCount).toBe(3);
    expect(page.objects.map((e: { summary: string }) => e.summary)).toEqual(['paged 2', 'paged 1']);
  });

  it('adds a recording the way a real one looks: room name, event owner, custom_cat_id', async () => {
    const resource = await s.scheduleResource.add(room({ name: 'rec-room-7f3a', tags: 'vcprovider:newrow,custom_cat_id:4455' })).execute(admin);
    const event = await s.scheduleEvent.add(session({ ownerId: 'discord_77' })).execute(admin);
    await s.scheduleEventResource.add(kalturaObject('ScheduleEventResource', { eventId: event.id, resourceId: resource.id })).execute(admin);
    const entry = fake.addRecording(resource.id);
    expect(entry).toMatchObject({ status: 2, mediaType: 1, userId: 'discord_77', categoriesIds: '4455', duration: 3600 });
    expect(entry.name).toContain('rec-room-7f3a');

    const found = await s.media.listAction(kalturaObject('MediaEntryFilter', { nameLike: 'rec-room-7f3a' })).execute(admin);
    expect(found.objects.map((e: { id: string }) => e.id)).toEqual([entry.id]);
    const byCategory = await s.media.listAction(kalturaObject('MediaEntryFilter', { categoriesIdsMatchOr: '4455' })).execute(admin);
    expect(byCategory.totalCount).toBe(1);
    expect(() => fake.addRecording(31337)).toThrow(/no schedule resource/);
  });
});
