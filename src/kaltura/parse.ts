/**
 * Small validators for Kaltura responses. `kaltura-client` resolves with whatever JSON
 * arrived, so every result is checked at the boundary; a mismatch throws `ShapeError`,
 * which the transport turns into a `KalturaResponseError` naming the call.
 */
export class ShapeError extends Error {
  override readonly name = 'ShapeError';
}

export type JsonRecord = Readonly<Record<string, unknown>>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asRecord(value: unknown, what: string): JsonRecord {
  if (!isRecord(value)) throw new ShapeError(`${what} is not an object`);
  return value;
}

/** Integer fields; numeric strings are accepted because Kaltura sends some enums as strings. */
export function intField(obj: JsonRecord, field: string): number {
  const v = obj[field];
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw new ShapeError(`${field} is not an integer`);
  return n;
}

export function optInt(obj: JsonRecord, field: string): number | undefined {
  return obj[field] === undefined || obj[field] === null ? undefined : intField(obj, field);
}

export function strField(obj: JsonRecord, field: string): string {
  const v = obj[field];
  if (typeof v !== 'string') throw new ShapeError(`${field} is not a string`);
  return v;
}

export function optStr(obj: JsonRecord, field: string): string | undefined {
  const v = obj[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new ShapeError(`${field} is not a string`);
  return v;
}

export interface ListResponse<T> {
  readonly objects: T[];
  readonly totalCount: number;
}

/** `{objects, totalCount}`; Kaltura omits `objects` when the list is empty. */
export function asList<T>(value: unknown, item: (raw: unknown) => T): ListResponse<T> {
  const obj = asRecord(value, 'list response');
  const objects = obj['objects'] ?? [];
  if (!Array.isArray(objects)) throw new ShapeError('objects is not an array');
  return { objects: objects.map(item), totalCount: optInt(obj, 'totalCount') ?? objects.length };
}

export function asNonEmptyString(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') throw new ShapeError(`${what} is not a non-empty string`);
  return value;
}

/** Void actions answer JSON `null`; anything is accepted, nothing is returned. */
export const ignoreResult = (): void => undefined;
