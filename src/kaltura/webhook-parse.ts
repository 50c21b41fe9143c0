/**
 * Parses the body of a Kaltura HTTP event notification into a typed event. Three shapes
 * arrive on the wire, depending on the template's `data` and `urlEncode` settings:
 * the raw JSON of a `KalturaHttpNotification`, the same JSON form-encoded as `data=…`
 * (older templates), and `KalturaHttpNotificationDataFields` (`entry_id=…&entry_status=…`).
 * Call only after the signature is verified. Pure: no `kaltura-client` import.
 * @see https://developer.kaltura.com/api-docs/Manage_and_Deliver_Content/event-notifications.html
 */
import {
  WebhookError,
  type WebhookEntry,
  type WebhookEvent,
  type WebhookScheduleEvent,
} from '../core/ports/webhook-verifier';

type Json = Record<string, unknown>;

const ENTRY_READY = 2;
/** EventNotificationEventType OBJECT_ADDED and OBJECT_CREATED. */
const ADDED_EVENT_TYPES = new Set([2, 5]);

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Kaltura sends some numbers as numeric strings; accept both. */
function toInt(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d{1,15}$/.test(v.trim())) return Number(v.trim());
  return undefined;
}
const toStr = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function toEntry(obj: Json): WebhookEntry {
  const id = toStr(obj['id']);
  if (!id) throw new WebhookError('MISSING_FIELDS', 'The notified entry has no id');
  const categoryIds = toStr(obj['categoriesIds'])
    ?.split(',')
    .map((c) => toInt(c))
    .filter((c): c is number => c !== undefined);
  return {
    id,
    ...(toStr(obj['name']) !== undefined && { name: toStr(obj['name']) }),
    ...(toInt(obj['status']) !== undefined && { status: toInt(obj['status']) }),
    ...(toInt(obj['duration']) !== undefined && { durationSeconds: toInt(obj['duration']) }),
    ...(toStr(obj['userId']) !== undefined && { ownerId: toStr(obj['userId']) }),
    ...(categoryIds && categoryIds.length > 0 && { categoryIds }),
    ...(toStr(obj['rootEntryId']) !== undefined && { rootEntryId: toStr(obj['rootEntryId']) }),
    ...(toStr(obj['templateEntryId']) !== undefined && { templateEntryId: toStr(obj['templateEntryId']) }),
  };
}

function toScheduleEvent(obj: Json): WebhookScheduleEvent {
  const id = toInt(obj['id']);
  if (id === undefined) throw new WebhookError('MISSING_FIELDS', 'The notified schedule event has no id');
  const start = toInt(obj['startDate']);
  const end = toInt(obj['endDate']);
  return {
    id,
    ...(toInt(obj['status']) !== undefined && { status: toInt(obj['status']) }),
    ...(start !== undefined && { startsAt: new Date(start * 1000) }),
    ...(end !== undefined && { endsAt: new Date(end * 1000) }),
    ...(toStr(obj['referenceId']) !== undefined && { referenceId: toStr(obj['referenceId']) }),
  };
}

function classifyEntry(entry: WebhookEntry, eventType: number | undefined) {
  if (eventType !== undefined && ADDED_EVENT_TYPES.has(eventType)) return 'entry.added' as const;
  return entry.status === ENTRY_READY ? ('entry.ready' as const) : undefined;
}

/** A `KalturaHttpNotification` object, from the JSON body or the `data=` field. */
export function parseNotification(value: unknown): WebhookEvent {
  if (!isRecord(value)) throw new WebhookError('MALFORMED_BODY', 'The notification is not a JSON object');
  const jobId = toInt(value['eventNotificationJobId']) ?? toStr(value['eventNotificationJobId']);
  const templateId = toInt(value['templateId']);
  const templateSystemName = toStr(value['templateSystemName']);
  const base = {
    ...(jobId !== undefined && { jobId: String(jobId) }),
    ...(templateId !== undefined && { templateId }),
    ...(templateSystemName !== undefined && { templateSystemName }),
  };
  const eventType = toInt(value['eventType']);
  const eventObjectType = value['eventObjectType'] == null ? undefined : String(value['eventObjectType']);
  const object = value['object'];
  const objectType = isRecord(object) ? toStr(object['objectType']) : undefined;
  const isEntry = eventObjectType === '1' || (objectType !== undefined && /^Kaltura\w*Entry$/.test(objectType) && objectType !== 'KalturaCategoryEntry');
  const isScheduleEvent = /ScheduleEvent$/.test(eventObjectType ?? '') || /ScheduleEvent$/.test(objectType ?? '');
  if ((isEntry || isScheduleEvent) && !isRecord(object)) {
    throw new WebhookError('MISSING_FIELDS', 'The notification has no object');
  }
  if (isEntry && isRecord(object)) {
    const entry = toEntry(object);
    const kind = classifyEntry(entry, eventType);
    if (kind) return { ...base, kind, entry };
  } else if (isScheduleEvent && isRecord(object)) {
    return { ...base, kind: 'schedule-event.changed', event: toScheduleEvent(object) };
  }
  return {
    ...base,
    kind: 'unknown',
    ...(eventType !== undefined && { eventType }),
    ...(eventObjectType !== undefined && { eventObjectType }),
    ...(objectType !== undefined && { objectType }),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new WebhookError('MALFORMED_BODY', 'The body is not valid JSON', { cause });
  }
}

/** `KalturaHttpNotificationDataFields`: content parameters only, no event type unless the template adds `event_type`. */
function parseDataFields(form: URLSearchParams): WebhookEvent {
  const id = form.get('entry_id');
  if (!id) throw new WebhookError('MISSING_FIELDS', 'The form notification has no entry_id');
  const status = toInt(form.get('entry_status') ?? undefined);
  const entry: WebhookEntry = {
    id,
    ...(form.get('entry_name') && { name: form.get('entry_name') as string }),
    ...(status !== undefined && { status }),
  };
  const kind = classifyEntry(entry, toInt(form.get('event_type') ?? undefined));
  return kind ? { kind, entry } : { kind: 'unknown', eventObjectType: '1' };
}

export function parseWebhookBody(rawBody: Uint8Array, contentType: string | undefined): WebhookEvent {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(rawBody).trim();
  } catch (cause) {
    throw new WebhookError('MALFORMED_BODY', 'The body is not UTF-8', { cause });
  }
  if (text === '') throw new WebhookError('MALFORMED_BODY', 'The body is empty');
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType.endsWith('/json') || mediaType.endsWith('+json') || text.startsWith('{')) {
    return parseNotification(parseJson(text));
  }
  if (mediaType.endsWith('/xml') || text.startsWith('<')) {
    throw new WebhookError('MALFORMED_BODY', 'XML notifications are not supported; set the template data format to JSON');
  }
  const form = new URLSearchParams(text);
  const data = form.get('data');
  if (data !== null) {
    if (data.trim().startsWith('<')) {
      throw new WebhookError('MALFORMED_BODY', 'XML notifications are not supported; set the template data format to JSON');
    }
    return parseNotification(parseJson(data));
  }
  return parseDataFields(form);
}
