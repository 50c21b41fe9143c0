import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

/**
 * What Discord does to every interaction it POSTs to an Interactions Endpoint URL: an Ed25519
 * signature (hex) over the timestamp (unix seconds, as a string) followed by the raw body, in
 * `X-Signature-Ed25519` / `X-Signature-Timestamp`; the application's public key is the raw 32-byte
 * key in hex, as the portal shows it.
 * @see https://discord.com/developers/docs/interactions/overview#validating-security-request-headers
 */
export interface InteractionSigner {
  /** 64 hex characters, what `discord.publicKey` must be. */
  readonly publicKey: string;
  sign(body: string, timestamp?: string): { 'x-signature-ed25519': string; 'x-signature-timestamp': string };
}

export function createInteractionSigner(now: () => number = Date.now): InteractionSigner {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return signerFor(publicKey, privateKey, now);
}

function signerFor(publicKey: KeyObject, privateKey: KeyObject, now: () => number): InteractionSigner {
  // An Ed25519 SPKI DER is a fixed 12-byte header followed by the raw key (RFC 8410).
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(12);
  return {
    publicKey: raw.toString('hex'),
    sign(body, timestamp = String(Math.floor(now() / 1000))) {
      const signature = sign(null, Buffer.from(timestamp + body), privateKey).toString('hex');
      return { 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp };
    },
  };
}
