import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeKaltura, type FakeKaltura } from '../fakes/kaltura';
import { createTestClient, k, kalturaObject, rejectionOf, type TestClient } from '../fakes/kaltura/test-client';

const s = k.services;

describe('fake Kaltura wire format', () => {
  let fake: FakeKaltura;
  let ks: string;
  beforeAll(async () => {
    fake = await startFakeKaltura();
    ks = fake.mintKs({ type: 2, userId: 'bot' });
  });
  afterAll(() => fake.close());

  const post = (path: string, body: string, contentType: string) =>
    fetch(`${fake.url}${path}`, { method: 'POST', body, headers: { 'content-type': contentType } });

  it('reads urlencoded forms with a:b and a[b] nesting, query parameters winning', async () => {
    fake.addEntry({ name: 'Form lecture', createdAt: 10 });
    fake.addEntry({ name: 'Other talk', createdAt: 20 });
    const body = new URLSearchParams({ ks, 'filter:objectType': 'KalturaMediaEntryFilter', 'filter[nameLike]': 'talk', format: '1' }).toString();
    const res = await post('/api_v3/service/media/action/list?filter:nameLike=lecture', body, 'application/x-www-form-urlencoded');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const json = (await res.json()) as { objects: Array<{ name: string }> };
    expect(json.objects.map((e) => e.name)).toEqual(['Form lecture']);
    expect(fake.requests.at(-1)?.params.filter).toEqual({ objectType: 'KalturaMediaEntryFilter', nameLike: 'lecture' });
  });

  it('does not JSON-decode "application/json; charset=utf-8" (the real server reads no parameters)', async () => {
    const res = await post('/api_v3/service/media/action/list', JSON.stringify({ ks, format: 1 }), 'application/json; charset=utf-8');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ code: 'MISSING_KS', message: 'Missing KS, session not established', objectType: 'KalturaAPIException', args: [] });
    expect(fake.requests.at(-1)?.contentType).toBe('application/json; charset=utf-8');
  });

  it('tolerates GET, treats the service name case-insensitively, escapes like PHP and answers void as null', async () => {
    const url = `${fake.url}/api_v3/service/SESSION/action/start?secret=${fake.adminSecret}&partnerId=${fake.partnerId}&type=2&format=1`;
    const started = await fetch(url);
    const newKs = (await started.json()) as string;
    expect(newKs.startsWith('djJ8')).toBe(true);

    fake.addEntry({ name: 'Café/Ω', createdAt: 30 });
    const listed = await post('/api_v3/service/Media/action/list', JSON.stringify({ ks, filter: { nameLike: 'caf' } }), 'application/json');
    const raw = await listed.text();
    expect(raw).toContain('Caf\\u00e9\\/\\u03a9');
    expect(raw).toContain('"thumbnailUrl":"http:\\/\\/127.0.0.1');

    const ended = await post('/api_v3/service/session/action/end', JSON.stringify({ ks: newKs }), 'application/json');
    expect(await ended.text()).toBe('null');
    const reuse = await post('/api_v3/service/media/action/list', JSON.stringify({ ks: newKs }), 'application/json');
    expect(((await reuse.json()) as { args: unknown }).args).toEqual({ KSID: 'LOGOUT', ERR_CODE: '-1', ERR_DESC: 'INVALID_STR' });
  });

  it('runs a form-encoded multirequest with 1-based keys and references inside longer strings', async () => {
    fake.addEntry({ name: 'mr entry', createdAt: 40 });
    const body = new URLSearchParams({
      ks,
      '1:service': 'media',
      '1:action': 'list',
      '1:filter:nameLike': 'mr entry',
      '2:service': 'media',
      '2:action': 'get',
      '2:entryId': '{1:result:objects:0:id}',
      '3:service': 'media',
      '3:action': 'list',
      '3:filter[nameLike]': 'x-{2:result:name}-{2:result:nope}',
    }).toString();
    const res = await post('/api_v3/service/multirequest', body, 'application/x-www-form-urlencoded');
    const [list, got, third] = (await res.json()) as Array<Record<string, unknown>>;
    expect(list?.totalCount).toBe(1);
    expect(got?.name).toBe('mr entry');
    expect(third?.totalCount).toBe(0);
    expect(fake.requests.at(-1)?.resolvedParams?.filter).toEqual({ nameLike: 'x-mr entry-' });
    expect(fake.requests.at(-1)?.multirequestIndex).toBe(3);
  });

  it('answers unknown services and actions with the server errors', async () => {
    const client = createTestClient(fake, { ks });
    const res = await post('/api_v3/service/virtualevent_virtualevent/action/end', JSON.stringify({ ks }), 'application/json');
    expect(await res.json()).toMatchObject({ code: 'SERVICE_DOES_NOT_EXISTS', args: { SRV_NAME: 'virtualevent_virtualevent' } });
    const action = await post('/api_v3/service/media/action/join', JSON.stringify({ ks }), 'application/json');
    expect(await action.json()).toMatchObject({ code: 'ACTION_DOES_NOT_EXISTS', args: { ACTION_NAME: 'join', SERVICE_NAME: 'media' } });
    expect((await rejectionOf(s.media.get(undefined).execute(client))).args).toEqual({ PARAM_NAME: 'entryId' });
  });
});

describe('fake Kaltura injected faults, as kaltura-client sees them', () => {
  let fake: FakeKaltura;
  let client: TestClient;
  beforeAll(async () => {
    fake = await startFakeKaltura();
    client = createTestClient(fake, { ks: fake.mintKs({ type: 2 }), timeoutMs: 300 });
  });
  afterAll(() => fake.close());

  it('latency delays the answer; past the client timeout it is ECONNABORTED', async () => {
    fake.inject({ kind: 'latency', ms: 80 }, { service: 'media', times: 1 });
    const started = Date.now();
    await s.media.listAction().execute(client);
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);

    fake.inject({ kind: 'latency', ms: 600 }, { times: 1 });
    const error = await rejectionOf(s.media.listAction().execute(client));
    expect(error.code).toBe('ECONNABORTED');
    fake.clearFaults();
  });

  it('status answers an HTML error page: ERR_BAD_RESPONSE for 5xx, ERR_BAD_REQUEST for 4xx', async () => {
    fake.inject({ kind: 'status', status: 503 }, { service: 'media', action: 'list', times: 1 });
    const error = await rejectionOf(s.media.listAction().execute(client));
    expect(error.isAxiosError).toBe(true);
    expect(error.code).toBe('ERR_BAD_RESPONSE');
    expect(error.response.status).toBe(503);
    expect(String(error.response.data)).toContain('503 Service Unavailable');
    expect(fake.requests.at(-1)).toMatchObject({ service: 'media', action: 'list', fault: 'status' });

    fake.inject({ kind: 'status', status: 404 }, { times: 1 });
    expect((await rejectionOf(s.media.listAction().execute(client))).code).toBe('ERR_BAD_REQUEST');
    expect(await s.media.listAction().execute(client)).toMatchObject({ totalCount: 0 });
  });

  it('hang never answers (client timeout) and reset drops the connection', async () => {
    fake.inject({ kind: 'hang' }, { times: 1 });
    expect((await rejectionOf(s.media.listAction().execute(client))).code).toBe('ECONNABORTED');
    fake.inject({ kind: 'reset' }, { times: 1 });
    expect((await rejectionOf(s.media.listAction().execute(client))).code).toBe('ECONNRESET');
  });

  it('html resolves with the maintenance page as a string (pitfall P3)', async () => {
    fake.inject({ kind: 'html' }, { times: 1 });
    const result = await s.media.listAction().execute(client);
    expect(typeof result).toBe('string');
    expect(result).toContain('maintenance');
  });

  it('forbid answers SERVICE_FORBIDDEN for the scoped service only, times-limited', async () => {
    fake.inject({ kind: 'forbid' }, { service: 'schedule_scheduleresource', times: 2 });
    const add = () => s.scheduleResource.add(kalturaObject('LocationScheduleResource', { name: 'r' })).execute(client);
    expect(await rejectionOf(add())).toEqual({
      code: 'SERVICE_FORBIDDEN', message: 'The access to service [schedule_scheduleresource->add] is forbidden', objectType: 'KalturaAPIException',
      args: { SERVICE: 'schedule_scheduleresource->add' },
    });
    expect(await s.media.listAction().execute(client)).toMatchObject({ objectType: 'KalturaMediaListResponse' });
    expect((await rejectionOf(s.scheduleResource.listAction().execute(client))).code).toBe('SERVICE_FORBIDDEN');
    expect((await add()).name).toBe('r');
  });

  it('a fault scoped to a service also hits a multirequest that contains it', async () => {
    // Posted directly: kaltura-client rethrows a multirequest's transport error inside its own
    // callback, so the promise never settles (an unhandled rejection instead).
    const multirequest = () =>
      fetch(`${fake.url}/api_v3/service/multirequest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ 0: { service: 'media', action: 'list' }, 1: { service: 'user', action: 'get', userId: 'x' }, ks: client.getKs() }),
      });
    fake.inject({ kind: 'status', status: 500 }, { service: 'user', times: 1 });
    expect((await multirequest()).status).toBe(500);
    const ok = await multirequest();
    expect(((await ok.json()) as Array<{ objectType: string }>).map((r) => r.objectType)).toEqual(['KalturaMediaListResponse', 'KalturaAPIException']);
  });

  it('close() ends a request that hangs without a client timeout', async () => {
    const local = await startFakeKaltura();
    const patient = createTestClient(local, { ks: local.mintKs({}), timeoutMs: 0 });
    local.inject({ kind: 'hang' });
    const pending = rejectionOf(s.media.listAction().execute(patient));
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await local.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await pending).code).toBe('ECONNRESET');
  });
});

describe('fake Kaltura KAF launch page', () => {
  let fake: FakeKaltura;
  beforeAll(async () => {
    fake = await startFakeKaltura();
  });
  afterAll(() => fake.close());

  const launch = (ks: string) => fetch(`${fake.kafUrl}/virtualEvent/launch?ks=${encodeURIComponent(ks)}`);

  it('echoes what the join KS carries and records the launch', async () => {
    const ks = fake.mintKs({ type: 0, userId: 'discord_42', privileges: 'eventId:2000001,role:viewerRole,userContextualRole:3,firstName:Max,lastName:<Power>' });
    const res = await launch(ks);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<dd data-field="userId">discord_42</dd>');
    expect(html).toContain('<dd data-field="role">viewerRole</dd>');
    expect(html).toContain('<dd data-field="userContextualRole">3</dd>');
    expect(html).toContain('<dd data-field="eventId">2000001</dd>');
    expect(html).toContain('<dd data-field="lastName">&#60;Power&#62;</dd>');
    expect(fake.launches.at(-1)).toMatchObject({ userId: 'discord_42', role: 'viewerRole', userContextualRole: '3', eventId: '2000001', firstName: 'Max', type: 0 });
  });

  it('refuses expired or forged KSs with 401 and incomplete privileges with 400', async () => {
    const count = fake.launches.length;
    expect((await launch(fake.mintKs({ type: 0, expiresIn: -1, privileges: 'eventId:1,role:viewerRole' }))).status).toBe(401);
    expect((await launch(fake.mintKs({ type: 0, secret: 'forged', privileges: 'eventId:1,role:viewerRole' }))).status).toBe(401);
    expect((await fetch(`${fake.kafUrl}/virtualEvent/launch`)).status).toBe(401);
    expect((await launch(fake.mintKs({ type: 0, privileges: 'eventId:1,role:ownerRole' }))).status).toBe(400);
    expect((await launch(fake.mintKs({ type: 0, privileges: 'role:adminRole' }))).status).toBe(400);
    expect((await launch(fake.mintKs({ type: 0, privileges: 'resourceId:1000001,role:adminRole,userContextualRole:0' }))).status).toBe(200);
    expect(fake.launches.length).toBe(count + 1);
  });

  it('is affected only by faults scoped to service "kaf"', async () => {
    const ks = fake.mintKs({ type: 0, privileges: 'eventId:1,role:viewerRole' });
    fake.inject({ kind: 'status', status: 502 }, { times: 1 });
    expect((await launch(ks)).status).toBe(200);
    fake.clearFaults();
    fake.inject({ kind: 'status', status: 502 }, { service: 'kaf', times: 1 });
    expect((await launch(ks)).status).toBe(502);
  });
});
