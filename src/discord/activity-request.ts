import { setTimeout as sleep } from 'node:timers/promises';
import { DiscordUpstreamError } from './discord-upstream-error';

/**
 * One bounded call to Discord's REST API for the Activity (raw `fetch`: the OAuth2 endpoints take
 * forms and Bearer tokens, which discord.js's REST client is not for). It never puts the request's
 * credentials (bot token, client secret, access token) in an error: messages name the step, the
 * HTTP status and Discord's error code or OAuth2 error id only.
 */

export interface DiscordAnswer {
  readonly status: number;
  /** Parsed JSON, or undefined when the body was not JSON. */
  readonly body: unknown;
  /** A 429's `retry_after` (body) or `Retry-After` (header), in ms. */
  readonly retryAfterMs?: number;
}

export interface CallOptions {
  /** The whole call's budget, a retry included. */
  readonly timeoutMs: number;
  /** The app stopping: abandons the call. */
  readonly signal?: AbortSignal;
}

/**
 * A 429 asking for at most this long is waited out and retried once (within the call's budget):
 * many members opening the Activity together look the same instance up at once. Longer waits are
 * the caller's retryable error: a member is not kept waiting, and a hammered route is left alone.
 * @see https://discord.com/developers/docs/topics/rate-limits#exceeding-a-rate-limit
 */
export const MAX_RETRY_WAIT_MS = 2_000;

export async function callDiscord(url: string, init: RequestInit, what: string, options: CallOptions): Promise<DiscordAnswer> {
  const started = Date.now();
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  const first = await attempt(url, { ...init, signal, redirect: 'manual' }, what, options, timeout);
  const waitMs = first.retryAfterMs;
  if (first.status !== 429 || waitMs === undefined || waitMs > MAX_RETRY_WAIT_MS || Date.now() - started + waitMs >= options.timeoutMs) return first;
  try {
    await sleep(waitMs, undefined, { signal });
  } catch (err) {
    throw unreachable(err, what, options, timeout);
  }
  return attempt(url, { ...init, signal, redirect: 'manual' }, what, options, timeout);
}

async function attempt(url: string, init: RequestInit, what: string, options: CallOptions, timeout: AbortSignal): Promise<DiscordAnswer> {
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, init);
    text = await res.text();
  } catch (err) {
    throw unreachable(err, what, options, timeout);
  }
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (res.status !== 429) return { status: res.status, body };
  const inBody = (body as { retry_after?: unknown } | undefined)?.retry_after;
  const seconds = typeof inBody === 'number' ? inBody : Number(res.headers.get('retry-after') ?? NaN);
  return { status: res.status, body, ...(Number.isFinite(seconds) && seconds >= 0 ? { retryAfterMs: Math.ceil(seconds * 1000) } : {}) };
}

function unreachable(err: unknown, what: string, options: CallOptions, timeout: AbortSignal): DiscordUpstreamError {
  if (options.signal?.aborted) return new DiscordUpstreamError(`stopped before Discord answered (${what})`, false, undefined, undefined, { cause: err });
  const cause = (err as { cause?: { code?: unknown } }).cause;
  const why = timeout.aborted ? `no answer within ${options.timeoutMs / 1000} s` : typeof cause?.code === 'string' ? cause.code : (err as Error).name;
  return new DiscordUpstreamError(`could not reach Discord to ${what} (${why})`, true, undefined, undefined, { cause: err });
}

/** Discord's JSON error `code` (e.g. 10007), or its OAuth2 `error` id (e.g. `invalid_grant`) when it is a plain identifier. */
export function errorIdOf(body: unknown): { code?: number; oauth?: string } {
  if (!body || typeof body !== 'object') return {};
  const { code, error } = body as { code?: unknown; error?: unknown };
  return {
    ...(typeof code === 'number' ? { code } : {}),
    ...(typeof error === 'string' && /^[a-z_]{1,40}$/.test(error) ? { oauth: error } : {}),
  };
}

/** The typed failure for an answer the caller has no meaning for: 429 and 5xx may pass, the rest will not. */
export function unexpectedAnswer(answer: DiscordAnswer, what: string): DiscordUpstreamError {
  const { code, oauth } = errorIdOf(answer.body);
  const detail = [code !== undefined ? `code ${code}` : undefined, oauth].filter(Boolean).join(', ');
  const retryable = answer.status === 429 || answer.status >= 500;
  return new DiscordUpstreamError(`Discord refused to ${what} (HTTP ${answer.status}${detail ? `, ${detail}` : ''})`, retryable, code, answer.status);
}
