/**
 * What the bot's Kaltura webhook templates should look like, and the pure decisions about
 * them: which system template to clone, which of the partner's templates is ours, and what
 * differs from the wanted state. No I/O and no `kaltura-client` import, so it is unit-tested
 * on plain objects. The calls live in `notification-templates.ts`.
 * @see /work/shared/reference/kaltura-api.md §4 (HTTP event notifications)
 */
import { asRecord, intField, isRecord, ShapeError, type JsonRecord } from './parse';

export const TEMPLATE_STATUS = { DISABLED: 1, ACTIVE: 2, DELETED: 3 } as const;
export const HTTP_METHOD_POST = 2;
/** `KalturaSecureHashingAlgo`: 1 SHA_1 (the server's default), 2 SHA_256, 3 SHA_512. */
export const SECURE_HASHING_SHA256 = 2;
/** `KalturaResponseType` JSON. */
const FORMAT_JSON = 1;
const OBJECT_DATA = 'KalturaHttpNotificationObjectData';
const OBJECT_CODE = '$scope->getObject()';

export type BotTemplateKey = 'recordingReady' | 'sessionChanged';

export interface BotTemplateSpec {
  readonly key: BotTemplateKey;
  /** Human label, e.g. `recording ready`. */
  readonly label: string;
  /** Our systemName: how our templates are told apart from everyone else's. */
  readonly systemName: string;
  readonly name: string;
  readonly description: string;
  /** Without it the bot's webhooks are useless; an optional one is skipped when not offered. */
  readonly required: boolean;
  /** The API class the notified object is serialized as (must be concrete on the server). */
  readonly apiObjectType: string;
  /**
   * How the system template to clone is recognised, and how that is said in messages. With
   * `systemName` it is looked up by `systemNameEqual`; otherwise every HTTP system template is
   * read (page by page) and `matches` picks.
   */
  readonly source: { readonly describe: string; readonly systemName?: string; readonly matches: (t: TemplateInfo) => boolean };
}

/**
 * - recording ready: `HTTP_ENTRY_STATUS_EQUALS` ("Entry Status Equals", OBJECT_CHANGED on
 *   entries, user parameter `trigger_status` defaulting to 2 = READY), the system template
 *   the reference names for "entry/recording ready". The clone keeps its condition and only
 *   changes the delivery: our URL, POST, the entry as JSON, SHA-256 signatures.
 * - session changed: no system template name for schedule events is documented, so it is
 *   recognised by shape (an HTTP template on `scheduleEventNotifications.ScheduleEvent` for
 *   OBJECT_CHANGED). Optional: where the server offers none, setup says so and moves on.
 *   Its object class is `KalturaRecordScheduleEvent`, the class the bot creates sessions as
 *   [unverified: that the server serializes other schedule-event kinds with it].
 */
export const BOT_TEMPLATES: readonly BotTemplateSpec[] = [
  {
    key: 'recordingReady',
    label: 'recording ready',
    systemName: 'kaltura_discord_recording_ready',
    name: 'kaltura-discord: recording ready',
    description: 'Tells the kaltura-discord bot when an entry (a meeting recording) becomes READY. Managed by `kaltura-discord webhooks setup`.',
    required: true,
    apiObjectType: 'KalturaMediaEntry',
    source: { describe: 'HTTP_ENTRY_STATUS_EQUALS', systemName: 'HTTP_ENTRY_STATUS_EQUALS', matches: (t) => t.systemName === 'HTTP_ENTRY_STATUS_EQUALS' },
  },
  {
    key: 'sessionChanged',
    label: 'session changed',
    systemName: 'kaltura_discord_session_changed',
    name: 'kaltura-discord: session changed',
    description: 'Tells the kaltura-discord bot when a scheduled session changes or is cancelled. Managed by `kaltura-discord webhooks setup`.',
    required: false,
    apiObjectType: 'KalturaRecordScheduleEvent',
    source: {
      describe: 'an HTTP template for changed schedule events (scheduleEventNotifications.ScheduleEvent, OBJECT_CHANGED)',
      matches: (t) => /ScheduleEvent$/.test(t.eventObjectType ?? '') && t.eventType === 3 && (t.type === undefined || t.type === 'httpNotification.Http'),
    },
  },
];

export interface TemplateData {
  readonly objectType: string;
  readonly apiObjectType?: string;
  readonly format?: number;
  readonly code?: string;
}

/** The fields of a `KalturaHttpNotificationTemplate` that the bot reads. */
export interface TemplateInfo {
  readonly id: number;
  readonly partnerId?: number;
  readonly name?: string;
  readonly systemName?: string;
  readonly type?: string;
  /** 1 DISABLED, 2 ACTIVE, 3 DELETED. */
  readonly status: number;
  readonly eventType?: number;
  readonly eventObjectType?: string;
  readonly url?: string;
  /** 1 GET, 2 POST, 3 PUT, 4 DELETE. */
  readonly method?: number;
  readonly secureHashingAlgo?: number;
  readonly data?: TemplateData;
}

function lenientStr(obj: JsonRecord, field: string): string | undefined {
  const v = obj[field];
  return typeof v === 'string' ? v : undefined;
}

function lenientInt(obj: JsonRecord, field: string): number | undefined {
  const v = obj[field];
  if (v === undefined || v === null || v === '') return undefined;
  try {
    return intField(obj, field);
  } catch {
    return undefined;
  }
}

/** Kaltura sends enums as numbers or numeric strings, and `eventObjectType` as either; accept all. */
export function parseTemplate(raw: unknown): TemplateInfo {
  const obj = asRecord(raw, 'event notification template');
  const id = lenientInt(obj, 'id');
  const status = lenientInt(obj, 'status');
  if (id === undefined) throw new ShapeError('template id is not an integer');
  if (status === undefined) throw new ShapeError('template status is not an integer');
  const rawData = obj['data'];
  let data: TemplateData | undefined;
  if (isRecord(rawData)) {
    data = {
      objectType: typeof rawData['objectType'] === 'string' ? rawData['objectType'] : 'unknown',
      ...(typeof rawData['apiObjectType'] === 'string' && { apiObjectType: rawData['apiObjectType'] }),
      ...(lenientInt(rawData, 'format') !== undefined && { format: lenientInt(rawData, 'format') }),
      ...(typeof rawData['code'] === 'string' && { code: rawData['code'] }),
    };
  }
  const eventObjectType = obj['eventObjectType'];
  return {
    id,
    status,
    partnerId: lenientInt(obj, 'partnerId'),
    name: lenientStr(obj, 'name'),
    systemName: lenientStr(obj, 'systemName'),
    type: lenientStr(obj, 'type'),
    eventType: lenientInt(obj, 'eventType'),
    eventObjectType: typeof eventObjectType === 'string' || typeof eventObjectType === 'number' ? String(eventObjectType) : undefined,
    url: lenientStr(obj, 'url'),
    method: lenientInt(obj, 'method'),
    secureHashingAlgo: lenientInt(obj, 'secureHashingAlgo'),
    data,
  };
}

/** The delivery settings every bot template must have, as sent to `clone` and `update`. */
export function deliveryFields(spec: BotTemplateSpec, url: string): Record<string, unknown> {
  return {
    url,
    method: HTTP_METHOD_POST,
    data: { objectType: OBJECT_DATA, apiObjectType: spec.apiObjectType, format: FORMAT_JSON, code: OBJECT_CODE },
    secureHashingAlgo: SECURE_HASHING_SHA256,
  };
}

/** The `clone` overrides: our name and systemName plus the delivery settings. */
export function cloneOverrides(spec: BotTemplateSpec, url: string): { readonly objectType: string; readonly [field: string]: unknown } {
  return { objectType: 'KalturaHttpNotificationTemplate', name: spec.name, systemName: spec.systemName, description: spec.description, ...deliveryFields(spec, url) };
}

/** Same URL after parsing (so `HTTPS://Host/x` equals `https://host/x`); unparsable ones compare as text. */
export function sameUrl(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  return URL.canParse(a) && URL.canParse(b) ? new URL(a).href === new URL(b).href : a === b;
}

export const statusName = (status: number): string =>
  status === TEMPLATE_STATUS.ACTIVE ? 'ACTIVE' : status === TEMPLATE_STATUS.DISABLED ? 'DISABLED' : status === TEMPLATE_STATUS.DELETED ? 'DELETED' : `status ${status}`;

export const methodName = (method: number | undefined): string =>
  ({ 1: 'GET', 2: 'POST', 3: 'PUT', 4: 'DELETE' })[method ?? 0] ?? (method === undefined ? 'no method' : `method ${method}`);

/** The server signs with SHA-1 when the field is unset or unknown. */
export const hashAlgoName = (algo: number | undefined): 'sha1' | 'sha256' | 'sha512' => (algo === 2 ? 'sha256' : algo === 3 ? 'sha512' : 'sha1');

export function describeData(data: TemplateData | undefined): string {
  if (!data) return 'no body';
  if (data.objectType === OBJECT_DATA) return `${data.format === FORMAT_JSON ? 'JSON' : 'non-JSON'} ${data.apiObjectType ?? 'object'}`;
  return data.objectType.replace(/^KalturaHttpNotification/, '');
}

/** What separates a template from the wanted delivery settings (status excluded), in words. */
export function deliveryDifferences(spec: BotTemplateSpec, t: TemplateInfo, url: string): string[] {
  const out: string[] = [];
  if (!sameUrl(t.url, url)) out.push(`url ${t.url ?? '(none)'} → ${url}`);
  if (t.method !== HTTP_METHOD_POST) out.push(`method ${methodName(t.method)} → POST`);
  const d = t.data;
  if (!d || d.objectType !== OBJECT_DATA || d.apiObjectType !== spec.apiObjectType || d.format !== FORMAT_JSON || d.code !== OBJECT_CODE) {
    out.push(`body ${describeData(d)} → JSON ${spec.apiObjectType}`);
  }
  if (t.secureHashingAlgo !== SECURE_HASHING_SHA256) out.push(`signature ${hashAlgoName(t.secureHashingAlgo)} → sha256`);
  return out;
}

/**
 * Which of the partner's templates with our systemName is the one to manage: an ACTIVE one
 * first (the server allows one ACTIVE per systemName), else the newest. The others are
 * reported, never deleted.
 */
export function pickOwn(spec: BotTemplateSpec, own: readonly TemplateInfo[]): { template?: TemplateInfo; duplicates: TemplateInfo[] } {
  const mine = own
    .filter((t) => t.systemName === spec.systemName && t.status !== TEMPLATE_STATUS.DELETED && t.partnerId !== 0)
    .sort((a, b) => Number(b.status === TEMPLATE_STATUS.ACTIVE) - Number(a.status === TEMPLATE_STATUS.ACTIVE) || b.id - a.id);
  const [template, ...duplicates] = mine;
  return template ? { template, duplicates } : { duplicates };
}

/** The system template to clone: the first match, lowest id first so repeated runs agree. */
export function pickSource(spec: BotTemplateSpec, system: readonly TemplateInfo[]): TemplateInfo | undefined {
  return [...system].sort((a, b) => a.id - b.id).find((t) => t.status !== TEMPLATE_STATUS.DELETED && spec.source.matches(t));
}
