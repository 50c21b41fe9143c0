/**
 * JSON in and out for the Activity's API: bodies read with a hard limit (4 KB: the largest
 * request is an access token and an instance id), errors as `{error: '<stable id>', message}`.
 * Nothing a caller sent (a code, a token) is ever echoed back.
 */
import { readLimitedBody } from './read-limited-body';

export const MAX_API_BODY_BYTES = 4 * 1024;

const HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

export function jsonResponse(status: number, body: unknown, extra: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...HEADERS, ...extra } });
}

/** A refusal the client can match on (`error`) and show (`message`). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly id: string,
    message: string,
    readonly extra: Record<string, string> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
  toResponse(): Response {
    return jsonResponse(this.status, { error: this.id, message: this.message, ...this.extra }, this.headers);
  }
}

/** The request's JSON object body; ApiError 413/415/400 for anything else. */
export async function readJsonObject(request: Request): Promise<Record<string, unknown>> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) throw new ApiError(415, 'bad-content-type', 'Send the body as application/json.');
  let raw: Uint8Array | 'too-large';
  try {
    raw = await readLimitedBody(request, MAX_API_BODY_BYTES);
  } catch {
    throw new ApiError(400, 'bad-body', 'The request body could not be read.');
  }
  if (raw === 'too-large') throw new ApiError(413, 'body-too-large', `The request body is larger than ${MAX_API_BODY_BYTES} bytes.`);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch {
    throw new ApiError(400, 'bad-json', 'The request body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ApiError(400, 'bad-body', 'The request body must be a JSON object.');
  return value as Record<string, unknown>;
}

/** A required string field of 1..max characters matching `pattern`; the value itself never appears in the error. */
export function stringField(body: Record<string, unknown>, name: string, max: number, pattern: RegExp): string {
  const v = body[name];
  if (typeof v !== 'string' || v.length === 0) throw new ApiError(400, 'bad-body', `"${name}" is required and must be a string.`);
  if (v.length > max || !pattern.test(v)) throw new ApiError(400, 'bad-body', `"${name}" is not valid.`);
  return v;
}

/** OAuth codes and access tokens: opaque URL-safe text. */
export const OPAQUE = /^[A-Za-z0-9._~+/=-]+$/;
/** Discord snowflakes (17..20 digits). */
export const SNOWFLAKE = /^\d{17,20}$/;
/** Kaltura entry ids. */
export const ENTRY_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Activity instance ids are opaque ids like `i-1234…-gc-…`; letters, digits and dashes. */
export const INSTANCE_ID = /^[A-Za-z0-9_-]{1,128}$/;
