import { dispatchCall, type ApiCall } from './dispatch-call';
import type { FakeState } from './fake-state';
import { toText } from './list-query';
import { isPlainObject, type Params } from './request-params';
import type { ServiceDefinition } from './service-definition';

/** Common parameters the server copies into each call that lacks them (KalturaFrontController). */
const COPIED_PARAMS = ['clientTag', 'ks', 'partnerId'] as const;

const REFERENCE = /\{([0-9]+):result:?([^}]*)\}/g;

/** The numbered calls of a multirequest, in execution order (keys "0".."n" or "1".."n"). */
export function multirequestCalls(params: Params): Array<{ index: number; call: Params }> {
  const calls = Object.entries(params)
    .filter(([key, value]) => /^[0-9]+$/.test(key) && isPlainObject(value))
    .map(([key, value]) => ({ index: Number(key), call: value as Params }))
    .sort((a, b) => a.index - b.index);
  // The server walks from the lowest index and stops at the first gap or call without service/action.
  const ordered: Array<{ index: number; call: Params }> = [];
  let expected = calls[0]?.index;
  for (const entry of calls) {
    if (entry.index !== expected || !toText(entry.call.service) || !toText(entry.call.action)) break;
    ordered.push(entry);
    expected = entry.index + 1;
  }
  return ordered;
}

/**
 * Runs a multirequest (§1.4): calls in order, each with the top-level ks/partnerId/clientTag
 * unless it has its own, `{N:result[:path]}` references (N = 1-based execution index, at any
 * depth, also inside longer strings) replaced from earlier results, a missing value becoming ''.
 * Errors stay inline in the returned array.
 */
export function runMultirequest(
  state: FakeState,
  services: readonly ServiceDefinition[],
  params: Params,
  meta: Pick<ApiCall, 'httpMethod' | 'contentType'>,
): unknown[] {
  const results: unknown[] = [];
  for (const { index, call } of multirequestCalls(params)) {
    const prepared: Params = structuredClone(call);
    for (const key of COPIED_PARAMS) {
      if (prepared[key] === undefined && params[key] !== undefined) prepared[key] = params[key];
    }
    const resolved = substitute(prepared, results) as Params;
    results.push(
      dispatchCall(state, services, {
        service: toText(resolved.service) ?? '',
        action: toText(resolved.action) ?? '',
        params: resolved,
        sentParams: prepared,
        multirequestIndex: index,
        ...meta,
      }),
    );
  }
  return results;
}

function substitute(value: unknown, results: readonly unknown[]): unknown {
  if (typeof value === 'string') {
    return value.replace(REFERENCE, (whole, n: string, path: string) => {
      const position = Number(n);
      // Only earlier calls can be referenced; a forward reference stays as it is.
      if (position < 1 || position > results.length) return whole;
      return referenceText(valueAt(results[position - 1], path === '' ? [] : path.split(':')));
    });
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, results));
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, results)]));
  }
  return value;
}

/** `getValueFromObject`: walks properties and array offsets; an object at the end yields nothing. */
function valueAt(value: unknown, path: string[]): unknown {
  const [head, ...rest] = path;
  if (head === undefined || head === '') return typeof value === 'object' && value !== null ? undefined : value;
  if (Array.isArray(value)) return valueAt(value[Number(head)], rest);
  if (isPlainObject(value)) return valueAt(value[head], rest);
  return undefined;
}

function referenceText(value: unknown): string {
  if (value === undefined || value === null || value === false) return '';
  if (value === true) return '1';
  return String(value);
}
