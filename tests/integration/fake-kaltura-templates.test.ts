import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeKaltura, type FakeKaltura } from '../fakes/kaltura';
import { createTestClient, k, kalturaObject, rejectionOf, type TestClient } from '../fakes/kaltura/test-client';

const s = k.services;
const NOW = Math.floor(Date.now() / 1000);

const entryFilter = (fields: Record<string, unknown>) => kalturaObject('MediaEntryFilter', fields);
const ids = (list: { objects: { id: string }[] }) => list.objects.map((o) => o.id).sort();

describe('fake Kaltura template entries and categories', () => {
  let fake: FakeKaltura;
  let admin: TestClient;
  beforeAll(async () => {
    fake = await startFakeKaltura();
    admin = createTestClient(fake, { ks: fake.mintKs({ userId: 'discord-bot', type: 2 }) });
  });
  afterAll(() => fake.close());

  it('category.add builds fullName under its parent and refuses a duplicate name there', async () => {
    const root = await s.category.add(kalturaObject('Category', { name: 'kaltura-discord' })).execute(admin);
    expect(root).toMatchObject({ parentId: 0, depth: 0, fullName: 'kaltura-discord', fullIds: String(root.id), objectType: 'KalturaCategory' });
    const child = await s.category.add(kalturaObject('Category', { name: 'guild <1>, main', parentId: root.id })).execute(admin);
    expect(child).toMatchObject({ parentId: root.id, depth: 1, name: 'guild _1__ main', fullName: 'kaltura-discord>guild _1__ main' });
    const dup = await rejectionOf(s.category.add(kalturaObject('Category', { name: 'guild <1>, main', parentId: root.id })).execute(admin));
    expect(dup).toMatchObject({ code: 'DUPLICATE_CATEGORY', args: { CATEGORY: 'kaltura-discord>guild _1__ main' } });
    // the same name under another parent is fine
    await s.category.add(kalturaObject('Category', { name: 'guild <1>, main' })).execute(admin);
    const orphan = await rejectionOf(s.category.add(kalturaObject('Category', { name: 'x', parentId: 99 })).execute(admin));
    expect(orphan).toMatchObject({ code: 'CATEGORY_NOT_FOUND', args: { ID: '99' } });
    expect(await rejectionOf(s.category.get(123).execute(admin))).toMatchObject({ code: 'CATEGORY_NOT_FOUND', message: 'Category id "123" not found' });
    const listed = await s.category.listAction(kalturaObject('CategoryFilter', { fullNameEqual: 'kaltura-discord>guild _1__ main' })).execute(admin);
    expect(listed.objects.map((c: { id: number }) => c.id)).toEqual([child.id]);
    expect((await s.category.get(child.id).execute(admin)).fullName).toBe('kaltura-discord>guild _1__ main');
  });

  it('a recording of a session with a template copies it, carries rootEntryId and is found by rootEntryIdEqual + isRoot=0', async () => {
    const cat = await s.category.add(kalturaObject('Category', { name: 'guild-2' })).execute(admin);
    const template = await s.media.add(
      kalturaObject('MediaEntry', { name: 'Lecture 2', description: 'week 2', tags: 'physics', userId: 'discord_42', categoriesIds: String(cat.id), adminTags: 'kd-m_abc', referenceId: 'm_abc', mediaType: 1 }),
    ).execute(admin);
    expect(template).toMatchObject({ status: 7, userId: 'discord_42', categoriesIds: String(cat.id), categories: 'guild-2', referenceId: 'm_abc' });
    expect(template.rootEntryId).toBe(template.id); // entry::getRootEntryId: itself when it has no root
    const room = await s.scheduleResource.add(kalturaObject('LocationScheduleResource', { name: 'r', tags: 'vcprovider:newrow' })).execute(admin);
    const event = await s.scheduleEvent.add(
      kalturaObject('RecordScheduleEvent', { summary: 'Lecture 2', startDate: NOW, endDate: NOW + 3600, recurrenceType: 0, templateEntryId: template.id }),
    ).execute(admin);
    await s.scheduleEventResource.add(kalturaObject('ScheduleEventResource', { eventId: event.id, resourceId: room.id })).execute(admin);

    const first = fake.addRecording(room.id);
    const second = fake.addRecording(room.id);
    expect(first).toMatchObject({ name: 'Lecture 2', description: 'week 2', tags: 'physics', userId: 'discord_42', categoriesIds: String(cat.id), adminTags: 'kd-m_abc', templateEntryId: template.id, rootEntryId: template.id, status: 2 });

    // a look-alike made with media.add and the same templateEntryId copies everything but has no root
    const member = createTestClient(fake, { ks: fake.mintKs({ userId: 'discord_666', type: 0 }) });
    const lookAlike = await s.media.add(kalturaObject('MediaEntry', { templateEntryId: template.id, mediaType: 1 })).execute(member);
    expect(lookAlike).toMatchObject({ name: 'Lecture 2', templateEntryId: template.id, userId: 'discord_42' });
    expect(lookAlike.rootEntryId).toBe(lookAlike.id); // rootEntryId is read-only: copyTemplate never sets it
    fake.store.entries.get(lookAlike.id).status = 2; // even once it is READY

    const found = await s.media.listAction(entryFilter({ rootEntryIdEqual: template.id, isRoot: 0 })).execute(admin);
    expect(ids(found)).toEqual([first.id, second.id].sort());
    // the template itself is neither its own child nor READY
    const roots = await s.media.listAction(entryFilter({ isRoot: 1, idIn: [template.id, first.id, lookAlike.id].join(','), statusIn: '2,7' })).execute(admin);
    expect(ids(roots)).toEqual([template.id, lookAlike.id].sort());

    // a second event cannot reuse the template at an overlapping time (KalturaEntryScheduleEvent::validate)
    const clash = await rejectionOf(
      s.scheduleEvent.add(kalturaObject('RecordScheduleEvent', { summary: 'again', startDate: NOW + 60, endDate: NOW + 120, recurrenceType: 0, templateEntryId: template.id })).execute(admin),
    );
    expect(clash).toMatchObject({ code: 'SCHEDULE_TIME_IN_USE' });

    // deleting the template leaves its recordings (myEntryUtils::deleteEntry touches only the entry)
    await s.media.deleteAction(template.id).execute(admin);
    expect(await rejectionOf(s.media.get(template.id).execute(admin))).toMatchObject({ code: 'ENTRY_ID_NOT_FOUND' });
    const after = await s.media.listAction(entryFilter({ rootEntryIdEqual: template.id, isRoot: 0 })).execute(admin);
    expect(ids(after)).toEqual([first.id, second.id].sort());
  });

  it('media.add refuses a category that does not exist', async () => {
    const err = await rejectionOf(s.media.add(kalturaObject('MediaEntry', { name: 'x', categoriesIds: '987', mediaType: 1 })).execute(admin));
    expect(err).toMatchObject({ code: 'CATEGORY_NOT_FOUND', args: { ID: '987' } });
  });
});
