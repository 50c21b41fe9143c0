import { createCipheriv, createDecipheriv, createHash, randomBytes, randomInt } from 'node:crypto';
import { httpBuildQuery, parsePhpQuery } from './php-encoding';

/**
 * KS v1 and v2 encode/decode, written from the reference (§3.2, §3.3) and checked against its
 * vectors, independently of the bot's own KS code so the two can catch each other's mistakes.
 * Verification always uses the partner ADMIN secret, as the real server does.
 */

export interface KsFields {
  partnerId: number;
  userId: string;
  /** 0 USER, 2 ADMIN (the server stores whatever integer it is given). */
  type: number;
  /** Absolute unix seconds. */
  expiresAt: number;
  privileges: string;
  masterPartnerId?: number;
  additionalData?: string;
}

export interface DecodedKs extends KsFields {
  version: 1 | 2;
  /** Privileges as the server parses them (`*` is `all` → `*`). */
  privilegeMap: Map<string, string>;
  /** v2: hex of the 16 random bytes; v1: the rand field. */
  random: string;
}

export type KsDecodeResult = { ok: true; ks: DecodedKs } | { ok: false; reason: string };

const sha1 = (data: Buffer | string): Buffer => createHash('sha1').update(data).digest();

/** §3.2 step 1: split on `,`, trim, `*` → `all:*`, split at the first `:`; repeats keep first position. */
export function parsePrivileges(privileges: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const raw of privileges.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const pair = item === '*' ? 'all:*' : item;
    const colon = pair.indexOf(':');
    map.set(colon < 0 ? pair : pair.slice(0, colon), colon < 0 ? '' : pair.slice(colon + 1));
  }
  return map;
}

/** Rebuilds the privilege string the way the server reports it (`all:*` becomes `*`). */
export function formatPrivileges(map: ReadonlyMap<string, string>): string {
  return [...map]
    .map(([key, value]) => (key === 'all' && value === '*' ? '*' : value === '' ? key : `${key}:${value}`))
    .join(',');
}

function aesKey(secret: string): Buffer {
  return sha1(Buffer.from(secret, 'utf8')).subarray(0, 16);
}

function zeroPad16(data: Buffer): Buffer {
  const rem = data.length % 16;
  return rem === 0 ? data : Buffer.concat([data, Buffer.alloc(16 - rem)]);
}

export function encodeKsV2(secret: string, fields: KsFields, random: Buffer = randomBytes(16)): string {
  const map = parsePrivileges(fields.privileges);
  map.set('_e', String(fields.expiresAt));
  map.set('_t', String(fields.type));
  map.set('_u', fields.userId);
  if (fields.masterPartnerId !== undefined) map.set('_m', String(fields.masterPartnerId));
  if (fields.additionalData !== undefined) map.set('_d', fields.additionalData);
  const plain = Buffer.concat([random, Buffer.from(httpBuildQuery(map), 'utf8')]);
  const signed = Buffer.concat([sha1(plain), plain]);
  const cipher = createCipheriv('aes-128-cbc', aesKey(secret), Buffer.alloc(16));
  cipher.setAutoPadding(false);
  const encrypted = Buffer.concat([cipher.update(zeroPad16(signed)), cipher.final()]);
  return Buffer.concat([Buffer.from(`v2|${fields.partnerId}|`), encrypted])
    .toString('base64')
    .replace(/\+/g, '-')
    .replace(/\//g, '_');
}

export function encodeKsV1(secret: string, fields: KsFields, rand: number = randomInt(0, 32000)): string {
  const parts = [fields.partnerId, fields.partnerId, fields.expiresAt, fields.type, rand, fields.userId, fields.privileges];
  if (fields.masterPartnerId !== undefined || fields.additionalData !== undefined) {
    parts.push(fields.masterPartnerId ?? '', fields.additionalData ?? '');
  }
  const info = parts.join(';');
  const sig = createHash('sha1').update(secret + info, 'utf8').digest('hex');
  return Buffer.from(`${sig}|${info}`, 'utf8').toString('base64');
}

/** Strict base64 as PHP's `base64_decode($s, true)`: any other character rejects the KS. */
function strictBase64(text: string): Buffer | undefined {
  const standard = text.replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(standard)) return undefined;
  return Buffer.from(standard, 'base64');
}

/** Decodes and verifies the signature. Expiry is left to the caller, which owns the clock. */
export function decodeKs(ks: string, adminSecret: string): KsDecodeResult {
  const raw = strictBase64(ks);
  if (!raw || raw.length < 4) return { ok: false, reason: 'INVALID_STR' };
  return raw.subarray(0, 3).toString('latin1') === 'v2|' ? decodeV2(raw, adminSecret) : decodeV1(raw, adminSecret);
}

function decodeV2(raw: Buffer, secret: string): KsDecodeResult {
  const bar = raw.indexOf(0x7c, 3);
  if (bar < 0) return { ok: false, reason: 'INVALID_STR' };
  const partnerId = Number(raw.subarray(3, bar).toString('latin1'));
  const encrypted = raw.subarray(bar + 1);
  if (!Number.isInteger(partnerId) || encrypted.length === 0 || encrypted.length % 16 !== 0) {
    return { ok: false, reason: 'INVALID_STR' };
  }
  const decipher = createDecipheriv('aes-128-cbc', aesKey(secret), Buffer.alloc(16));
  decipher.setAutoPadding(false);
  const padded = Buffer.concat([decipher.update(encrypted), decipher.final()]);
  let end = padded.length;
  while (end > 0 && padded[end - 1] === 0) end--;
  const signed = padded.subarray(0, end);
  if (signed.length < 36 || !sha1(signed.subarray(20)).equals(signed.subarray(0, 20))) {
    return { ok: false, reason: 'INVALID_SIGNATURE' };
  }
  const fields = parsePhpQuery(signed.subarray(36).toString('utf8'));
  const privilegeMap = new Map([...fields].filter(([key]) => !['_e', '_t', '_u', '_m', '_d'].includes(key)));
  const master = fields.get('_m');
  const additional = fields.get('_d');
  return {
    ok: true,
    ks: {
      version: 2,
      partnerId,
      userId: fields.get('_u') ?? '',
      type: Number(fields.get('_t') ?? 0),
      expiresAt: Number(fields.get('_e') ?? 0),
      privileges: formatPrivileges(privilegeMap),
      privilegeMap,
      random: signed.subarray(20, 36).toString('hex'),
      ...(master !== undefined ? { masterPartnerId: Number(master) } : {}),
      ...(additional !== undefined ? { additionalData: additional } : {}),
    },
  };
}

function decodeV1(raw: Buffer, secret: string): KsDecodeResult {
  const text = raw.toString('utf8');
  const bar = text.indexOf('|');
  if (bar !== 40) return { ok: false, reason: 'INVALID_STR' };
  const info = text.slice(bar + 1);
  const expected = createHash('sha1').update(secret + info, 'utf8').digest('hex');
  if (text.slice(0, bar).toLowerCase() !== expected) return { ok: false, reason: 'INVALID_SIGNATURE' };
  const [pid = '', , validUntil = '', type = '', rand = '', user = '', privileges = '', master, additional] = info.split(';');
  return {
    ok: true,
    ks: {
      version: 1,
      partnerId: Number(pid),
      userId: user,
      type: Number(type),
      expiresAt: Number(validUntil),
      privileges,
      privilegeMap: parsePrivileges(privileges),
      random: rand,
      ...(master ? { masterPartnerId: Number(master) } : {}),
      ...(additional ? { additionalData: additional } : {}),
    },
  };
}
