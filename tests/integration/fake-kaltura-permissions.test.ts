import { afterEach, describe, expect, it } from 'vitest';
import { startFakeKaltura, type FakeKaltura } from '../fakes/kaltura/index';

/** The fake answers a partner's missing permission with the server's own error object (KalturaBaseService::initService). */
describe('fake Kaltura: a partner that lacks a permission', () => {
  let fake: FakeKaltura;
  afterEach(() => fake.close());

  const post = async (path: string, body: Record<string, unknown>) => {
    const res = await fetch(`${fake.url}/api_v3/service/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ format: 1, ...body }) });
    expect(res.status).toBe(200);
    return res.json();
  };

  it('answers SERVICE_FORBIDDEN {SERVICE: "<serviceId>-><action>"} in HTTP 200, only for the actions that permission grants', async () => {
    fake = await startFakeKaltura({ missingPermissions: ['SCHEDULE_RESOURCE_MANAGE', 'CAPTURE_DEVICE_PERMISSION'] });
    const ks = fake.mintKs();
    const refused = await post('schedule_scheduleresource/action/add', { ks, scheduleResource: { objectType: 'KalturaLocationScheduleResource', name: 'r' } });
    expect(refused).toEqual({
      code: 'SERVICE_FORBIDDEN',
      message: 'The access to service [schedule_scheduleresource->add] is forbidden',
      objectType: 'KalturaAPIException',
      args: { SERVICE: 'schedule_scheduleresource->add' },
    });
    expect(fake.store.resources.size).toBe(0);
    // listing needs SCHEDULE_RESOURCE_BASE, which the partner still has
    expect(await post('schedule_scheduleresource/action/list', { ks })).toMatchObject({ objectType: 'KalturaScheduleResourceListResponse' });
  });

  it('never lets a partner call partner.get (admin console only), but partner.getInfo works', async () => {
    fake = await startFakeKaltura();
    const ks = fake.mintKs();
    expect(await post('partner/action/get', { ks })).toMatchObject({ code: 'SERVICE_FORBIDDEN', args: { SERVICE: 'partner->get' } });
    expect(await post('partner/action/getInfo', { ks })).toMatchObject({ id: fake.partnerId, adminSecret: fake.adminSecret, objectType: 'KalturaPartner' });
  });
});
