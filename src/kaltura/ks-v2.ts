/**
 * Kaltura Session (KS) version 2, generated and decoded locally with the partner's admin
 * secret, so a member's join link needs no round trip. Pure: no `kaltura-client` import.
 *
 * Algorithm: fields (privileges, then `_e` expiry, `_t` type, `_u` user) are form-encoded
 * with PHP `urlencode` rules, prefixed with 16 random bytes and their SHA-1, zero-padded to
 * the block size, AES-128-CBC encrypted (key = first 16 bytes of SHA-1(secret), zero IV),
 * and wrapped as URL-safe base64 of `v2|<partnerId>|<ciphertext>` (`=` padding kept).
 * @see https://developer.kaltura.com/api-docs/VPaaS-API-Getting-Started/Kaltura_API_Authentication_and_Security.html
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export const KS_TYPE_USER = 0;
export const KS_TYPE_ADMIN = 2;

export interface KsV2Input {
  readonly adminSecret: string;
  readonly partnerId: number;
  readonly userId: string;
  readonly type: typeof KS_TYPE_USER | typeof KS_TYPE_ADMIN;
  /** Absolute expiry, unix seconds. */
  readonly expiresAt: number;
  /** Comma-separated `key:value` list, already built safely (see privileges.ts). */
  readonly privileges: string;
  /** 16 bytes; injected by tests to reproduce vectors, random otherwise. */
  readonly random?: Uint8Array;
}

export interface DecodedKs {
  readonly partnerId: number;
  readonly userId: string;
  readonly type: number;
  readonly expiresAt: number;
  /** Rebuilt the way the server does: `k:v` or `k`, joined by `,`; `all:*` becomes `*`. */
  readonly privileges: string;
  /** Privileges as an ordered map, as the server sees them. */
  readonly fields: ReadonlyMap<string, string>;
  readonly random: Uint8Array;
}

/** The KS could not be decrypted or its signature does not match. */
export class InvalidKsError extends Error {
  override readonly name = 'InvalidKsError';
}

const sha1 = (data: Uint8Array): Buffer => createHash('sha1').update(data).digest();

/** PHP `urlencode`: everything but `[A-Za-z0-9._-]` is `%XX`, space is `+`. */
function phpUrlencode(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** The server's privilege parsing: split on `,`, trim, `*` means `all:*`, split at the first `:`. */
export function parsePrivileges(privileges: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const raw of privileges.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const normalized = item === '*' ? 'all:*' : item;
    const colon = normalized.indexOf(':');
    const key = colon === -1 ? normalized : normalized.slice(0, colon);
    const value = colon === -1 ? '' : normalized.slice(colon + 1);
    fields.set(key, value); // a repeated key keeps its first position, like a PHP array
  }
  return fields;
}

function aesKey(adminSecret: string): Buffer {
  return sha1(Buffer.from(adminSecret, 'utf8')).subarray(0, 16);
}

export function generateKsV2(input: KsV2Input): string {
  const random = input.random ?? randomBytes(16);
  if (random.length !== 16) throw new RangeError('KS random must be 16 bytes');
  const fields = parsePrivileges(input.privileges);
  fields.set('_e', String(input.expiresAt));
  fields.set('_t', String(input.type));
  fields.set('_u', input.userId);
  const query = [...fields].map(([k, v]) => `${phpUrlencode(k)}=${phpUrlencode(v)}`).join('&');
  const plain = Buffer.concat([random, Buffer.from(query, 'utf8')]);
  const signed = Buffer.concat([sha1(plain), plain]);
  const padded = Buffer.concat([signed, Buffer.alloc((16 - (signed.length % 16)) % 16)]);
  const cipher = createCipheriv('aes-128-cbc', aesKey(input.adminSecret), Buffer.alloc(16));
  cipher.setAutoPadding(false);
  const encrypted = Buffer.concat([cipher.update(padded), cipher.final()]);
  return Buffer.concat([Buffer.from(`v2|${input.partnerId}|`), encrypted])
    .toString('base64')
    .replace(/\+/g, '-')
    .replace(/\//g, '_');
}

/** Decodes and verifies a v2 KS like the server does (the expiry is returned, not enforced). */
export function decodeKsV2(ks: string, adminSecret: string): DecodedKs {
  const raw = Buffer.from(ks.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  const first = raw.indexOf(0x7c);
  const second = first === -1 ? -1 : raw.indexOf(0x7c, first + 1);
  if (first === -1 || second === -1 || raw.subarray(0, first).toString('latin1') !== 'v2') {
    throw new InvalidKsError('not a v2 KS');
  }
  const partnerId = Number(raw.subarray(first + 1, second).toString('latin1'));
  const encrypted = raw.subarray(second + 1);
  if (!Number.isInteger(partnerId) || encrypted.length === 0 || encrypted.length % 16 !== 0) {
    throw new InvalidKsError('malformed KS');
  }
  const decipher = createDecipheriv('aes-128-cbc', aesKey(adminSecret), Buffer.alloc(16));
  decipher.setAutoPadding(false);
  let signed = Buffer.concat([decipher.update(encrypted), decipher.final()]);
  let end = signed.length;
  while (end > 0 && signed[end - 1] === 0) end--;
  signed = signed.subarray(0, end);
  if (signed.length < 36 || !sha1(signed.subarray(20)).equals(signed.subarray(0, 20))) {
    throw new InvalidKsError('KS signature does not match this secret');
  }
  const params = new URLSearchParams(signed.subarray(36).toString('utf8'));
  const fields = new Map<string, string>();
  let userId = '';
  let type = NaN;
  let expiresAt = NaN;
  for (const [k, v] of params) {
    if (k === '_u') userId = v;
    else if (k === '_t') type = Number(v);
    else if (k === '_e') expiresAt = Number(v);
    else if (!k.startsWith('_')) fields.set(k, v);
  }
  const privileges = [...fields]
    .map(([k, v]) => (k === 'all' && v === '*' ? '*' : v === '' ? k : `${k}:${v}`))
    .join(',');
  return { partnerId, userId, type, expiresAt, privileges, fields, random: signed.subarray(20, 36) };
}
