import { createHash } from 'node:crypto';
import type { ChannelMessageLimit, FailOptions, RateLimitOptions, RequestMatcher } from './types';

/**
 * Rate-limit headers, the optional enforced per-channel message limit, and injected 429s / failures.
 * Counters are per route and top-level resource (channel, guild, webhook), as Discord keys them.
 * @see https://discord.com/developers/docs/topics/rate-limits
 */

/** Limits reported on routes that are not enforced: high enough that discord.js never waits in a test. */
const REPORTED_LIMIT: ChannelMessageLimit = { limit: 50, windowMs: 1000 };
export const DEFAULT_CHANNEL_MESSAGE_LIMIT: ChannelMessageLimit = { limit: 5, windowMs: 5000 };

export interface RouteKey {
  method: string;
  /** e.g. `/channels/:channel/messages` */
  template: string;
  /** The top-level resource id ("global" for none). */
  major: string;
}

export interface Injected429 {
  retryAfterMs: number;
  global: boolean;
  scope: 'user' | 'global' | 'shared';
}

export interface BucketOutcome {
  headers: Record<string, string>;
  /** Set when the enforced limit is exhausted. */
  limited?: Injected429;
}

interface Armed<T> {
  match: RequestMatcher;
  remaining: number;
  spec: T;
}

interface Window {
  count: number;
  resetAt: number;
}

export class RateLimitPlan {
  private readonly rateLimits: Armed<Injected429>[] = [];
  private readonly failures: Armed<FailOptions>[] = [];
  private readonly windows = new Map<string, Window>();
  private channelLimit: ChannelMessageLimit | false;

  constructor(
    channelLimit: ChannelMessageLimit | false,
    private readonly now: () => number,
  ) {
    this.channelLimit = channelLimit;
  }

  rateLimitNext(match: RequestMatcher, opts: RateLimitOptions = {}): void {
    const global = opts.global ?? false;
    this.rateLimits.push({
      match,
      remaining: opts.count ?? 1,
      spec: { retryAfterMs: opts.retryAfterMs ?? 100, global, scope: opts.scope ?? (global ? 'global' : 'user') },
    });
  }

  failNext(match: RequestMatcher, opts: FailOptions = {}): void {
    this.failures.push({ match, remaining: opts.count ?? 1, spec: opts });
  }

  limitChannelMessages(limit: ChannelMessageLimit | false): void {
    this.channelLimit = limit;
    this.windows.clear();
  }

  takeFailure(method: string, path: string): FailOptions | undefined {
    return take(this.failures, method, path);
  }

  takeRateLimit(method: string, path: string): Injected429 | undefined {
    return take(this.rateLimits, method, path);
  }

  /** Counts the request in its bucket and gives the headers; enforces only the channel message limit. */
  consume(route: RouteKey): BucketOutcome {
    const enforced = route.method === 'POST' && route.template === '/channels/:channel/messages' ? this.channelLimit : false;
    const { limit, windowMs } = enforced || REPORTED_LIMIT;
    const bucket = bucketHash(route);
    const key = `${bucket}:${route.major}`;
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, window);
    }
    const limited = enforced !== false && window.count >= limit;
    if (!limited) window.count++;
    const headers = rateLimitHeaders({ limit, remaining: Math.max(limit - window.count, 0), resetAt: window.resetAt, bucket, now });
    if (!limited) return { headers };
    return { headers, limited: { retryAfterMs: window.resetAt - now, global: false, scope: 'user' } };
  }

  /** Headers of an injected 429: the bucket looks exhausted until `retry_after` passes. */
  injectedHeaders(route: RouteKey, spec: Injected429): Record<string, string> {
    const now = this.now();
    const headers = rateLimitHeaders({ limit: REPORTED_LIMIT.limit, remaining: 0, resetAt: now + spec.retryAfterMs, bucket: bucketHash(route), now });
    return { ...headers, ...retryHeaders(spec) };
  }
}

export function retryHeaders(spec: Injected429): Record<string, string> {
  return {
    'Retry-After': seconds(spec.retryAfterMs),
    'X-RateLimit-Scope': spec.scope,
    ...(spec.global ? { 'X-RateLimit-Global': 'true' } : {}),
  };
}

export function rateLimitBody(spec: Injected429): { message: string; retry_after: number; global: boolean } {
  return { message: 'You are being rate limited.', retry_after: Number(seconds(spec.retryAfterMs)), global: spec.global };
}

function take<T>(list: Armed<T>[], method: string, path: string): T | undefined {
  const entry = list.find((e) => e.remaining > 0 && matches(e.match, method, path));
  if (!entry) return undefined;
  entry.remaining--;
  return entry.spec;
}

function matches(match: RequestMatcher, method: string, path: string): boolean {
  if (match.method !== undefined && match.method.toUpperCase() !== method) return false;
  return typeof match.path === 'string' ? match.path === path : match.path.test(path);
}

/** Discord's bucket ids are opaque hashes shared by routes with one limit; one per route is enough here. */
function bucketHash(route: RouteKey): string {
  return createHash('md5').update(`${route.method} ${route.template}`).digest('hex');
}

function seconds(ms: number): string {
  return (Math.max(ms, 0) / 1000).toFixed(3);
}

function rateLimitHeaders(r: { limit: number; remaining: number; resetAt: number; bucket: string; now: number }): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(r.limit),
    'X-RateLimit-Remaining': String(r.remaining),
    'X-RateLimit-Reset': seconds(r.resetAt),
    'X-RateLimit-Reset-After': seconds(r.resetAt - r.now),
    'X-RateLimit-Bucket': r.bucket,
  };
}
