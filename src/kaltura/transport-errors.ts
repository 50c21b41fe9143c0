/**
 * Maps what `kaltura-client` rejects with to our typed errors. The library rejects with
 * the plain `KalturaAPIException` object (not an Error) or an AxiosError. Neither is kept
 * as `cause` as is: the AxiosError carries the request body (secret, KS) in `config.data`,
 * and INVALID_KS errors echo the KS. Causes are rebuilt from safe fields only.
 */
import { KalturaAPIError, KalturaTransportError, type TransportFailure } from './errors';
import { isRecord, type JsonRecord } from './parse';
import type { Redactor } from './redact';

/** Thrown by our response interceptor for a 2xx answer that is not JSON. */
export class NonJsonResponse extends Error {
  override readonly name = 'NonJsonResponse';
  constructor(
    readonly status: number,
    readonly contentType: string,
  ) {
    super(`non-JSON response (${contentType || 'no content type'})`);
  }
}

/** Args that contain a session token whatever their value. */
const SECRET_ARGS = new Set(['KSID', 'KS']);

export function toApiError(raw: JsonRecord, service: string, action: string, redact: Redactor): KalturaAPIError {
  const code = String(raw['code']);
  const message = redact(typeof raw['message'] === 'string' && raw['message'] !== '' ? raw['message'] : code);
  const args: Record<string, string> = {};
  // Kaltura sends `[]` (not `{}`) when an error has no arguments
  if (isRecord(raw['args'])) {
    for (const [k, v] of Object.entries(raw['args'])) args[k] = SECRET_ARGS.has(k) ? '[redacted]' : redact(String(v));
  }
  const cause = { objectType: 'KalturaAPIException', code, message, args };
  return new KalturaAPIError(code, message, args, service, action, { cause });
}

function classify(code: string | undefined, status: number | undefined): [TransportFailure, boolean] {
  if (status !== undefined) return ['http', status >= 500 || status === 408 || status === 429];
  switch (code) {
    case 'ECONNABORTED':
    case 'ETIMEDOUT':
    case 'ESOCKETTIMEDOUT':
      return ['timeout', true];
    case 'ECONNREFUSED':
      return ['refused', true];
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ERR_SOCKET_CONNECTION_TIMEOUT':
      return ['reset', true];
    case 'EAI_AGAIN':
      return ['dns', true];
    case 'ENOTFOUND':
      return ['dns', false];
    default:
      return ['network', true];
  }
}

export function toTransportError(err: unknown, service: string, action: string, attempts: number, redact: Redactor): KalturaTransportError {
  const obj = isRecord(err) ? err : {};
  const code = typeof obj['code'] === 'string' ? obj['code'] : undefined;
  const response = isRecord(obj['response']) ? obj['response'] : undefined;
  const status = typeof response?.['status'] === 'number' ? response['status'] : undefined;
  const [failure, retryable] = classify(code, status);
  const original = err instanceof Error ? redact(err.message) : 'unknown failure';
  const detail = failure === 'http' ? `HTTP ${status}` : `${failure} (${code ?? original})`;
  const cause = Object.assign(new Error(original), { code, status });
  return new KalturaTransportError(failure, service, action, retryable, status, attempts, detail, { cause });
}
