/**
 * The base of every error raised by an adapter talking to an outside service. The core
 * catches this type (it must not import an adapter) and decides from `retryable` whether
 * to tell the member "try again in a minute" or "this cannot work; ask an admin".
 * Messages never contain a secret or a session token.
 */
export abstract class UpstreamError extends Error {
  /** Which outside world failed, e.g. `kaltura`. */
  abstract readonly upstream: string;
  /** True when the same request may succeed later (outage, timeout, overload). */
  abstract readonly retryable: boolean;
}
