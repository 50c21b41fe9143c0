import type { ErrorTemplate } from './error-catalog';

/** The wire shape of an API error: keys in exactly this order, `args` is `[]` when empty (§1.5). */
export interface WireApiError {
  code: string;
  message: string;
  objectType: 'KalturaAPIException';
  args: Record<string, string> | [];
}

/** Thrown by action handlers; the dispatcher turns it into a `KalturaAPIException` reply. */
export class KalturaApiError extends Error {
  override readonly name = 'KalturaApiError';
  constructor(
    readonly code: string,
    message: string,
    readonly args: Record<string, string>,
  ) {
    super(message);
  }

  toWire(): WireApiError {
    const hasArgs = Object.keys(this.args).length > 0;
    return { code: this.code, message: this.message, objectType: 'KalturaAPIException', args: hasArgs ? this.args : [] };
  }
}

/**
 * Port of `APIErrors::getErrorData`: fills the template's named arguments in order, replaces
 * `@NAME@` in the message, strips tags from values, and uses "N/A" for a missing value.
 */
export function apiError(template: ErrorTemplate, ...values: Array<string | number>): KalturaApiError {
  const first = template.indexOf(';');
  const second = template.indexOf(';', first + 1);
  const code = template.slice(0, first);
  const names = template.slice(first + 1, second);
  let message = template.slice(second + 1);
  const args: Record<string, string> = {};
  if (names !== '') {
    names.split(',').forEach((name, i) => {
      const raw = values[i];
      const value = raw === undefined ? 'N/A' : String(raw).replace(/<[^>]*>/g, '');
      args[name] = value;
      message = message.split(`@${name}@`).join(value);
    });
  }
  return new KalturaApiError(code, message, args);
}

export function isWireApiError(value: unknown): value is WireApiError {
  return typeof value === 'object' && value !== null && (value as { objectType?: unknown }).objectType === 'KalturaAPIException';
}
