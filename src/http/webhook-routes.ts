/**
 * `POST /webhooks/kaltura`: Kaltura HTTP event notifications in. The body is read with a
 * hard limit, verified and parsed by the `WebhookVerifier` port, stored in the inbox (a
 * redelivery is recognised there) and answered 200 before any processing: Kaltura retries
 * anything but 200/204, and a slow answer is a retry too. Bad input gets a 4xx with a short
 * JSON reason and stores nothing; it is never a 500.
 * @see /work/shared/reference/kaltura-api.md §4 (shapes, retries, signature)
 */
import { createHash } from 'node:crypto';
import type { H3, H3Event } from 'h3';
import type { Logger } from '../core/logger';
import type { MetricsRecorder } from '../core/ports/metrics';
import { WebhookError, type WebhookEvent, type WebhookVerifier } from '../core/ports/webhook-verifier';
import type { RouteGroup } from './create-http-app';
import { readLimitedBody } from './read-limited-body';
import { selfTestNonce } from './webhook-self-test';
import { createRateLimitedLog } from '../logging/rate-limited-log';

export const WEBHOOK_PATH = '/webhooks/kaltura';
export const DEFAULT_MAX_WEBHOOK_BYTES = 256 * 1024;

export interface WebhookRoutesOptions {
  readonly verifier: WebhookVerifier;
  readonly inbox: { accept(event: WebhookEvent, rawHash: string): Promise<'stored' | 'duplicate'> };
  /** `webhooks.enabled`; when false the path is not served (404). */
  readonly enabled: boolean;
  readonly logger: Logger;
  /** Called (on the next turn, after the answer is handed over) when a new event was stored. */
  readonly onAccepted?: () => void;
  /** Default 256 KiB; a notification of one entry is a few KiB. */
  readonly maxBodyBytes?: number;
  /** Counts deliveries, rejections by reason and redeliveries; optional. */
  readonly metrics?: Pick<MetricsRecorder, 'webhookReceived' | 'webhookRejected' | 'webhookDuplicate'>;
  /** Refusal lines written per kind and minute before they are only counted; default 10. */
  readonly refusalLogLimit?: number;
}

const json = (status: number, body: Record<string, string>, extra: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...extra } });

/** Verification codes raised only after the signature held (the port checks it before parsing). */
const AFTER_SIGNATURE = new Set(['MALFORMED_BODY', 'MISSING_FIELDS']);

export function webhookRoutes(options: WebhookRoutesOptions): RouteGroup {
  const { verifier, inbox, logger, metrics } = options;
  const maxBytes = options.maxBodyBytes ?? DEFAULT_MAX_WEBHOOK_BYTES;
  // anyone can post garbage here: refusals are rate-limited so a flood cannot fill the disk
  const refusals = createRateLimitedLog({ logger, ...(options.refusalLogLimit !== undefined && { limit: options.refusalLogLimit }) });

  async function receive(event: H3Event): Promise<Response> {
    metrics?.webhookReceived();
    let rawBody: Uint8Array | 'too-large';
    try {
      rawBody = await readLimitedBody(event.req, maxBytes);
    } catch (err) {
      refusals('info', 'webhook body could not be read', { cause: (err as Error).message }, 'webhook body could not be read');
      metrics?.webhookRejected('UNREADABLE_BODY');
      return json(400, { status: 'rejected', reason: 'UNREADABLE_BODY' });
    }
    if (rawBody === 'too-large') {
      refusals('warn', 'webhook refused: body too large', { maxBytes }, 'webhook refused: body too large');
      metrics?.webhookRejected('BODY_TOO_LARGE');
      return json(413, { status: 'rejected', reason: 'BODY_TOO_LARGE' });
    }

    let parsed: WebhookEvent | undefined;
    let failure: unknown;
    try {
      parsed = verifier.receive({ rawBody, headers: Object.fromEntries(event.req.headers) });
    } catch (err) {
      failure = err;
    }
    // A doctor self-test is a signed body of our own shape, which parses as `unknown` (or fails parsing).
    if (parsed?.kind === 'unknown' || (failure instanceof WebhookError && AFTER_SIGNATURE.has(failure.code))) {
      const nonce = selfTestNonce(rawBody);
      if (nonce !== undefined) {
        logger.info('webhook self-test answered');
        return json(200, { status: 'self-test', nonce });
      }
    }
    if (failure !== undefined || parsed === undefined) return refuse(failure);

    const rawHash = createHash('sha256').update(rawBody).digest('hex');
    let outcome: 'stored' | 'duplicate';
    try {
      outcome = await inbox.accept(parsed, rawHash);
    } catch (err) {
      logger.error({ err, kind: parsed.kind, jobId: parsed.jobId }, 'could not store a webhook event; Kaltura will retry it');
      metrics?.webhookRejected('STORE_UNAVAILABLE');
      return json(503, { status: 'unavailable', reason: 'STORE_UNAVAILABLE' }, { 'retry-after': '30' });
    }
    if (outcome === 'duplicate') {
      logger.debug({ kind: parsed.kind, jobId: parsed.jobId }, 'webhook redelivery ignored');
      metrics?.webhookDuplicate();
      return json(200, { status: 'duplicate' });
    }
    logger.debug({ kind: parsed.kind, jobId: parsed.jobId }, 'webhook accepted'); // every upload in the account is an entry.ready: not info-worthy
    if (options.onAccepted) {
      const onAccepted = options.onAccepted;
      setImmediate(() => {
        try {
          onAccepted();
        } catch (err) {
          logger.error({ err }, 'starting webhook processing failed; the periodic pass will pick the event up');
        }
      });
    }
    return json(200, { status: 'accepted' });
  }

  function refuse(err: unknown): Response {
    if (err instanceof WebhookError) {
      // 401s are what a wrong secret or a stranger looks like: worth an operator's attention.
      const level = err.status === 401 || err.status === 503 ? 'warn' : 'info';
      refusals(level, `webhook refused (${err.code})`, { code: err.code, status: err.status }, `webhook refused: ${err.message}`);
      metrics?.webhookRejected(err.code);
      return json(err.status, { status: 'rejected', reason: err.code }, err.status === 503 ? { 'retry-after': '300' } : {});
    }
    refusals('error', 'webhook verification failed unexpectedly', { cause: err instanceof Error ? err.message : String(err) }, 'webhook verification failed unexpectedly');
    metrics?.webhookRejected('UNREADABLE_BODY');
    return json(400, { status: 'rejected', reason: 'UNREADABLE_BODY' });
  }

  return (app: H3) => {
    if (!options.enabled) return; // the app's catch-all answers 404
    app.post(WEBHOOK_PATH, receive);
    app.all(WEBHOOK_PATH, () => json(405, { status: 'rejected', reason: 'METHOD_NOT_ALLOWED' }, { allow: 'POST' }));
  };
}
