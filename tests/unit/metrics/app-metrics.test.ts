import { EventEmitter } from 'node:events';
import { register as globalRegistry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { noopMetrics } from '../../../src/core/ports/metrics';
import { createAppMetrics } from '../../../src/metrics/create-app-metrics';
import { dispatchObserverFor, observeJoinLinks } from '../../../src/metrics/observers';
import { parseExposition, sample, sum } from './exposition';

/** Every series the app exposes, with its Prometheus type. */
const SERIES: Record<string, string> = {
  kaltura_discord_build_info: 'gauge',
  kaltura_discord_interaction_ack_seconds: 'histogram',
  kaltura_discord_commands_total: 'counter',
  kaltura_discord_kaltura_request_duration_seconds: 'histogram',
  kaltura_discord_kaltura_requests_total: 'counter',
  kaltura_discord_kaltura_errors_total: 'counter',
  kaltura_discord_join_links_issued_total: 'counter',
  kaltura_discord_join_links_redeemed_total: 'counter',
  kaltura_discord_join_links_refused_total: 'counter',
  kaltura_discord_webhooks_received_total: 'counter',
  kaltura_discord_webhooks_rejected_total: 'counter',
  kaltura_discord_webhooks_duplicate_total: 'counter',
  kaltura_discord_outbox_pending: 'gauge',
  kaltura_discord_outbox_dead: 'gauge',
  kaltura_discord_outbox_oldest_pending_age_seconds: 'gauge',
  kaltura_discord_outbox_retries_total: 'counter',
  kaltura_discord_outbox_dead_letters_total: 'counter',
  kaltura_discord_inbox_pending: 'gauge',
  kaltura_discord_inbox_dead: 'gauge',
  kaltura_discord_discord_rate_limited_total: 'counter',
  kaltura_discord_discord_rate_limit_waits_total: 'counter',
  kaltura_discord_gateway_state: 'gauge',
};

describe('the app metrics registry', () => {
  it('exposes every series with HELP and TYPE, plus process metrics, on its own registry', async () => {
    const m = createAppMetrics({ version: '1.2.3' });
    const e = parseExposition((await m.render()).body);
    for (const [name, type] of Object.entries(SERIES)) {
      expect(e.type.get(name), name).toBe(type);
      expect(e.help.get(name)?.length, name).toBeGreaterThan(10);
    }
    expect(e.type.get('process_cpu_user_seconds_total')).toBe('counter');
    expect(e.type.has('nodejs_eventloop_lag_seconds')).toBe(true);
    expect(sample(e, 'kaltura_discord_build_info', { version: '1.2.3' })).toBe(1);
    expect((await m.render()).contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    // prom-client's global registry is never used: two apps in one process do not collide.
    expect(await globalRegistry.getSingleMetric('kaltura_discord_commands_total')).toBeUndefined();
    expect(() => createAppMetrics({ version: '1.2.3' })).not.toThrow();
  });

  it('counts what the recorder is told, with bounded labels', async () => {
    const m = createAppMetrics({ version: 'x', processMetrics: false });
    const r = m.recorder;
    r.interactionAcknowledged('kaltura start', 0.2);
    r.interactionAcknowledged('kaltura start', 2.8);
    r.commandFinished('kaltura start', 'ok');
    r.commandFinished('kaltura end', 'refused');
    r.kalturaCall('scheduleEvent', 'add', 'ok', 0.3);
    r.kalturaCall('media', 'get', 'transport-error', 1.1);
    r.joinLinkIssued();
    r.joinLinkRedeemed();
    r.joinLinkRefused('used');
    r.webhookReceived();
    r.webhookRejected('BAD_SIGNATURE');
    r.webhookDuplicate();
    r.outboxRetry();
    r.outboxDeadLetter();
    const e = parseExposition((await m.render()).body);
    expect(sample(e, 'kaltura_discord_interaction_ack_seconds_count', { route: 'kaltura start' })).toBe(2);
    expect(sample(e, 'kaltura_discord_interaction_ack_seconds_bucket', { route: 'kaltura start', le: '3' })).toBe(2);
    expect(sample(e, 'kaltura_discord_interaction_ack_seconds_bucket', { route: 'kaltura start', le: '2.5' })).toBe(1);
    expect(sample(e, 'kaltura_discord_commands_total', { command: 'kaltura end', outcome: 'refused' })).toBe(1);
    expect(sample(e, 'kaltura_discord_kaltura_requests_total', { service: 'scheduleEvent', action: 'add', outcome: 'ok' })).toBe(1);
    expect(sample(e, 'kaltura_discord_kaltura_errors_total', { service: 'media', action: 'get', outcome: 'transport-error' })).toBe(1);
    expect(sum(e, 'kaltura_discord_kaltura_errors_total', { service: 'scheduleEvent' })).toBe(0);
    expect(sample(e, 'kaltura_discord_kaltura_request_duration_seconds_count', { service: 'media', action: 'get' })).toBe(1);
    expect(sample(e, 'kaltura_discord_join_links_refused_total', { reason: 'used' })).toBe(1);
    expect(sample(e, 'kaltura_discord_webhooks_rejected_total', { reason: 'BAD_SIGNATURE' })).toBe(1);
    for (const n of ['join_links_issued', 'join_links_redeemed', 'webhooks_received', 'webhooks_duplicate', 'outbox_retries', 'outbox_dead_letters']) {
      expect(sample(e, `kaltura_discord_${n}_total`), n).toBe(1);
    }
  });

  it('reads outbox, inbox and gateway state at scrape time', async () => {
    let state = 'connecting';
    let pending = 3;
    const m = createAppMetrics({
      version: 'x',
      processMetrics: false,
      sources: {
        notifications: () => ({ outbox: { pending, dead: 1, ...(pending > 0 && { oldestPendingAgeMs: 90_000 }) }, inbox: { pending: 2, dead: 4 } }),
        gatewayState: () => state,
      },
    });
    let e = parseExposition((await m.render()).body);
    expect(sample(e, 'kaltura_discord_outbox_pending')).toBe(3);
    expect(sample(e, 'kaltura_discord_outbox_dead')).toBe(1);
    expect(sample(e, 'kaltura_discord_outbox_oldest_pending_age_seconds')).toBe(90);
    expect(sample(e, 'kaltura_discord_inbox_pending')).toBe(2);
    expect(sample(e, 'kaltura_discord_inbox_dead')).toBe(4);
    expect(sample(e, 'kaltura_discord_gateway_state', { state: 'connecting' })).toBe(1);
    expect(sum(e, 'kaltura_discord_gateway_state')).toBe(1);

    state = 'ready';
    pending = 0;
    e = parseExposition((await m.render()).body);
    expect(sample(e, 'kaltura_discord_gateway_state', { state: 'ready' })).toBe(1);
    expect(sample(e, 'kaltura_discord_gateway_state', { state: 'connecting' })).toBe(0);
    expect(sample(e, 'kaltura_discord_outbox_pending')).toBe(0);
    expect(sample(e, 'kaltura_discord_outbox_oldest_pending_age_seconds')).toBe(0);
  });

  it('reads store-backed sources that answer asynchronously; one that fails keeps its last values instead of failing the scrape', async () => {
    let fail = false;
    const m = createAppMetrics({
      version: 'x',
      processMetrics: false,
      sources: {
        notifications: async () => ({ outbox: { pending: 5, dead: 0 }, inbox: { pending: 1, dead: 0 } }),
        cleanupJobs: async () => {
          if (fail) throw new Error('connection terminated');
          return { pending: 4, failing: 2 };
        },
      },
    });
    let e = parseExposition((await m.render()).body);
    expect(sample(e, 'kaltura_discord_outbox_pending')).toBe(5);
    expect(sample(e, 'kaltura_discord_kaltura_cleanup_jobs_pending')).toBe(4);
    fail = true;
    e = parseExposition((await m.render()).body);
    expect(sample(e, 'kaltura_discord_kaltura_cleanup_jobs_failing')).toBe(2);
    expect(sample(e, 'kaltura_discord_inbox_pending')).toBe(1);
  });

  it('counts 429 answers and rate-limit waits of a discord.js REST client', async () => {
    const m = createAppMetrics({ version: 'x', processMetrics: false });
    const rest = new EventEmitter();
    m.watchDiscordRest(rest as never);
    const headers = (h: Record<string, string>) => new Headers(h);
    rest.emit('response', { method: 'POST', route: '/channels/:id/messages' }, { status: 429, headers: headers({ 'x-ratelimit-scope': 'user' }) });
    rest.emit('response', { method: 'POST', route: '/channels/:id/messages' }, { status: 200, headers: headers({}) });
    rest.emit('response', { method: 'PATCH', route: '/channels/:id/messages/:id' }, { status: 429, headers: headers({ 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' }) });
    rest.emit('rateLimited', { method: 'post', route: '/channels/:id/messages', global: false, scope: 'user' });
    const e = parseExposition((await m.render()).body);
    expect(sample(e, 'kaltura_discord_discord_rate_limited_total', { method: 'POST', route: '/channels/:id/messages', scope: 'user', global: 'false' })).toBe(1);
    expect(sample(e, 'kaltura_discord_discord_rate_limited_total', { method: 'PATCH', route: '/channels/:id/messages/:id', scope: 'global', global: 'true' })).toBe(1);
    expect(sample(e, 'kaltura_discord_discord_rate_limit_waits_total', { method: 'POST', route: '/channels/:id/messages', global: 'false' })).toBe(1);
  });
});

describe('observers over existing hooks', () => {
  it('turns dispatcher acknowledgements into seconds since the interaction was received', () => {
    const seen: unknown[] = [];
    const observer = dispatchObserverFor({ interactionAcknowledged: (route, s) => seen.push([route, s]), commandFinished: (route, o) => seen.push([route, o]) });
    observer.acknowledged!('join button', { receivedAt: 10_000 } as never, 10_450);
    observer.finished!('join button', 'user-error');
    expect(seen).toEqual([['join button', 0.45], ['join button', 'user-error']]);
  });

  it('counts join links issued, and only those actually issued', async () => {
    let issued = 0;
    let fail = false;
    const service = {
      issueJoinLink: async (..._args: unknown[]) => {
        if (fail) throw new Error('meeting over');
        return { url: 'u' } as never;
      },
      listLive: () => [],
    };
    const observed = observeJoinLinks(service, { joinLinkIssued: () => issued++ });
    await observed.issueJoinLink({} as never, 'g', 'm');
    fail = true;
    await expect(observed.issueJoinLink({} as never, 'g', 'm')).rejects.toThrow('meeting over');
    expect(issued).toBe(1);
    expect(observed.listLive()).toEqual([]);
  });

  it('has a no-op recorder with every method', () => {
    for (const fn of Object.values(noopMetrics)) expect(fn()).toBeUndefined();
    expect(Object.isFrozen(noopMetrics)).toBe(true);
  });
});
