import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeKsV2, generateKsV2, InvalidKsError, parsePrivileges } from '../../../src/kaltura/ks-v2';

interface Vector {
  partnerId: number;
  userId: string;
  type: 0 | 2;
  expiresAt: number;
  privileges: string;
  ks: string;
  serverParsedPrivileges: string;
}
const vectors = JSON.parse(readFileSync(new URL('../../fixtures/kaltura-adapter/ks-test-vectors.json', import.meta.url), 'utf8')) as {
  adminSecret: string;
  randomHex: string;
  v2: Vector[];
};
const random = Buffer.from(vectors.randomHex, 'hex');

describe('generateKsV2', () => {
  it.each(vectors.v2)('reproduces the vector for user "$userId" type $type byte for byte', (v) => {
    const ks = generateKsV2({ adminSecret: vectors.adminSecret, partnerId: v.partnerId, userId: v.userId, type: v.type, expiresAt: v.expiresAt, privileges: v.privileges, random });
    expect(ks).toBe(v.ks);
    expect(ks.startsWith('djJ8')).toBe(true);
  });

  it('uses fresh randomness when none is injected', () => {
    const input = { adminSecret: vectors.adminSecret, partnerId: 1, userId: 'u', type: 0 as const, expiresAt: 2e9, privileges: '' };
    expect(generateKsV2(input)).not.toBe(generateKsV2(input));
  });

  it('refuses random input that is not 16 bytes', () => {
    expect(() => generateKsV2({ adminSecret: 's', partnerId: 1, userId: 'u', type: 0, expiresAt: 2e9, privileges: '', random: new Uint8Array(8) })).toThrow(RangeError);
  });
});

describe('decodeKsV2', () => {
  it.each(vectors.v2)('decodes the vector for "$userId" as the server does', (v) => {
    const d = decodeKsV2(v.ks, vectors.adminSecret);
    expect(d).toMatchObject({ partnerId: v.partnerId, userId: v.userId, type: v.type, expiresAt: v.expiresAt, privileges: v.serverParsedPrivileges });
    expect(Buffer.from(d.random).toString('hex')).toBe(vectors.randomHex);
  });

  it('round-trips unicode, spaces and PHP-escaped characters', () => {
    const privileges = "firstName:Zoë O'Brien (~*!),lastName:山田 太郎";
    const ks = generateKsV2({ adminSecret: 'secret-x', partnerId: 99, userId: 'discord_1', type: 0, expiresAt: 2_000_000_000, privileges });
    const d = decodeKsV2(ks, 'secret-x');
    expect(d.fields.get('firstName')).toBe("Zoë O'Brien (~*!)");
    expect(d.fields.get('lastName')).toBe('山田 太郎');
    expect(d.privileges).toBe(privileges);
  });

  it('rejects a KS signed with another secret', () => {
    expect(() => decodeKsV2(vectors.v2[0]!.ks, 'another-secret')).toThrow(InvalidKsError);
  });

  it('rejects garbage and v1 KSs', () => {
    expect(() => decodeKsV2('not-a-ks', vectors.adminSecret)).toThrow(InvalidKsError);
    expect(() => decodeKsV2(Buffer.from('v2|12|abc').toString('base64'), vectors.adminSecret)).toThrow(InvalidKsError);
  });

  it('rejects a KS with one flipped ciphertext byte', () => {
    const raw = Buffer.from(vectors.v2[0]!.ks.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    raw[raw.length - 20] = raw[raw.length - 20]! ^ 0x01;
    const tampered = raw.toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
    expect(() => decodeKsV2(tampered, vectors.adminSecret)).toThrow(InvalidKsError);
  });
});

describe('parsePrivileges', () => {
  it('splits like the server: trims, `*` is all:*, first colon, repeated key keeps first position', () => {
    const m = parsePrivileges(' a:1 ,,*, b:x:y ,a:2,c');
    expect([...m]).toEqual([
      ['a', '2'],
      ['all', '*'],
      ['b', 'x:y'],
      ['c', ''],
    ]);
  });
});
