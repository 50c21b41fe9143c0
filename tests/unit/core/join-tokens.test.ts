import { createHmac } from 'node:crypto';
import { jwtVerify, SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  joinTokenKey,
  MAX_ISSUED_TOKEN_LENGTH,
  MAX_PUBLIC_URL_LENGTH,
  MAX_TOKEN_LENGTH,
  JOIN_TOKEN_HEADER,
  joinTokenShapeFailure,
  signJoinToken,
  verifyJoinToken,
} from '../../../src/core/meetings/join-tokens';
import { JoinLinkError } from '../../../src/core/meetings/meeting-service';

const key = joinTokenKey('a-links-secret-of-at-least-32-characters');
const otherKey = joinTokenKey('another-links-secret-of-32-characters!!');
const T0 = Date.UTC(2026, 0, 15, 10, 0, 0);
const claims = {
  meetingId: 'm_abcdefghijklmnop',
  guildId: '111111111111111111',
  userId: '222222222222222222',
  role: 'attendee' as const,
  tokenId: 'jti-1',
};

async function failure(token: string, now = T0, k = key): Promise<string> {
  try {
    await verifyJoinToken(token, { key: k, now });
  } catch (err) {
    expect(err).toBeInstanceOf(JoinLinkError);
    return (err as JoinLinkError).failure;
  }
  throw new Error('expected the token to be refused');
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('join tokens', () => {
  it('round-trips the claims, with expiry from the injected time', async () => {
    const { token, expiresAt } = await signJoinToken(claims, { key, now: T0, ttlMs: 5 * 60_000 });
    expect(expiresAt).toBe(T0 + 5 * 60_000);
    expect(token.split('.')).toHaveLength(3);
    expect(await verifyJoinToken(token, { key, now: T0 + 60_000 })).toEqual({ ...claims, issuedAt: T0, expiresAt: T0 + 300_000 });
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { alg: string };
    expect(header.alg).toBe('HS256');
  });

  it('is expired at exp by the injected clock, valid a second before', async () => {
    const { token } = await signJoinToken(claims, { key, now: T0, ttlMs: 5 * 60_000 });
    await expect(verifyJoinToken(token, { key, now: T0 + 299_000 })).resolves.toMatchObject({ tokenId: 'jti-1' });
    expect(await failure(token, T0 + 300_000)).toBe('expired');
  });

  it('refuses a tampered payload (role raised to moderator) as a bad signature', async () => {
    const { token } = await signJoinToken(claims, { key, now: T0, ttlMs: 60_000 });
    const [h, p, s] = token.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    expect(await failure(`${h}.${b64({ ...payload, role: 'moderator' })}.${s}`)).toBe('bad-signature');
  });

  it('refuses a token signed with another key, even when expired (signature first)', async () => {
    const { token } = await signJoinToken(claims, { key: otherKey, now: T0, ttlMs: 60_000 });
    expect(await failure(token)).toBe('bad-signature');
    expect(await failure(token, T0 + 3_600_000)).toBe('bad-signature');
  });

  it('refuses alg "none" and other algorithms', async () => {
    const unsecured = new UnsecuredJWT({ mid: claims.meetingId }).setSubject(claims.userId).encode();
    expect(await failure(`${unsecured}AAAA`)).toBe('bad-signature');
    const hs512 = await new SignJWT({ mid: claims.meetingId }).setProtectedHeader({ alg: 'HS512' }).sign(new Uint8Array(64));
    expect(await failure(hs512)).toBe('bad-signature');
  });

  it('refuses a token of ours with the wrong audience or issuer', async () => {
    const base = () =>
      new SignJWT({ mid: claims.meetingId, gid: claims.guildId, name: 'x', role: 'attendee' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(claims.userId)
        .setJti('j')
        .setIssuedAt(T0 / 1000)
        .setExpirationTime(T0 / 1000 + 60);
    expect(await failure(await base().setIssuer('kaltura-discord').setAudience('kaltura-discord/activity').sign(key))).toBe('bad-signature');
    expect(await failure(await base().setIssuer('someone-else').setAudience('kaltura-discord/join').sign(key))).toBe('bad-signature');
    expect(await failure(await base().setIssuer('kaltura-discord').sign(key))).toBe('bad-signature');
  });

  it('refuses a correctly signed token with claims we never issue as malformed', async () => {
    const sign = (extra: Record<string, unknown>) =>
      new SignJWT({ mid: claims.meetingId, gid: claims.guildId, name: 'x', role: 'attendee', ...extra })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(claims.userId)
        .setJti('j')
        .setIssuer('kaltura-discord')
        .setAudience('kaltura-discord/join')
        .setIssuedAt(T0 / 1000)
        .setExpirationTime(T0 / 1000 + 60)
        .sign(key);
    expect(await failure(await sign({ role: 'owner' }))).toBe('malformed');
    expect(await failure(await sign({ mid: '../../etc' }))).toBe('malformed');
    expect(await failure(await sign({ gid: 5 }))).toBe('malformed');
  });

  it.each([
    ['empty', ''],
    ['garbage', 'hello world'],
    ['two parts', 'eyJhbGciOiJIUzI1NiJ9.eyJ9'],
    ['four parts', 'a.b.c.d'],
    ['three parts of junk', 'a.b.c'],
    ['not base64url', 'eyJ+.eyJ/.abc='],
    ['percent-encoded path', '..%2f..%2f'],
    ['unicode', 'ёжик.в.тумане'],
  ])('refuses %s as malformed', async (_label, token) => {
    expect(await failure(token)).toBe('malformed');
  });

  it('refuses anything longer than 2 KiB before parsing it', async () => {
    const { token } = await signJoinToken(claims, { key, now: T0, ttlMs: 60_000 });
    const padded = `${token.split('.')[0]}.${'A'.repeat(MAX_TOKEN_LENGTH)}.${token.split('.')[2]}`;
    expect(padded.length).toBeGreaterThan(2048);
    expect(await failure(padded)).toBe('malformed');
  });

  it('never issues a token longer than MAX_ISSUED_TOKEN_LENGTH, so links fit a 512-character link button', async () => {
    // Every claim at its longest: 20-digit snowflakes, the longer role, a 16-byte jti, 10-digit times.
    const longest = { meetingId: 'm_zzzzzzzzzzzzzzzz', guildId: '18446744073709551615', userId: '18446744073709551615', role: 'moderator' as const, tokenId: Buffer.alloc(16, 255).toString('base64url') };
    const { token } = await signJoinToken(longest, { key, now: 9_999_000_000_000, ttlMs: 24 * 3_600_000 });
    expect(token.length).toBeLessThanOrEqual(MAX_ISSUED_TOKEN_LENGTH);
    expect(token.length).toBeGreaterThan(MAX_ISSUED_TOKEN_LENGTH - 8); // the bound is tight, not a guess
    const url = `${'https://' + 'a'.repeat(MAX_PUBLIC_URL_LENGTH - 8)}/j/${token}`;
    expect(url.length).toBeLessThanOrEqual(512);
    // No name travels in the token (it is kept server-side).
    expect(Buffer.from(token.split('.')[1]!, 'base64url').toString()).not.toContain('name');
  });

  it('still reads a token of the previous format, which carried a name', async () => {
    const legacy = await new SignJWT({ mid: claims.meetingId, gid: claims.guildId, name: 'Ana', role: 'attendee' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.userId)
      .setJti('jti-legacy')
      .setIssuer('kaltura-discord')
      .setAudience('kaltura-discord/join')
      .setIssuedAt(Math.floor(T0 / 1000))
      .setExpirationTime(Math.floor(T0 / 1000) + 60)
      .sign(key);
    expect((await verifyJoinToken(legacy, { key, now: T0 })).tokenId).toBe('jti-legacy');
  });

  it('refuses malformed tokens before any cryptography: an unusable key is never touched', async () => {
    const { token } = await signJoinToken(claims, { key, now: T0, ttlMs: 60_000 });
    const unusable = {} as unknown as typeof key; // createHmac would throw a TypeError on it
    for (const bad of ['', 'garbage-token-123', token.slice(0, -1), `${token}A`, `${token}.x`, token.replace('.', '!'), `${token.slice(0, 60)}é${token.slice(61)}`]) {
      expect(joinTokenShapeFailure(bad)).toBe('malformed');
      expect(await failure(bad, T0, unusable)).toBe('malformed');
    }
    // A well-formed token does reach the key (so the assertion above is not vacuous).
    await expect(verifyJoinToken(token, { key: unusable, now: T0 })).rejects.toThrow(TypeError);
  });

  it('accepts the shape of every token it issues, whose header is the fixed one', async () => {
    for (const role of ['attendee', 'moderator'] as const) {
      const { token } = await signJoinToken({ ...claims, role }, { key, now: T0, ttlMs: 60_000 });
      expect(joinTokenShapeFailure(token)).toBeUndefined();
      expect(token.startsWith(`${JOIN_TOKEN_HEADER}.`)).toBe(true);
    }
  });

  it('verifies a token of ours whose header omits typ, and refuses one not valid yet (nbf)', async () => {
    const sign = (extra: Record<string, unknown>) =>
      new SignJWT({ mid: claims.meetingId, gid: claims.guildId, role: 'attendee', ...extra })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(claims.userId)
        .setJti('jti-2')
        .setIssuer('kaltura-discord')
        .setAudience('kaltura-discord/join')
        .setIssuedAt(T0 / 1000)
        .setExpirationTime(T0 / 1000 + 60)
        .sign(key);
    expect((await verifyJoinToken(await sign({}), { key, now: T0 })).tokenId).toBe('jti-2');
    expect(await failure(await sign({ nbf: T0 / 1000 + 30 }))).toBe('bad-signature');
  });

  it('refuses a correctly signed token with a header extension it does not implement (crit)', async () => {
    const header = b64({ alg: 'HS256', crit: ['x-ours'] });
    const body = b64({ iss: 'kaltura-discord', aud: 'kaltura-discord/join', sub: claims.userId, jti: 'j', iat: T0 / 1000, exp: T0 / 1000 + 60 });
    const sig = createHmac('sha256', key).update(`${header}.${body}`).digest('base64url');
    expect(await failure(`${header}.${body}.${sig}`)).toBe('malformed');
  });

  it('issues standard JWTs: a stock JWT library verifies them with the same key, audience and issuer', async () => {
    const { token } = await signJoinToken(claims, { key, now: Date.now(), ttlMs: 60_000 });
    const { payload, protectedHeader } = await jwtVerify(token, key, { algorithms: ['HS256'], issuer: 'kaltura-discord', audience: 'kaltura-discord/join' });
    expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toMatchObject({ mid: claims.meetingId, gid: claims.guildId, sub: claims.userId, role: 'attendee', jti: 'jti-1' });
    await expect(jwtVerify(token, otherKey)).rejects.toThrow();
  });

  it('derives different keys from different secrets', () => {
    expect(key.export().equals(otherKey.export())).toBe(false);
    expect(key.symmetricKeySize).toBe(32);
  });
});
