import { readFileSync } from 'node:fs';

/** The captured webhook vector: body bytes and the signature for each algorithm. */
export function loadWebhookVector() {
  const text = readFileSync(new URL('../../fixtures/kaltura-adapter/webhook-vector.txt', import.meta.url), 'utf8');
  const sig = (algo: string) => new RegExp(`^${algo}: X-KALTURA-SIGNATURE: ([0-9a-f]+)$`, 'm').exec(text)![1]!;
  const body = /^BODY: (.*)$/m.exec(text)![1]!;
  return {
    adminSecret: 'abcdef0123456789abcdef0123456789',
    body,
    rawBody: Buffer.from(body, 'utf8'),
    signatures: { sha1: sig('sha1'), sha256: sig('sha256'), sha512: sig('sha512') },
  };
}
