import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeKs, encodeKsV1, encodeKsV2, startFakeKaltura, type FakeKaltura } from '../fakes/kaltura';
import { createTestClient, k, rejectionOf } from '../fakes/kaltura/test-client';

interface KsVectors {
  adminSecret: string;
  randomHex: string;
  v2: Array<{ partnerId: number; userId: string; type: number; expiresAt: number; privileges: string; ks: string; serverParsedPrivileges: string }>;
  v1: Array<{ partnerId: number; userId: string; type: number; expiresAt: number; privileges: string; rand: number; ks: string }>;
}

const vectors = JSON.parse(readFileSync(new URL('../fixtures/kaltura/ks-test-vectors.json', import.meta.url), 'utf8')) as KsVectors;
const s = k.services;

describe('fake Kaltura KS codec', () => {
  it('encodes the reference v2 vectors byte for byte and decodes them back', () => {
    const random = Buffer.from(vectors.randomHex, 'hex');
    for (const v of vectors.v2) {
      expect(encodeKsV2(vectors.adminSecret, v, random)).toBe(v.ks);
      const decoded = decodeKs(v.ks, vectors.adminSecret);
      expect(decoded.ok && decoded.ks).toMatchObject({ version: 2, userId: v.userId, type: v.type, expiresAt: v.expiresAt, privileges: v.serverParsedPrivileges, random: vectors.randomHex });
    }
  });

  it('encodes and decodes the v1 vector', () => {
    const [v] = vectors.v1;
    if (!v) throw new Error('vector file has no v1 case');
    expect(encodeKsV1(vectors.adminSecret, v, v.rand)).toBe(v.ks);
    const decoded = decodeKs(v.ks, vectors.adminSecret);
    expect(decoded.ok && decoded.ks).toMatchObject({ version: 1, partnerId: 1234567, userId: 'discord_42', privileges: 'privacycontext:abc' });
  });

  it('rejects a KS signed with another secret, a tampered KS and garbage', () => {
    const [v] = vectors.v2;
    if (!v) throw new Error('vector file has no v2 case');
    expect(decodeKs(v.ks, 'not-the-secret').ok).toBe(false);
    const tampered = v.ks.slice(0, 20) + (v.ks[20] === 'A' ? 'B' : 'A') + v.ks.slice(21);
    expect(decodeKs(tampered, vectors.adminSecret).ok).toBe(false);
    expect(decodeKs('bad', vectors.adminSecret).ok).toBe(false);
    expect(decodeKs('djJ8!!', vectors.adminSecret).ok).toBe(false);
  });
});

describe('fake Kaltura sessions and KS checks', () => {
  let fake: FakeKaltura;
  beforeAll(async () => {
    fake = await startFakeKaltura({
      appTokens: [
        { id: '0_tok1', token: 'tokensecret1', hashType: 'SHA256', sessionPrivileges: 'disableentitlement' },
        { id: '0_tokadmin', token: 'tokensecret2', sessionType: 2, sessionUserId: 'bot-owner', sessionDuration: 600 },
        { id: '0_off', token: 'x', status: 1 },
        { id: '0_old', token: 'y', expiry: Math.floor(Date.now() / 1000) - 10 },
      ],
    });
  });
  afterAll(() => fake.close());

  it('session.start with the admin secret returns a real v2 KS signed with the admin secret', async () => {
    const client = createTestClient(fake);
    const ks = await s.session.start(fake.adminSecret, 'discord-bot', 2, fake.partnerId, 3600, 'disableentitlement').execute(client);
    expect(typeof ks).toBe('string');
    expect(ks.startsWith('djJ8')).toBe(true);
    const decoded = decodeKs(ks, fake.adminSecret);
    expect(decoded.ok && decoded.ks).toMatchObject({ userId: 'discord-bot', type: 2, privileges: 'disableentitlement' });
    const expiresAt = decoded.ok ? decoded.ks.expiresAt : 0;
    expect(Math.abs(expiresAt - (Math.floor(Date.now() / 1000) + 3600))).toBeLessThanOrEqual(2);
  });

  it('session.start accepts the user secret for type 0 only, and rejects wrong secrets and partners', async () => {
    const client = createTestClient(fake);
    const userKs = await s.session.start(fake.userSecret, 'discord_1', 0, fake.partnerId).execute(client);
    expect(decodeKs(userKs, fake.adminSecret).ok).toBe(true);

    for (const [secret, type, pid] of [[fake.userSecret, 2, fake.partnerId], ['wrong', 0, fake.partnerId], [fake.adminSecret, 2, 999]] as const) {
      const error = await rejectionOf(s.session.start(secret, 'u', type, pid).execute(client));
      expect(error).toEqual({
        code: 'START_SESSION_ERROR',
        message: `Error while starting session for partner [${pid}]`,
        objectType: 'KalturaAPIException',
        args: { PID: String(pid) },
      });
      expect(error instanceof Error).toBe(false);
    }
  });

  it('answers INVALID_KS for a forged KS and for an expired one, MISSING_KS without one', async () => {
    const forged = fake.mintKs({ secret: 'someone-elses-secret' });
    const forgedError = await rejectionOf(s.media.listAction().execute(createTestClient(fake, { ks: forged })));
    expect(forgedError).toEqual({
      code: 'INVALID_KS',
      message: `Invalid KS "${forged}", Error "-1,INVALID_STR"`,
      objectType: 'KalturaAPIException',
      args: { KSID: forged, ERR_CODE: '-1', ERR_DESC: 'INVALID_STR' },
    });

    const expired = fake.mintKs({ expiresIn: -5 });
    const expiredError = await rejectionOf(s.media.listAction().execute(createTestClient(fake, { ks: expired })));
    expect(expiredError.code).toBe('INVALID_KS');
    expect(expiredError.args).toEqual({ KSID: 'EXPIRED', ERR_CODE: '-1', ERR_DESC: 'INVALID_STR' });

    const missing = await rejectionOf(s.media.listAction().execute(createTestClient(fake)));
    expect(missing).toEqual({ code: 'MISSING_KS', message: 'Missing KS, session not established', objectType: 'KalturaAPIException', args: [] });
  });

  it('checks a KS sent along with session.start too (an expired client KS breaks re-login)', async () => {
    const client = createTestClient(fake, { ks: fake.mintKs({ expiresIn: -1 }) });
    const error = await rejectionOf(s.session.start(fake.adminSecret, 'bot', 2, fake.partnerId).execute(client));
    expect(error.code).toBe('INVALID_KS');
  });

  it('refuses admin-only actions to a USER KS with SERVICE_FORBIDDEN', async () => {
    const client = createTestClient(fake, { ks: fake.mintKs({ type: 0, userId: 'discord_1' }) });
    const error = await rejectionOf(s.scheduleResource.listAction().execute(client));
    expect(error).toEqual({
      code: 'SERVICE_FORBIDDEN',
      message: 'The access to service [schedule_scheduleresource->list] is forbidden',
      objectType: 'KalturaAPIException',
      args: { SERVICE: 'schedule_scheduleresource->list' },
    });
    const recorded = fake.requests.at(-1);
    expect(recorded).toMatchObject({ service: 'schedule_scheduleresource', action: 'list', errorCode: 'SERVICE_FORBIDDEN', ks: { userId: 'discord_1', type: 0 } });
  });

  it('accepts a v1 KS signed with the admin secret', async () => {
    const client = createTestClient(fake, { ks: fake.mintKs({ version: 1, userId: 'legacy' }) });
    const list = await s.media.listAction().execute(client);
    expect(list).toEqual({ objects: [], totalCount: 0, objectType: 'KalturaMediaListResponse' });
    expect(fake.requests.at(-1)?.ks?.userId).toBe('legacy');
  });

  it('runs the app token flow: widget session, hash of KS + token, token-level overrides', async () => {
    const client = createTestClient(fake);
    const widget = await s.session.startWidgetSession(`_${fake.partnerId}`).execute(client);
    expect(widget).toMatchObject({ partnerId: fake.partnerId, userId: 0, objectType: 'KalturaStartWidgetSessionResponse' });
    const widgetKs = decodeKs(widget.ks, fake.adminSecret);
    expect(widgetKs.ok && widgetKs.ks).toMatchObject({ type: 0, privileges: 'view:*,widget:1' });

    client.setKs(widget.ks);
    const hash = createHash('sha256').update(widget.ks + 'tokensecret1').digest('hex');
    const info = await s.appToken
      .startSession('0_tok1', hash, 'discord_42', 0, 3600, 'eventId:55,role:viewerRole,setrole:5,disableentitlement:x')
      .execute(client);
    expect(info).toMatchObject({ sessionType: 0, partnerId: fake.partnerId, userId: 'discord_42', objectType: 'KalturaSessionInfo' });
    // reserved (setrole) and already-set (disableentitlement) keys are dropped; room keys are added
    expect(info.privileges).toBe('sessionid:0_tok1,apptoken:0_tok1,disableentitlement,eventId:55,role:viewerRole');
    const minted = decodeKs(info.ks, fake.adminSecret);
    expect(minted.ok && minted.ks.privilegeMap.get('eventId')).toBe('55');

    const adminHash = createHash('sha1').update(widget.ks + 'tokensecret2').digest('hex');
    const admin = await s.appToken.startSession('0_tokadmin', adminHash, 'someone', 0, 99999).execute(client);
    expect(admin).toMatchObject({ sessionType: 2, userId: 'bot-owner' });
    expect(admin.expiry - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(600);
  });

  it('answers the app token errors with their exact codes and args', async () => {
    const client = createTestClient(fake, { ks: fake.mintKs({ type: 0, userId: '0', privileges: 'view:*,widget:1' }) });
    const cases: Array<[string, string, unknown]> = [
      ['0_nope', 'APP_TOKEN_ID_NOT_FOUND', { ID: '0_nope' }],
      ['0_off', 'APP_TOKEN_NOT_ACTIVE', { ID: '0_off' }],
      ['0_tok1', 'INVALID_APP_TOKEN_HASH', []],
      ['0_old', 'INVALID_APP_TOKEN_HASH', []],
    ];
    for (const [id, code, args] of cases) {
      const error = await rejectionOf(s.appToken.startSession(id, 'deadbeef').execute(client));
      expect({ code: error.code, args: error.args }).toEqual({ code, args });
    }
    const ks = client.getKs() ?? '';
    const oldHash = createHash('sha1').update(ks + 'y').digest('hex');
    const expired = await rejectionOf(s.appToken.startSession('0_old', oldHash).execute(client));
    expect({ code: expired.code, args: expired.args }).toEqual({ code: 'APP_TOKEN_EXPIRED', args: { ID: '0_old' } });
  });
});
