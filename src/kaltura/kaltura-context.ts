/**
 * Wires the shared parts of one adapter instance: redactor, transport, sessions and the
 * admin call. Used by `createKaltura` and by the doctor checks.
 */
import { randomBytes } from 'node:crypto';
import type { KalturaConfig } from '../config/config-types';
import type { Logger } from '../core/logger';
import { systemClock, type Clock, type RandomBytes } from '../core/ports/clock';
import type { MetricsRecorder } from '../core/ports/metrics';
import { createAdminCall, type AdminCall } from './admin-call';
import { createRedactor, type Redactor } from './redact';
import { createSessionManager, type SessionManager } from './session-manager';
import { createTransport, type KalturaTransport, type RetryPolicy } from './transport';

export interface KalturaContextOptions {
  readonly config: KalturaConfig;
  readonly logger: Logger;
  /** Injected by tests (KS renewal near expiry). */
  readonly clock?: Clock;
  /** Injected by tests (reproducible KSs and room tokens). */
  readonly random?: RandomBytes;
  readonly retry?: Partial<RetryPolicy>;
  /** Records each API call (latency, outcome) for /metrics. */
  readonly metrics?: Pick<MetricsRecorder, 'kalturaCall'>;
  /** Lifetime of the admin KS; default 1 h. */
  readonly adminKsLifetimeMs?: number;
  /** Renew a cached KS when less than this remains; default 5 min. */
  readonly renewBeforeMs?: number;
}

export interface KalturaContext {
  readonly config: KalturaConfig;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly random: RandomBytes;
  readonly redact: Redactor;
  readonly transport: KalturaTransport;
  readonly sessions: SessionManager;
  readonly call: AdminCall;
}

export function createKalturaContext(options: KalturaContextOptions): KalturaContext {
  const { config } = options;
  const logger = options.logger.child({ component: 'kaltura' });
  const clock = options.clock ?? systemClock;
  const random = options.random ?? ((size: number) => randomBytes(size));
  const redact = createRedactor([config.adminSecret, config.appToken?.token]);
  const transport = createTransport({
    serviceUrl: config.serviceUrl,
    timeoutMs: config.requestTimeout,
    logger,
    redact,
    ...(options.retry && { retry: options.retry }),
    ...(options.metrics && { metrics: options.metrics }),
  });
  const sessions = createSessionManager({
    config,
    transport,
    clock,
    random,
    redact,
    logger,
    ...(options.adminKsLifetimeMs !== undefined && { adminKsLifetimeMs: options.adminKsLifetimeMs }),
    ...(options.renewBeforeMs !== undefined && { renewBeforeMs: options.renewBeforeMs }),
  });
  return { config, logger, clock, random, redact, transport, sessions, call: createAdminCall(transport, sessions) };
}
