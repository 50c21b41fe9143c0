import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FakeState } from './fake-state';
import { toText } from './list-query';
import { httpBuildQuery, phpJsonEncode, phpUrlencode } from './php-encoding';
import { isPlainObject } from './request-params';
import type { TemplateRecord, WebhookNotification, WebhookOptions, WebhookResult } from './types';
import { toWire } from './wire-format';

/**
 * Sends an HTTP event notification the way KDispatchHttpNotificationEngine does (§4.2, §4.3):
 * X-KALTURA-SIGNATURE = lowercase hex of hash(secret + raw body) — a plain hash, not an HMAC —
 * with the partner admin secret, and X-KALTURA-HASH-ALGO on recent servers.
 */

export type HashAlgo = 'sha1' | 'sha256' | 'sha512';

const MAX_RETRIES = 10;
const ALGO_BY_TEMPLATE: Record<number, HashAlgo> = { 1: 'sha1', 2: 'sha256', 3: 'sha512' };

export function signWebhookBody(rawBody: string | Buffer, secret: string, algo: HashAlgo): string {
  return createHash(algo).update(Buffer.concat([Buffer.from(secret, 'utf8'), Buffer.from(rawBody)])).digest('hex');
}

function findTemplate(state: FakeState, id: number | undefined): TemplateRecord | undefined {
  return id === undefined ? undefined : (state.store.templates.get(id) ?? state.systemTemplates.get(id));
}

/** KalturaHttpNotification, keys in declared order (§4.2). */
export function buildNotification(state: FakeState, n: WebhookNotification, template?: TemplateRecord): Record<string, unknown> {
  return {
    object: { ...n.entry, objectType: toText(n.entry.objectType) ?? 'KalturaMediaEntry' },
    eventObjectType: toText(template?.eventObjectType) ?? '1',
    eventNotificationJobId: n.jobId ?? state.nextId('job'),
    templateId: n.templateId ?? 4242,
    templateName: n.templateName ?? template?.name ?? 'Entry Status Equals',
    templateSystemName: n.templateSystemName ?? template?.systemName ?? 'HTTP_ENTRY_STATUS_EQUALS',
    eventType: n.eventType ?? 3,
    objectType: 'KalturaHttpNotification',
  };
}

/** DataFields body: the template's user parameters, then the entry content parameters; nulls dropped. */
function dataFields(entry: Record<string, unknown>, template?: TemplateRecord): Array<[string, unknown]> {
  const userParameters = Array.isArray(template?.userParameters) ? template.userParameters.filter(isPlainObject) : [];
  const user: Array<[string, unknown]> = template
    ? userParameters.map((p) => [toText(p.key) ?? '', isPlainObject(p.value) ? p.value.value : undefined])
    : [['trigger_status', 2]];
  return [...user, ['entry_id', entry.id], ['entry_name', entry.name], ['entry_status', entry.status], ['entry_reference_id', entry.referenceId]];
}

interface Reply {
  status: number;
  body: string;
  headers: Record<string, string>;
}

function post(target: string, body: string, headers: Record<string, string>): Promise<Reply> {
  const url = new URL(target);
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const replyHeaders: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) replyHeaders[k] = Array.isArray(v) ? v.join(', ') : v;
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: replyHeaders });
      });
    });
    req.setTimeout(10_000, () => req.destroy(new Error('fake Kaltura webhook: target did not answer in 10 s')));
    req.on('error', reject);
    req.end(body);
  });
}

export async function emitWebhook(
  state: FakeState,
  target: string,
  notification: WebhookNotification,
  opts: WebhookOptions = {},
): Promise<WebhookResult> {
  const template = findTemplate(state, notification.templateId);
  const algo = opts.algo ?? ALGO_BY_TEMPLATE[Number(template?.secureHashingAlgo)] ?? 'sha256';
  const usesFields = isPlainObject(template?.data) && template.data.objectType === 'KalturaHttpNotificationDataFields';
  const variant = opts.variant ?? (usesFields ? 'fields-form' : 'json');
  const json = phpJsonEncode(toWire(buildNotification(state, notification, template)));
  const entry = toWire(notification.entry) as Record<string, unknown>;
  const rawBody =
    opts.body ??
    (variant === 'json'
      ? json
      : variant === 'data-form'
        ? `data=${phpUrlencode(json)}`
        : httpBuildQuery(opts.fields ? Object.entries(opts.fields) : dataFields(entry, template)));
  const headers: Record<string, string> = {
    'content-type': variant === 'json' ? 'application/json' : 'application/x-www-form-urlencoded',
    // the primary admin secret only, never an additional one (HttpNotificationTemplate::getJobData)
    'x-kaltura-signature': signWebhookBody(rawBody, opts.secret ?? state.account.adminSecrets[0]!, algo),
  };
  if (opts.algoHeader !== false) headers['x-kaltura-hash-algo'] = algo;

  const attempts = 1 + Math.min(Math.max(opts.retries ?? 0, 0), MAX_RETRIES);
  for (let attempt = 1; ; attempt++) {
    try {
      const reply = await post(target, rawBody, headers);
      // Kaltura treats anything but 200/204 as a temporary failure and retries the job.
      if (reply.status === 200 || reply.status === 204 || attempt >= attempts) {
        return { status: reply.status, body: reply.body, rawBody, headers, responseHeaders: reply.headers, attempts: attempt };
      }
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
    await sleep(opts.retryDelayMs ?? 20);
  }
}
