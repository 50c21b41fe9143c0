/**
 * What the Activity's API answers when the core refuses or fails. Refusals keep the core's stable
 * id and safe message; anything unexpected is a 503 with a reference that is also logged (the
 * detail stays in the log), never a 500 with internals.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../core/logger';
import { UserError } from '../core/user-error';
import { ApiError } from './activity-api-json';

const AUTH_STATUSES = new Set([400, 401, 403, 404, 409, 410, 429]);

/** E2's ActivityAuthError (matched by shape): `id`, `status` and a message safe to show. */
function authRefusal(err: unknown): ApiError | undefined {
  if (!(err instanceof Error) || err.name !== 'ActivityAuthError') return undefined;
  const { id, status } = err as Error & { id?: unknown; status?: unknown };
  const code = typeof status === 'number' && AUTH_STATUSES.has(status) ? status : 401;
  return new ApiError(code, typeof id === 'string' ? id : 'activity.unauthorized', err.message);
}

export function toApiError(err: unknown, logger: Logger, what: string): ApiError {
  if (err instanceof ApiError) return err;
  const auth = authRefusal(err);
  if (auth) return auth;
  if (err instanceof UserError) {
    const status = err.id === 'media.unknown' || err.id.endsWith('.unknown') || err.id.endsWith('-unknown') ? 404 : 400;
    return new ApiError(status, err.id, err.message);
  }
  const reference = randomBytes(4).toString('hex');
  logger.error({ err, reference }, `${what} failed`);
  return new ApiError(503, 'upstream-unavailable', `The service did not answer. Try again in a minute (reference ${reference}).`, { reference }, { 'retry-after': '60' });
}
