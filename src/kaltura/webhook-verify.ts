/**
 * Verifies `X-KALTURA-SIGNATURE` on HTTP event notifications. Kaltura signs with a plain
 * hash (not an HMAC) of the partner's admin secret followed by the exact body bytes:
 * `hex(algo(adminSecret . rawBody))`, algo from `X-KALTURA-HASH-ALGO` (sha1 when absent,
 * which is what older servers send). Pure: no `kaltura-client` import.
 * @see https://github.com/kaltura/server/blob/Venus-22.19.0/plugins/event_notification/providers/http/batch/KDispatchHttpNotificationEngine.php
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { WebhookError, type WebhookRequest } from '../core/ports/webhook-verifier';

export const SUPPORTED_WEBHOOK_ALGOS = ['sha1', 'sha256', 'sha512'] as const;
export type WebhookHashAlgo = (typeof SUPPORTED_WEBHOOK_ALGOS)[number];

const HEX_LENGTH: Record<WebhookHashAlgo, number> = { sha1: 40, sha256: 64, sha512: 128 };

/** Case-insensitive single header value; a repeated header is ambiguous and refused. */
export function headerValue(headers: WebhookRequest['headers'], name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    if (typeof value === 'string') return value;
    if (value.length === 1) return value[0];
    return value.length === 0 ? undefined : '\u0000ambiguous';
  }
  return undefined;
}

export function signWebhookBody(adminSecret: string, rawBody: Uint8Array, algo: WebhookHashAlgo = 'sha1'): string {
  return createHash(algo).update(Buffer.from(adminSecret, 'utf8')).update(rawBody).digest('hex');
}

/** Throws a `WebhookError` unless the request carries a valid signature for `adminSecret`. */
export function verifyWebhookSignature(request: WebhookRequest, adminSecret: string): WebhookHashAlgo {
  const signature = headerValue(request.headers, 'x-kaltura-signature')?.trim();
  if (!signature) throw new WebhookError('MISSING_SIGNATURE', 'The X-KALTURA-SIGNATURE header is missing');
  const algoHeader = headerValue(request.headers, 'x-kaltura-hash-algo')?.trim().toLowerCase();
  const algo = (algoHeader || 'sha1') as WebhookHashAlgo;
  if (!SUPPORTED_WEBHOOK_ALGOS.includes(algo)) {
    // the header value is attacker-controlled: describe it, don't echo it
    throw new WebhookError('UNSUPPORTED_ALGO', 'X-KALTURA-HASH-ALGO is not one of sha1, sha256, sha512');
  }
  const received = signature.toLowerCase();
  if (received.length !== HEX_LENGTH[algo] || !/^[0-9a-f]+$/.test(received)) {
    throw new WebhookError('BAD_SIGNATURE', `The signature is not a ${algo} hex digest`);
  }
  const expected = signWebhookBody(adminSecret, request.rawBody, algo);
  if (!timingSafeEqual(Buffer.from(received, 'latin1'), Buffer.from(expected, 'latin1'))) {
    throw new WebhookError('BAD_SIGNATURE', 'The signature does not match the body');
  }
  return algo;
}
