import { apiError, KalturaApiError } from './api-error';
import { ERR } from './error-catalog';
import type { FakeState } from './fake-state';
import { isActionPermitted } from './partner-account';
import { toText } from './list-query';
import type { Params } from './request-params';
import type { ActionContext, ServiceDefinition } from './service-definition';
import type { RecordedRequest } from './types';
import { summarizeKs, verifyKs } from './verify-ks';
import { toWire } from './wire-format';

export interface ApiCall {
  service: string;
  action: string;
  params: Params;
  httpMethod: string;
  contentType: string;
  multirequestIndex?: number;
  /** Multirequest calls: the parameters as sent, before `{N:result}` references were replaced. */
  sentParams?: Params;
}

/** Request-level fields the server consumes itself; the rest are action parameters. */
const NON_ACTION_PARAMS = new Set(['ks', 'kalsig', 'clientTag', 'apiVersion', 'format', 'service', 'action', 'multirequest', 'ignoreNull']);

/**
 * Runs one API call like KalturaDispatcher: records it, resolves service and action
 * (case-insensitively), validates the KS if one was sent (even for session.start, as the real
 * context init does), applies the auth level and any injected `forbid`, then runs the handler.
 * Returns the result or the wire error object; never throws.
 */
export function dispatchCall(state: FakeState, services: readonly ServiceDefinition[], call: ApiCall): unknown {
  const service = call.service.toLowerCase();
  const ksString = toText(call.params.ks);
  const params = actionParams(call.params);
  const record: RecordedRequest = {
    service,
    action: call.action,
    params: call.sentParams ? actionParams(call.sentParams) : params,
    ...(call.sentParams ? { resolvedParams: params } : {}),
    httpMethod: call.httpMethod,
    contentType: call.contentType,
    ...(ksString ? { ksString } : {}),
    ...(call.multirequestIndex !== undefined ? { multirequestIndex: call.multirequestIndex } : {}),
  };
  state.requests.push(record);
  try {
    // Snapshot now: a later call in the same multirequest may change the stored object.
    return toWire(run(state, services, record, params, ksString || undefined));
  } catch (error) {
    const apiFailure = error instanceof KalturaApiError ? error : internalError(state, error);
    record.errorCode = apiFailure.code;
    return apiFailure.toWire();
  }
}

/** The parameters an action sees (and a RecordedRequest shows): request-level fields removed. */
export function actionParams(all: Params): Params {
  const params: Params = {};
  for (const [key, value] of Object.entries(all)) if (!NON_ACTION_PARAMS.has(key)) params[key] = value;
  return params;
}

function run(state: FakeState, services: readonly ServiceDefinition[], record: RecordedRequest, params: Params, ksString?: string): unknown {
  const definition = services.find((s) => s.id === record.service);
  if (!definition) throw apiError(ERR.SERVICE_DOES_NOT_EXISTS, record.service);
  const action = definition.actions.find((a) => a.name.toLowerCase() === record.action.toLowerCase());
  if (!action) throw apiError(ERR.ACTION_DOES_NOT_EXISTS, record.action, record.service);
  record.action = action.name;

  const ctx: ActionContext = { state };
  if (ksString) {
    const check = verifyKs(state, ksString);
    if (!check.ok) throw check.error;
    ctx.ks = check.ks;
    ctx.ksString = ksString;
    record.ks = summarizeKs(check.ks);
  }
  const serviceAction = `${record.service}->${action.name}`;
  if (action.auth !== 'none' && !ctx.ks) throw apiError(ERR.MISSING_KS);
  if (action.auth === 'admin' && ctx.ks && ctx.ks.type < 2) throw apiError(ERR.SERVICE_FORBIDDEN, serviceAction);
  if (ctx.ks && !isActionPermitted(state.account, record.service, action.name)) throw apiError(ERR.SERVICE_FORBIDDEN, serviceAction);
  if (state.faults.takeForbid({ service: record.service, action: action.name })) {
    throw apiError(ERR.SERVICE_FORBIDDEN, serviceAction);
  }
  return action.run(params, ctx);
}

function internalError(state: FakeState, error: unknown): KalturaApiError {
  state.internalErrors.push(error instanceof Error ? error : new Error(String(error)));
  return apiError(ERR.INTERNAL_SERVERL_ERROR);
}
