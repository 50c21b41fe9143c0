import type { IncomingMessage } from 'node:http';
import { parsePhpQuery } from './php-encoding';

/** Request parameters after body parsing: nested objects of strings, numbers, booleans. */
export type Params = Record<string, unknown>;

export interface ParsedRequest {
  params: Params;
  /** Content-Type header as sent ('' when absent). */
  contentType: string;
  rawBody: string;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;

export async function readRawBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large for the fake');
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Reads parameters the way `infraRequestUtils::getRequestParams` does: the body is JSON-decoded
 * only when Content-Type lower-cased is exactly `application/json` and the body is `{…}`;
 * otherwise PHP's `$_POST` applies, which is filled only for urlencoded forms (so
 * `application/json; charset=utf-8` arrives as no parameters at all). Query parameters win.
 */
export async function readRequestParams(req: IncomingMessage, url: URL): Promise<ParsedRequest> {
  const rawBody = await readRawBody(req);
  const contentType = req.headers['content-type'] ?? '';
  const lowered = contentType.toLowerCase();
  let params: Params = {};
  const trimmed = rawBody.trim();
  if (lowered === 'application/json' && trimmed.startsWith('{') && trimmed.endsWith('}')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (isPlainObject(parsed)) params = parsed;
    } catch {
      // PHP's json_decode returns null here and the request runs with no parameters.
    }
  } else if (lowered.startsWith('application/x-www-form-urlencoded')) {
    params = parseFormFields(rawBody);
  }
  for (const [key, value] of url.searchParams) setNested(params, splitParamName(key), value);
  return { params, contentType, rawBody };
}

/** Form fields with `a:b=` and `a[b]=` nesting, as KalturaRequestDeserializer reads them. */
export function parseFormFields(body: string): Params {
  const params: Params = {};
  for (const [key, value] of parsePhpQuery(body)) setNested(params, splitParamName(key), value);
  return params;
}

/** `filter:objectType` and `filter[objectType]` (and mixes like `0:filter[name]`) → path segments. */
export function splitParamName(name: string): string[] {
  const bracket = name.indexOf('[');
  const base = bracket < 0 ? name : name.slice(0, bracket);
  const segments = base.split(':');
  if (bracket >= 0) {
    for (const match of name.slice(bracket).matchAll(/\[([^\]]*)\]/g)) segments.push(match[1] ?? '');
  }
  return segments;
}

function setNested(target: Params, path: string[], value: unknown): void {
  let node = target;
  path.forEach((segment, i) => {
    if (i === path.length - 1) {
      node[segment] = value;
      return;
    }
    const next = node[segment];
    if (isPlainObject(next)) {
      node = next;
    } else {
      const created: Params = {};
      node[segment] = created;
      node = created;
    }
  });
}

export function isPlainObject(value: unknown): value is Params {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
