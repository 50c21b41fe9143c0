/**
 * The self-test `kaltura-discord doctor` sends to `<publicUrl>/webhooks/kaltura`: the body
 * `{"kalturaDiscordSelfTest":"<nonce>"}`, signed like a Kaltura notification (admin secret,
 * `X-KALTURA-SIGNATURE`). The route answers `200 {"status":"self-test","nonce":"<nonce>"}`
 * and stores nothing, proving that the URL, the proxy in front and the signature check work.
 */
export const SELF_TEST_FIELD = 'kalturaDiscordSelfTest';
const NONCE = /^[A-Za-z0-9_-]{1,64}$/;

/** The body to sign and send; `nonce` is 1–64 characters of `A-Z a-z 0-9 _ -`. */
export function selfTestBody(nonce: string): string {
  if (!NONCE.test(nonce)) throw new RangeError('a self-test nonce is 1 to 64 characters of A-Z, a-z, 0-9, _ and -');
  return JSON.stringify({ [SELF_TEST_FIELD]: nonce });
}

/** The nonce when the body is exactly a self-test, else undefined. */
export function selfTestNonce(rawBody: Uint8Array): string | undefined {
  if (rawBody.byteLength > 256) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(rawBody));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  const nonce = (value as Record<string, unknown>)[SELF_TEST_FIELD];
  return keys.length === 1 && typeof nonce === 'string' && NONCE.test(nonce) ? nonce : undefined;
}
