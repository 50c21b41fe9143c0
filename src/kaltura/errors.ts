/**
 * Errors of the Kaltura adapter, typed by who can act on them. All extend the core's
 * `UpstreamError`, so the core can handle them without importing this adapter.
 * Messages and fields never contain a secret or a KS (they pass through a Redactor).
 * Pure: no `kaltura-client` import.
 */
import { UpstreamError } from '../core/ports/upstream-error';

export { WebhookError, type WebhookErrorCode } from '../core/ports/webhook-verifier';

/** Arguments of an API error, e.g. `{ ID: "999" }`; Kaltura sends `[]` when there are none. */
export type KalturaErrorArgs = Readonly<Record<string, string>>;

/** Kaltura answered with a `KalturaAPIException` (HTTP 200 with `code`/`message`). */
export class KalturaAPIError extends UpstreamError {
  override readonly name = 'KalturaAPIError';
  readonly upstream = 'kaltura';
  readonly retryable = false;
  constructor(
    readonly code: string,
    message: string,
    readonly args: KalturaErrorArgs,
    readonly service: string,
    readonly action: string,
    options?: { cause?: unknown },
  ) {
    super(`${service}.${action}: ${code}: ${message}`, options);
  }
}

export type TransportFailure = 'timeout' | 'refused' | 'reset' | 'dns' | 'http' | 'network';

/** The request did not get a usable HTTP answer: refused, reset, timed out, or a non-2xx status. */
export class KalturaTransportError extends UpstreamError {
  override readonly name = 'KalturaTransportError';
  readonly upstream = 'kaltura';
  constructor(
    readonly failure: TransportFailure,
    readonly service: string,
    readonly action: string,
    readonly retryable: boolean,
    /** HTTP status when `failure` is `http`. */
    readonly status: number | undefined,
    /** How many attempts were made in total. */
    readonly attempts: number,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${service}.${action}: ${detail}`, options);
  }
}

/** A 2xx answer that is not what the action returns (an HTML page, a string for an object, …). */
export class KalturaResponseError extends UpstreamError {
  override readonly name = 'KalturaResponseError';
  readonly upstream = 'kaltura';
  constructor(
    readonly service: string,
    readonly action: string,
    detail: string,
    /** True for a non-JSON page (maintenance, proxy); false for a JSON value of the wrong shape. */
    readonly retryable: boolean,
  ) {
    super(`${service}.${action}: unexpected response: ${detail}`);
  }
}

/** A feature needs a credential that is not configured (e.g. webhooks without the admin secret). */
export class KalturaCapabilityError extends UpstreamError {
  override readonly name = 'KalturaCapabilityError';
  readonly upstream = 'kaltura';
  readonly retryable = false;
  constructor(
    readonly capability: string,
    message: string,
  ) {
    super(message);
  }
}

/** The adapter was closed; no further calls are made. */
export class KalturaClosedError extends UpstreamError {
  override readonly name = 'KalturaClosedError';
  readonly upstream = 'kaltura';
  readonly retryable = false;
  constructor() {
    super('The Kaltura adapter is closed');
  }
}

export function isApiError(err: unknown, ...codes: string[]): err is KalturaAPIError {
  return err instanceof KalturaAPIError && (codes.length === 0 || codes.includes(err.code));
}
