import { expect } from 'vitest';
import type { KalturaConfig } from '../../../src/config/config-types';
import type { Logger } from '../../../src/core/logger';
import type { FakeKaltura } from '../../fakes/kaltura/index';

/** A Logger that keeps every line (bindings, fields and message) as JSON text. */
export interface CapturingLogger extends Logger {
  readonly lines: string[];
}

export function createCapturingLogger(lines: string[] = [], bindings: Record<string, unknown> = {}): CapturingLogger {
  const fn =
    (level: string) =>
    (objOrMsg: object | string, msg?: string): void => {
      const fields = typeof objOrMsg === 'string' ? {} : objOrMsg;
      const text = typeof objOrMsg === 'string' ? objOrMsg : (msg ?? '');
      lines.push(JSON.stringify({ level, ...bindings, ...fields, msg: text }, (_k, v: unknown) => (v instanceof Error ? { name: v.name, message: v.message, cause: v.cause, stack: v.stack } : v)));
    };
  return {
    lines,
    trace: fn('trace'),
    debug: fn('debug'),
    info: fn('info'),
    warn: fn('warn'),
    error: fn('error'),
    fatal: fn('fatal'),
    child: (more) => createCapturingLogger(lines, { ...bindings, ...more }),
  };
}

export function configFor(fake: FakeKaltura, overrides: Partial<KalturaConfig> = {}): KalturaConfig {
  return {
    partnerId: fake.partnerId,
    adminSecret: fake.adminSecret,
    serviceUrl: fake.url,
    kafUrl: fake.kafUrl,
    requestTimeout: 2_000,
    search: 'auto',
    ...overrides,
  };
}

/** Fast, deterministic backoff for tests. */
export const FAST_RETRY = { retries: 2, baseDelayMs: 5, maxDelayMs: 10 };

/** Everything an error exposes when logged or serialized, including its cause chain. */
export function errorText(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    if (current instanceof Error) {
      parts.push(current.message, String(current.stack), JSON.stringify(current));
      current = current.cause;
    } else {
      parts.push(JSON.stringify(current));
      break;
    }
  }
  return parts.join('\n');
}

/** Asserts that no secret and no KS (`djJ8…`) appears in the given texts. */
export function expectNoSecrets(texts: readonly string[], secrets: readonly string[]): void {
  for (const text of texts) {
    expect(text).not.toMatch(/djJ8/);
    for (const secret of secrets) expect(text).not.toContain(secret);
  }
}

export async function catchError(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the promise to reject');
}

export function countCalls(fake: FakeKaltura, service: string, action: string): number {
  return fake.requests.filter((r) => r.service === service && r.action === action).length;
}
