import { phpJsonEncode } from './php-encoding';
import { isPlainObject } from './request-params';

/**
 * Shapes a result like KalturaJsonSerializer (§1.5): null properties are omitted and
 * `objectType` comes last. Arrays keep their items; scalars pass through.
 */
export function toWire(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toWire);
  if (value instanceof Map) return toWire(Object.fromEntries(value));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (field === null || field === undefined || key === 'objectType') continue;
    out[key] = toWire(field);
  }
  if (typeof value.objectType === 'string') out.objectType = value.objectType;
  return out;
}

/** The HTTP body for a result: PHP-style JSON; a void result (undefined) is the literal `null`. */
export function serializeResult(value: unknown): string {
  return phpJsonEncode(value === undefined ? null : toWire(value));
}

export function listResponse(objectType: string, objects: unknown[], totalCount: number): Record<string, unknown> {
  return { objects, totalCount, objectType };
}
