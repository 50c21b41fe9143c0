/**
 * Every wait on Kaltura or Discord is bounded here too, whatever the adapter's own timeouts: a
 * stuck call becomes a retryable UpstreamError, which the Discord dispatcher and the HTTP routes
 * already turn into "try again in a minute".
 */
import { UpstreamError } from '../ports/upstream-error';

export class UpstreamTimeoutError extends UpstreamError {
  override readonly name = 'UpstreamTimeoutError';
  readonly retryable = true;
  constructor(
    readonly upstream: string,
    readonly waitedMs: number,
  ) {
    super(`${upstream} did not answer within ${waitedMs} ms`);
  }
}

/** `work`, or an UpstreamTimeoutError after `ms` (the late answer is then ignored). */
export async function within<T>(work: Promise<T>, ms: number, upstream: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UpstreamTimeoutError(upstream, ms)), ms);
  });
  // A late rejection must not become an unhandled one.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
