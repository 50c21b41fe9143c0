/**
 * Field readers for the sync protocol's JSON frames. Each throws FrameError with a message that
 * names the field, so a refused frame tells the sender exactly what was wrong. No imports: the
 * browser client bundles this too.
 */
export class FrameError extends Error {}
export type Obj = Record<string, unknown>;

export const fail = (msg: string): never => {
  throw new FrameError(msg);
};

/** UTF-8 length without allocating; stops counting once past `stopAfter`. */
export function utf8Length(text: string, stopAfter = Infinity): number {
  let n = 0;
  for (let i = 0; i < text.length && n <= stopAfter; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Size check BEFORE JSON.parse (a huge frame never reaches the parser), then object with a string `t`. */
export function decode(text: unknown, maxBytes: number): Obj {
  if (typeof text !== 'string') fail('frame must be a text frame');
  const s = text as string;
  if (utf8Length(s, maxBytes) > maxBytes) fail(`frame larger than ${maxBytes} bytes`);
  let v: unknown;
  try {
    v = JSON.parse(s);
  } catch {
    fail('frame is not JSON');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail('frame must be a JSON object');
  const o = v as Obj;
  if (typeof o.t !== 'string') fail('frame needs a string "t"');
  return o;
}

export function only(o: Obj, keys: readonly string[]): void {
  for (const k of Object.keys(o)) if (k !== 't' && !keys.includes(k)) fail(`unexpected field "${k.slice(0, 20)}" in ${String(o.t)}`);
}

export function num(o: Obj, k: string, min: number, max: number): number {
  const v = o[k];
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(`"${k}" must be a finite number`);
  const n = v as number;
  if (n < min || n > max) fail(`"${k}" must be between ${min} and ${max}`);
  return n;
}

export function optNum(o: Obj, k: string, min: number, max: number): number | undefined {
  return o[k] === undefined ? undefined : num(o, k, min, max);
}

export function int(o: Obj, k: string): number {
  const n = num(o, k, 0, Number.MAX_SAFE_INTEGER);
  if (!Number.isInteger(n)) fail(`"${k}" must be an integer`);
  return n;
}

export function str(o: Obj, k: string, max: number, pattern?: RegExp): string {
  const v = o[k];
  if (typeof v !== 'string' || v.length === 0 || v.length > max) fail(`"${k}" must be a string of 1..${max} characters`);
  if (pattern && !pattern.test(v as string)) fail(`"${k}" has characters that are not allowed`);
  return v as string;
}

export function optStr(o: Obj, k: string, max: number, pattern?: RegExp): string | undefined {
  return o[k] === undefined ? undefined : str(o, k, max, pattern);
}

export function oneOf<T extends string>(o: Obj, k: string, allowed: readonly T[]): T {
  const v = o[k];
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) fail(`"${k}" must be one of ${allowed.join(', ')}`);
  return v as T;
}

export function bool(o: Obj, k: string): boolean {
  if (typeof o[k] !== 'boolean') fail(`"${k}" must be a boolean`);
  return o[k] as boolean;
}

/** Runs a parser; FrameError → {error}, anything else → a generic error (never throws). */
export function guarded<F>(parse: () => F): F | { readonly error: string } {
  try {
    return parse();
  } catch (e) {
    return { error: e instanceof FrameError ? e.message : 'frame could not be read' };
  }
}
