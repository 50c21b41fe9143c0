/**
 * The one place that talks HTTP to Kaltura, over the official `kaltura-client`. It owns
 * the client (one per adapter instance, with its request logging off: the library's
 * default logger prints the secret and the KS), per-call timeouts, retries with backoff
 * and jitter for idempotent calls, result validation and error mapping.
 *
 * The client itself never holds a KS: each request carries its own via `builder.setKs`,
 * which the library only honours when the client has none (see reference pitfall P2).
 * @see https://github.com/kaltura/clients-generator/tree/master/sources/node2
 */
import { setMaxListeners } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import kaltura, { type HttpResponseLike, type RequestBuilder, type Services } from 'kaltura-client';
import type { Logger } from '../core/logger';
import type { KalturaCallOutcome, MetricsRecorder } from '../core/ports/metrics';
import { KalturaAPIError, KalturaClosedError, KalturaResponseError, KalturaTransportError } from './errors';
import { isRecord, ShapeError } from './parse';
import type { Redactor } from './redact';
import { toApiError, toTransportError, NonJsonResponse } from './transport-errors';

/** `read` and `idempotent` calls are retried on transport failures; `create` never is. */
export type CallKind = 'read' | 'idempotent' | 'create';

export interface CallSpec<T> {
  /** For errors and logs, e.g. `scheduleEvent` / `add`. */
  readonly service: string;
  readonly action: string;
  readonly kind: CallKind;
  readonly build: (services: Services) => RequestBuilder;
  /** Validates the result; throw `ShapeError` on a mismatch. */
  readonly parse: (raw: unknown) => T;
  readonly ks?: string;
  /**
   * `performance.now()` by which the whole call (every attempt) must be over: interactive calls
   * (`kaltura.interactiveTimeout`) pass one so a member hears back in time. Each attempt's timeout
   * is the smaller of `timeoutMs` and what remains; no retry starts once it has passed.
   */
  readonly deadline?: number;
}

export interface RetryPolicy {
  /** Extra attempts after the first. */
  readonly retries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 2, baseDelayMs: 200, maxDelayMs: 2_000 };

export interface TransportOptions {
  readonly serviceUrl: string;
  readonly timeoutMs: number;
  readonly logger: Logger;
  readonly redact: Redactor;
  readonly retry?: Partial<RetryPolicy>;
  /** 0..1; injectable so tests can make backoff deterministic. */
  readonly jitter?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Told about every attempt (service, action, outcome, seconds); optional. */
  readonly metrics?: Pick<MetricsRecorder, 'kalturaCall'>;
}

export interface KalturaTransport {
  call<T>(spec: CallSpec<T>): Promise<T>;
  close(): void;
}

const silentClientLogger = { log() {}, error() {}, debug() {} };

export function createTransport(options: TransportOptions): KalturaTransport {
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const jitter = options.jitter ?? Math.random;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const log = options.logger;

  const config = new kaltura.Configuration();
  config.serviceUrl = options.serviceUrl.replace(/\/+$/, '');
  config.timeout = options.timeoutMs;
  config.setLogger(silentClientLogger); // not an ILogger instance: the client logs nothing
  const client = new kaltura.Client(config);
  client.setClientTag('kaltura-discord');
  // own agents, so close() releases keep-alive sockets instead of leaving them in the global pool
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 32 });
  client.axios.defaults.httpAgent = httpAgent;
  client.axios.defaults.httpsAgent = httpsAgent;
  // a 2xx that is not JSON (a maintenance or proxy page) would otherwise resolve as a string
  client.axios.interceptors.response.use((response: HttpResponseLike) => {
    const type = String(response.headers['content-type'] ?? '');
    if (!/\bjson\b/i.test(type)) throw new NonJsonResponse(response.status, type.split(';')[0] ?? '');
    return response;
  });
  let closed = false;
  // close() aborts every request in flight (and any backoff wait), so a stop never waits on Kaltura
  const closing = new AbortController();
  // axios adds (and on completion removes) one 'abort' listener per request in flight: many
  // concurrent calls are normal, not a leak, so Node's warning past 10 would only mislead operators
  setMaxListeners(0, closing.signal);
  const whenClosed = new Promise<void>((resolve) => closing.signal.addEventListener('abort', () => resolve(), { once: true }));
  client.axios.interceptors.request.use((request) => Object.assign(request, { signal: closing.signal }));

  async function attempt<T>(spec: CallSpec<T>): Promise<T> {
    const builder = spec.build(kaltura.services); // builders are single-use: build per attempt
    if (spec.ks !== undefined) builder.setKs(spec.ks);
    let timer: NodeJS.Timeout | undefined;
    // a deadline of our own, in case axios' socket-idle timeout does not fire (slow drip)
    const deadline = new Promise<never>((_, reject) => {
      const budget = spec.deadline === undefined ? options.timeoutMs + 500 : Math.min(options.timeoutMs + 500, Math.max(0, spec.deadline - performance.now()));
      timer = setTimeout(() => reject(Object.assign(new Error('deadline exceeded'), { code: 'ETIMEDOUT' })), budget);
    });
    let raw: unknown;
    try {
      raw = await Promise.race([builder.execute(client), deadline]);
    } finally {
      clearTimeout(timer);
    }
    // an API error with an empty message resolves instead of rejecting (pitfall P3)
    if (isRecord(raw) && raw['objectType'] === 'KalturaAPIException') throw raw;
    if (typeof raw === 'string' && raw.trimStart().startsWith('<')) throw new NonJsonResponse(200, 'text/html');
    try {
      return spec.parse(raw);
    } catch (err) {
      if (err instanceof ShapeError) throw new KalturaResponseError(spec.service, spec.action, err.message, false);
      throw err;
    }
  }

  const backoffCeiling = (attemptNo: number): number => Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attemptNo - 1));

  function backoff(attemptNo: number): number {
    const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attemptNo - 1));
    return Math.round(ceiling / 2 + (jitter() * ceiling) / 2); // "equal jitter": never zero, never in lockstep
  }

  async function call<T>(spec: CallSpec<T>): Promise<T> {
    const maxAttempts = spec.kind === 'create' ? 1 : 1 + retry.retries;
    for (let attemptNo = 1; ; attemptNo++) {
      if (closed) throw new KalturaClosedError();
      const started = performance.now();
      try {
        const result = await attempt(spec);
        options.metrics?.kalturaCall(spec.service, spec.action, 'ok', (performance.now() - started) / 1000);
        log.debug({ service: spec.service, action: spec.action, attempt: attemptNo, ms: Math.round(performance.now() - started) }, 'kaltura call ok');
        return result;
      } catch (err) {
        if (closed) throw new KalturaClosedError(); // abandoned by close(), not a failure of Kaltura's
        const mapped =
          err instanceof KalturaResponseError || err instanceof KalturaClosedError
            ? err
            : err instanceof NonJsonResponse
              ? new KalturaResponseError(spec.service, spec.action, `HTTP ${err.status} with ${err.contentType || 'no content type'}, not JSON`, true)
              : isRecord(err) && !(err instanceof Error) && typeof err['code'] === 'string'
                ? toApiError(err, spec.service, spec.action, options.redact)
                : toTransportError(err, spec.service, spec.action, attemptNo, options.redact);
        const outcome = outcomeOf(mapped);
        if (outcome) options.metrics?.kalturaCall(spec.service, spec.action, outcome, (performance.now() - started) / 1000);
        const inTime = spec.deadline === undefined || performance.now() + backoffCeiling(attemptNo) < spec.deadline;
        const again = mapped instanceof KalturaTransportError && mapped.retryable && attemptNo < maxAttempts && !closed && inTime;
        const fields = { service: spec.service, action: spec.action, attempt: attemptNo, error: mapped.message };
        if (!again) {
          log.debug(fields, 'kaltura call failed');
          throw mapped;
        }
        const delayMs = backoff(attemptNo);
        log.warn({ ...fields, delayMs }, 'kaltura call failed; retrying');
        await Promise.race([sleep(delayMs), whenClosed]);
      }
    }
  }

  return {
    call,
    close() {
      closed = true;
      closing.abort();
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

function outcomeOf(err: Error): KalturaCallOutcome | undefined {
  if (err instanceof KalturaClosedError) return undefined; // not a call: the adapter was closed
  if (err instanceof KalturaAPIError) return 'api-error';
  if (err instanceof KalturaResponseError) return 'bad-response';
  return 'transport-error';
}
