import { apiError } from './api-error';
import { ERR } from './error-catalog';
import { toNumber, toText } from './list-query';
import { isPlainObject, type Params } from './request-params';

/** Reading action parameters the way the dispatcher's reflection-based checks do. */

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null;
}

/** A mandatory scalar parameter; absent → MISSING_MANDATORY_PARAMETER {PARAM_NAME}. */
export function requiredText(params: Params, name: string): string {
  const value = toText(params[name]);
  if (value === undefined) throw apiError(ERR.MISSING_MANDATORY_PARAMETER, name);
  return value;
}

export function optionalText(params: Params, name: string): string | undefined {
  return toText(params[name]);
}

/** A mandatory int parameter. A non-numeric value is passed through as text, so the lookup fails with the value in the error. */
export function requiredId(params: Params, name: string): number | string {
  const value = params[name];
  if (isAbsent(value)) throw apiError(ERR.MISSING_MANDATORY_PARAMETER, name);
  return toNumber(value) ?? String(value);
}

export function optionalNumber(params: Params, name: string): number | undefined {
  return toNumber(params[name]);
}

/** A mandatory object parameter (e.g. `scheduleResource`). */
export function requiredObject(params: Params, name: string): Params {
  const value = params[name];
  if (!isPlainObject(value)) throw apiError(ERR.MISSING_MANDATORY_PARAMETER, name);
  return value;
}

export function optionalObject(params: Params, name: string): Params {
  const value = params[name];
  return isPlainObject(value) ? value : {};
}

/**
 * Validates the `objectType` of an object parameter: missing (the declared, abstract class) or
 * another abstract class → OBJECT_TYPE_ABSTRACT, unknown → INVALID_OBJECT_TYPE. Returns the type to echo.
 */
export function concreteObjectType(
  value: Params,
  types: { abstract: readonly [string, ...string[]]; accepted: readonly string[] },
): string {
  const type = toText(value.objectType) ?? types.abstract[0];
  if (types.accepted.includes(type)) return type;
  if (types.abstract.includes(type)) throw apiError(ERR.OBJECT_TYPE_ABSTRACT, type);
  throw apiError(ERR.INVALID_OBJECT_TYPE, type);
}

/** `validatePropertyNotNull` + `@minLength/@maxLength`, with the `Class::prop` naming the server uses. */
export function validateText(
  value: Params,
  objectType: string,
  prop: string,
  rules: { required?: boolean; min?: number; max?: number },
): void {
  const raw = value[prop];
  const name = `${objectType}::${prop}`;
  if (isAbsent(raw)) {
    if (rules.required) throw apiError(ERR.PROPERTY_VALIDATION_CANNOT_BE_NULL, name);
    return;
  }
  const length = Array.from(toText(raw) ?? '').length;
  if (rules.min !== undefined && length < rules.min) throw apiError(ERR.PROPERTY_VALIDATION_MIN_LENGTH, name, rules.min);
  if (rules.max !== undefined && length > rules.max) throw apiError(ERR.PROPERTY_VALIDATION_MAX_LENGTH, name, rules.max);
}

export function requireNotNull(value: Params, objectType: string, prop: string): void {
  if (isAbsent(value[prop])) {
    throw apiError(ERR.PROPERTY_VALIDATION_CANNOT_BE_NULL, `${objectType}::${prop}`);
  }
}

/** Copies the writable fields of an input object (read-only fields are ignored, as documented). */
export function writableFields(value: Params, readOnly: readonly string[]): Params {
  const out: Params = {};
  for (const [key, field] of Object.entries(value)) {
    if (key === 'objectType' || readOnly.includes(key) || isAbsent(field)) continue;
    out[key] = field;
  }
  return out;
}
