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
}

export interface CallOptions {
  readonly timeoutMs: number;
  /** The app stopping: abandons the call. */
  readonly signal?: AbortSignal;
}

export async function callDiscord(url: string, init: RequestInit, what: string, options: CallOptions): Promise<DiscordAnswer> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal, redirect: 'manual' });
  } catch (err) {
    throw unreachable(err, what, options, timeout);
  }
  let text: string;
  try {
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
  return { status: res.status, body };
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
