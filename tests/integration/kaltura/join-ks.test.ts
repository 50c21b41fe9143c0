import { afterEach, describe, expect, it } from 'vitest';
import { createKaltura } from '../../../src/kaltura/create-kaltura';
import { decodeKsV2 } from '../../../src/kaltura/ks-v2';
import { createKalturaContext } from '../../../src/kaltura/kaltura-context';
import { runKalturaChecks } from '../../../src/kaltura/kaltura-checks';
import { startFakeKaltura, type FakeKaltura } from '../../fakes/kaltura/index';
import { configFor, createCapturingLogger, FAST_RETRY } from './helpers';

/** Issue 9 §5: the member's KS carries the restricted role when one is configured, and lives no longer than documented. */
const logger = createCapturingLogger();
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const ksOf = (url: string) => decodeURIComponent(new URL(url).searchParams.get('ks')!);

const ROLES = [{ id: 12345, systemName: 'KALTURA_DISCORD_JOIN', name: 'kaltura-discord join' }];

async function setup(nowMs: () => number, joinRoleId?: string) {
  const fake: FakeKaltura = await startFakeKaltura({ now: () => Math.floor(nowMs() / 1000), userRoles: ROLES });
  const kaltura = createKaltura({ config: configFor(fake, joinRoleId === undefined ? {} : { joinRoleId }), logger, retry: FAST_RETRY, clock: { now: nowMs } });
  cleanups.push(() => fake.close(), () => kaltura.close());
  return { fake, kaltura };
}

describe('join KS', () => {
  it('carries setrole:<kaltura.joinRoleId> next to the room privileges, and KAF receives it', async () => {
    const now = Date.UTC(2026, 5, 1, 12);
    const { fake, kaltura } = await setup(() => now, 'KALTURA_DISCORD_JOIN');
    const s = await kaltura.meetings.createSession({ kind: 'meeting', title: 'x', durationMinutes: 30, record: false, ownerDiscordId: '1' });
    const url = await kaltura.meetings.joinUrl({ eventId: s.eventId, endsAt: s.endsAt, member: { discordId: '42', displayName: 'Max' }, role: 'attendee' });
    const ks = decodeKsV2(ksOf(url), fake.adminSecret);
    expect(ks.type).toBe(0);
    expect(ks.fields.get('setrole')).toBe('KALTURA_DISCORD_JOIN');
    expect(ks.fields.get('role')).toBe('viewerRole');
    expect((await fetch(url)).status).toBe(200);
    expect(fake.launches[0]!.privileges).toMatchObject({ setrole: 'KALTURA_DISCORD_JOIN', role: 'viewerRole', userContextualRole: '3' });
  });

  it('a role that does not exist: KAF refuses the launch, and doctor says so before any member tries', async () => {
    const now = Date.UTC(2026, 5, 1, 12);
    const { fake, kaltura } = await setup(() => now, 'KALTURA_DISCORD_TYPO');
    const url = await kaltura.meetings.joinUrl({ eventId: 7, endsAt: new Date(now + 60_000), member: { discordId: '42', displayName: 'Max' }, role: 'attendee' });
    const res = await fetch(url);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('UNKNOWN_ROLE_ID');
    const checks = await runKalturaChecks(configFor(fake, { joinRoleId: 'KALTURA_DISCORD_TYPO' }), { logger, timeoutMs: 1000, clock: { now: () => now } });
    expect(checks.find((c) => c.id === 'kaltura.join-role')).toMatchObject({ status: 'fail', detail: expect.stringContaining('UNKNOWN_ROLE_ID'), fix: expect.stringContaining('kaltura.joinRoleId') });
    for (const id of ['12345', 'KALTURA_DISCORD_JOIN']) {
      const ok = await runKalturaChecks(configFor(fake, { joinRoleId: id }), { logger, timeoutMs: 1000, clock: { now: () => now } });
      expect(ok.find((c) => c.id === 'kaltura.join-role')).toMatchObject({ status: 'ok', detail: expect.stringContaining('role #12345') });
    }
    const none = await runKalturaChecks(configFor(fake), { logger, timeoutMs: 1000, clock: { now: () => now } });
    expect(none.some((c) => c.id === 'kaltura.join-role')).toBe(false);
  });

  it('has no setrole when no role is configured', async () => {
    const now = Date.UTC(2026, 5, 1, 12);
    const { fake, kaltura } = await setup(() => now);
    const url = await kaltura.meetings.joinUrl({ eventId: 7, endsAt: new Date(now + 60_000), member: { discordId: '42', displayName: 'Max' }, role: 'moderator' });
    expect(decodeKsV2(ksOf(url), fake.adminSecret).fields.has('setrole')).toBe(false);
  });

  it('lives until the scheduled end plus 15 minutes, and at most one day', async () => {
    const now = Date.UTC(2026, 5, 1, 12);
    const nowS = now / 1000;
    const { fake, kaltura } = await setup(() => now, '12345');
    const soon = await kaltura.meetings.joinUrl({ eventId: 7, endsAt: new Date(now + 45 * 60_000), member: { discordId: '42', displayName: 'Max' }, role: 'attendee' });
    expect(decodeKsV2(ksOf(soon), fake.adminSecret).expiresAt).toBe(nowS + 45 * 60 + 15 * 60);
    const far = await kaltura.meetings.joinUrl({ eventId: 7, endsAt: new Date(now + 30 * 3_600_000), member: { discordId: '42', displayName: 'Max' }, role: 'attendee' });
    expect(decodeKsV2(ksOf(far), fake.adminSecret).expiresAt).toBe(nowS + 86_400);
  });

  it('is capped at one day and refused in the past by the session manager itself', async () => {
    const now = Date.UTC(2026, 5, 1, 12);
    const fake = await startFakeKaltura();
    const ctx = createKalturaContext({ config: configFor(fake, { joinRoleId: '12345' }), logger, clock: { now: () => now } });
    cleanups.push(() => fake.close(), () => ctx.transport.close());
    const ks = await ctx.sessions.userKs({ userId: 'discord_1', privileges: 'eventId:1,role:viewerRole,setrole:999', expiresAt: now / 1000 + 7 * 86_400 });
    const decoded = decodeKsV2(ks, fake.adminSecret);
    expect(decoded.expiresAt).toBe(now / 1000 + 86_400);
    // a caller cannot smuggle another role in: the configured one replaces it
    expect([...decoded.fields.entries()].filter(([k]) => k === 'setrole')).toEqual([['setrole', '12345']]);
    await expect(ctx.sessions.userKs({ userId: 'discord_1', privileges: 'eventId:1,role:viewerRole', expiresAt: now / 1000 })).rejects.toThrow(RangeError);
  });
});
