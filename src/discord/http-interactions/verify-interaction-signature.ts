import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/**
 * Discord signs every interaction it POSTs to the Interactions Endpoint URL with the application's
 * Ed25519 key: `X-Signature-Ed25519` (hex, 64 bytes) over `X-Signature-Timestamp` + the raw body.
 * Any failure must be answered 401 — Discord checks that when the URL is saved and sends invalid
 * signatures on purpose in routine checks; "if you fail the validation, we will remove your interactions URL".
 * @see https://discord.com/developers/docs/interactions/overview#validating-security-request-headers
 */

/** The fixed DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): a raw 32-byte key follows it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const SIGNATURE_HEX = /^[0-9a-fA-F]{128}$/;
/** Unix seconds, as Discord sends them. */
const TIMESTAMP = /^\d{1,12}$/;

/** A signed request older (or further in the future) than this is refused: a captured request cannot be replayed later. */
export const DEFAULT_TIMESTAMP_WINDOW_MS = 5 * 60_000;

export type SignatureFailure = 'missing-headers' | 'malformed-signature' | 'malformed-timestamp' | 'stale-timestamp' | 'bad-signature';

export interface SignedRequest {
  readonly signature: string | null;
  readonly timestamp: string | null;
  readonly body: Uint8Array;
}

/** The application's public key (64 hex characters, as the portal shows it) as a key object. */
export function interactionPublicKey(publicKeyHex: string): KeyObject {
  if (!/^[0-9a-fA-F]{64}$/.test(publicKeyHex)) throw new TypeError('discord.publicKey must be 64 hexadecimal characters');
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(publicKeyHex, 'hex')]), format: 'der', type: 'spki' });
}

/**
 * Checks one request; `undefined` when it is Discord's. Cheap checks first (headers' shapes, the
 * window), so garbage never reaches the signature check.
 */
export function createInteractionVerifier(options: { publicKey: string; windowMs?: number; now?: () => number }): (request: SignedRequest) => SignatureFailure | undefined {
  const key = interactionPublicKey(options.publicKey);
  const windowMs = options.windowMs ?? DEFAULT_TIMESTAMP_WINDOW_MS;
  const now = options.now ?? Date.now;
  return ({ signature, timestamp, body }) => {
    if (signature === null || timestamp === null) return 'missing-headers';
    if (!SIGNATURE_HEX.test(signature)) return 'malformed-signature';
    if (!TIMESTAMP.test(timestamp)) return 'malformed-timestamp';
    if (Math.abs(now() - Number(timestamp) * 1000) > windowMs) return 'stale-timestamp';
    const message = Buffer.concat([Buffer.from(timestamp, 'utf8'), body]);
    // Ed25519 takes no digest: the algorithm argument must be null.
    return verify(null, message, key, Buffer.from(signature, 'hex')) ? undefined : 'bad-signature';
  };
}
