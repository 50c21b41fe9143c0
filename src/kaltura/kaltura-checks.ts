/**
 * `kaltura-discord doctor` checks for the Kaltura side. Each check says what it found and,
 * when it is not ok, what to change, in plain words. No message carries a secret or a KS
 * (every text passes the redactor before it is returned).
 */
import type { KalturaConfig } from '../config/config-types';
import type { CheckResult } from '../core/health-check';
import type { Logger } from '../core/logger';
import type { Clock } from '../core/ports/clock';
import { checkJoinRole } from './check-join-role';
import { checkWebhookSecret } from './check-primary-secret';
import { KalturaAPIError, KalturaResponseError, KalturaTransportError } from './errors';
import { createKalturaContext, type KalturaContext } from './kaltura-context';
import { fetchKaf, judgeKafBase, KAF_LAUNCH_PATH, kafHostPartner } from './kaf-probe';
import { asList, asRecord } from './parse';

export interface KalturaCheckOptions {
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Per-request timeout for the checks; default the configured one, at most 10 s. */
  readonly timeoutMs?: number;
  /** For tests; default the global `fetch`. */
  readonly fetch?: typeof fetch;
}

const FORBIDDEN = ['SERVICE_FORBIDDEN', 'SERVICE_DOES_NOT_EXISTS', 'FEATURE_FORBIDDEN', 'ACTION_DOES_NOT_EXISTS'];
const describe = (err: unknown) =>
  err instanceof KalturaAPIError ? `Kaltura answered ${err.code}: ${err.message.replace(/^[\w.]+: \w+: /, '')}` : err instanceof Error ? err.message : 'unknown error';

async function checkServiceUrl(ctx: KalturaContext): Promise<CheckResult> {
  const base = { id: 'kaltura.service-url', title: 'Kaltura API reachable' };
  const url = ctx.config.serviceUrl;
  try {
    await ctx.transport.call({ service: 'system', action: 'ping', kind: 'read', build: (s) => s.system.ping(), parse: () => undefined });
    return { ...base, status: 'ok', detail: `${url} answers as a Kaltura API` };
  } catch (err) {
    // any API answer (even "no such service") proves a Kaltura API is there
    if (err instanceof KalturaAPIError) return { ...base, status: 'ok', detail: `${url} answers as a Kaltura API` };
    const fix =
      err instanceof KalturaResponseError || (err instanceof KalturaTransportError && err.failure === 'http' && (err.status ?? 0) < 500)
        ? `Set kaltura.serviceUrl to the API base only, e.g. https://www.kaltura.com (no /api_v3 path); a proxy in between must pass /api_v3/ through.`
        : `Check kaltura.serviceUrl (now ${url}) and that this machine can reach it: DNS, firewall, outbound proxy. If Kaltura is down, try again later.`;
    return { ...base, status: 'fail', detail: `${url} did not answer as a Kaltura API: ${describe(err)}`, fix };
  }
}

function credentialFix(ctx: KalturaContext, err: unknown): string {
  const pid = ctx.config.partnerId;
  const code = err instanceof KalturaAPIError ? err.code : '';
  if (ctx.sessions.mode === 'admin-secret') {
    return `Copy the Administrator Secret from KMC > Settings > Integration Settings into kaltura.adminSecret, and check that kaltura.partnerId (now ${pid}) is the partner that secret belongs to.`;
  }
  if (code === 'APP_TOKEN_ID_NOT_FOUND') return `kaltura.appToken.id is not an app token of partner ${pid}; check the id (and kaltura.partnerId).`;
  if (code === 'INVALID_APP_TOKEN_HASH') return 'kaltura.appToken.token or kaltura.appToken.hashType does not match the app token; copy both from the appToken.add answer.';
  if (code === 'APP_TOKEN_NOT_ACTIVE' || code === 'APP_TOKEN_EXPIRED') return 'The app token is disabled or expired; create a new one with appToken.add and update kaltura.appToken.';
  return 'Check kaltura.partnerId and the app token (kaltura.appToken.id, token, hashType); or configure kaltura.adminSecret instead.';
}

async function checkCredentials(ctx: KalturaContext): Promise<CheckResult> {
  const base = { id: 'kaltura.credentials', title: 'Kaltura credentials' };
  const how = ctx.sessions.mode === 'admin-secret' ? 'admin secret (KS generated locally)' : 'app token';
  try {
    const ks = await ctx.sessions.adminKs();
    // a locally generated KS proves nothing until the server accepts it: use it once
    await ctx.transport.call({
      service: 'media',
      action: 'list',
      kind: 'read',
      ks,
      build: (s) => s.media.listAction({ objectType: 'KalturaMediaEntryFilter' }, { objectType: 'KalturaFilterPager', pageSize: 1 }),
      parse: (raw) => asRecord(raw, 'list'),
    });
    return { ...base, status: 'ok', detail: `A session for partner ${ctx.config.partnerId} was started with the ${how} and accepted by media.list` };
  } catch (err) {
    if (err instanceof KalturaTransportError || err instanceof KalturaResponseError) {
      return { ...base, status: 'fail', detail: `Could not check the ${how}: ${describe(err)}`, fix: 'Fix the "Kaltura API reachable" check first.' };
    }
    return { ...base, status: 'fail', detail: `Partner ${ctx.config.partnerId} rejected the ${how}: ${describe(err)}`, fix: credentialFix(ctx, err) };
  }
}

async function checkRooms(ctx: KalturaContext): Promise<CheckResult> {
  const base = { id: 'kaltura.meeting-rooms', title: 'Kaltura meeting-room API permitted' };
  try {
    const list = await ctx.call({
      service: 'scheduleResource',
      action: 'list',
      kind: 'read',
      build: (s) => s.scheduleResource.listAction({ objectType: 'KalturaScheduleResourceFilter' }, { objectType: 'KalturaFilterPager', pageSize: 1 }),
      parse: (raw) => asList(raw, (o) => o),
    });
    return { ...base, status: 'ok', detail: `scheduleResource.list works (${list.totalCount} rooms on the account)` };
  } catch (err) {
    const fix =
      err instanceof KalturaAPIError && FORBIDDEN.includes(err.code)
        ? `Ask Kaltura (your account manager or vpaas@kaltura.com) to enable Kaltura Meetings (the schedule and newrow modules) for partner ${ctx.config.partnerId}.` +
          (ctx.sessions.mode === 'app-token' ? ' The app token must also issue ADMIN sessions (no sessionType, or sessionType 2).' : '')
        : 'Fix the checks above first; if they pass, run doctor again with logging.level debug.';
    return { ...base, status: 'fail', detail: `The meeting-room API cannot be used: ${describe(err)}`, fix };
  }
}

async function checkKaf(ctx: KalturaContext, fetchImpl: typeof fetch, timeoutMs: number): Promise<CheckResult> {
  const base = { id: 'kaltura.kaf', title: 'Kaltura KAF (meeting launch) reachable' };
  const url = ctx.config.kafUrl;
  const hostPartner = kafHostPartner(url);
  if (hostPartner !== undefined && hostPartner !== ctx.config.partnerId) {
    return {
      ...base,
      status: 'fail',
      detail: `${url} is the KAF of partner ${hostPartner}, not of partner ${ctx.config.partnerId}; it would refuse this partner's sessions`,
      fix: `Set kaltura.kafUrl to https://${ctx.config.partnerId}.kaf.kaltura.com (or your own KAF endpoint), or remove it to use that default.`,
    };
  }
  try {
    const verdict = judgeKafBase(url, await fetchKaf(url, fetchImpl, timeoutMs), await fetchKaf(`${url}${KAF_LAUNCH_PATH}`, fetchImpl, timeoutMs));
    if (verdict.status === 'ok') return { ...base, status: 'ok', detail: verdict.detail };
    return {
      ...base,
      ...verdict,
      fix: `Set kaltura.kafUrl to your KAF endpoint, usually https://${ctx.config.partnerId}.kaf.kaltura.com; if the account has none, or it lacks Kaltura Meetings, ask Kaltura to enable KAF with Kaltura Meetings. \`doctor --deep\` tries a real launch.`,
    };
  } catch (err) {
    const why = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : 'no answer';
    return {
      ...base,
      status: 'fail',
      detail: `${url} did not answer: ${why}`,
      fix: `Set kaltura.kafUrl to your KAF endpoint, usually https://${ctx.config.partnerId}.kaf.kaltura.com; if it does not exist, ask Kaltura to enable KAF for the account (members open meetings through it).`,
    };
  }
}

export async function runKalturaChecks(config: KalturaConfig, options: KalturaCheckOptions): Promise<CheckResult[]> {
  if (!config.adminSecret && !config.appToken) {
    return [{ id: 'kaltura.credentials', title: 'Kaltura credentials', status: 'fail', detail: 'Neither an admin secret nor an app token is configured', fix: 'Set kaltura.adminSecret (KMC > Settings > Integration Settings) or kaltura.appToken.' }];
  }
  const timeoutMs = options.timeoutMs ?? Math.min(config.requestTimeout, 10_000);
  const ctx = createKalturaContext({
    config: { ...config, requestTimeout: timeoutMs },
    logger: options.logger,
    ...(options.clock && { clock: options.clock }),
    retry: { retries: 0 },
  });
  try {
    // KAF needs no session: it runs alongside; the checks needing a session run together after it
    const kaf = checkKaf(ctx, options.fetch ?? fetch, timeoutMs);
    const results: CheckResult[] = [await checkServiceUrl(ctx)];
    const reachable = results[0]!.status === 'ok';
    const credentials = reachable
      ? await checkCredentials(ctx)
      : { id: 'kaltura.credentials', title: 'Kaltura credentials', status: 'warn' as const, detail: 'Not checked: the API is not reachable', fix: 'Fix the "Kaltura API reachable" check first.' };
    results.push(credentials);
    const session = credentials.status === 'ok';
    const [rooms, webhookSecret, joinRole] = await Promise.all([
      session
        ? checkRooms(ctx)
        : ({ id: 'kaltura.meeting-rooms', title: 'Kaltura meeting-room API permitted', status: 'warn', detail: 'Not checked: no working session', fix: 'Fix the "Kaltura credentials" check first.' } as const),
      checkWebhookSecret(ctx, session),
      checkJoinRole(ctx, session),
    ]);
    results.push(rooms, await kaf, webhookSecret, ...(joinRole ? [joinRole] : []));
    // belt and braces: nothing that reached a message may carry a secret or a KS
    return results.map((r) => ({ ...r, detail: ctx.redact(r.detail), ...(r.fix !== undefined && { fix: ctx.redact(r.fix) }) }));
  } finally {
    ctx.transport.close();
  }
}
