/** Public types of the wire-level fake Kaltura server (see `index.ts`). */

export type HashType = 'MD5' | 'SHA1' | 'SHA256' | 'SHA512';

export interface AppTokenSeed {
  id: string;
  token: string;
  hashType?: HashType;
  sessionType?: 0 | 2;
  sessionUserId?: string;
  sessionPrivileges?: string;
  sessionDuration?: number;
  /** 1 DISABLED, 2 ACTIVE (default), 3 DELETED. */
  status?: 1 | 2 | 3;
  /** Absolute unix seconds. */
  expiry?: number;
}

export interface FakeKalturaOptions {
  partnerId?: number;
  adminSecret?: string;
  userSecret?: string;
  appTokens?: AppTokenSeed[];
  /** false: `searchEntry` answers SERVICE_FORBIDDEN, like an account without eSearch. */
  esearch?: boolean;
  /** Enabled additional (secondary) admin secrets: they sign KSs, never notifications (partner-account.ts). */
  additionalAdminSecrets?: string[];
  /** `partner.getInfo` leaves `adminSecret`/`secret` out, as for a partner with hideSecrets. */
  hideSecrets?: boolean;
  /** Permission names the partner lacks, e.g. `SCHEDULE_RESOURCE_MANAGE` (permission-items.ts). */
  missingPermissions?: string[];
  /** Further system notification templates listed before the standard ones, to exercise paging. */
  extraSystemTemplates?: number;
  /** The partner's user roles (`userRole.list/get`; what `setrole:` may name). */
  userRoles?: Array<{ id: number; systemName: string; name?: string; status?: 1 | 2 | 3 }>;
  /** Unix seconds. */
  now?: () => number;
}

export type FakeFault =
  | { kind: 'latency'; ms: number }
  | { kind: 'status'; status: number }
  | { kind: 'hang' }
  /** The call runs on the server, then its answer never comes: a timeout that hides a success. */
  | { kind: 'lost-reply' }
  | { kind: 'reset' }
  | { kind: 'html' }
  | { kind: 'forbid' };

/**
 * Which requests a fault applies to. Service and action compare case-insensitively with the wire
 * names (`schedule_scheduleresource`, `list`). A multirequest matches when any of its calls does.
 * The simulated KAF matches only a fault scoped to service `kaf` (action `launch`).
 */
export interface FaultScope {
  service?: string;
  action?: string;
  /** How many matching requests the fault applies to; default Infinity. */
  times?: number;
}

export interface KsSummary {
  userId: string;
  type: number;
  privileges: Record<string, string>;
}

export interface RecordedRequest {
  /** Lower-cased wire service id. */
  service: string;
  action: string;
  /** The action parameters as received (no ks/kalsig/clientTag/apiVersion/format); secrets stay in. */
  // `any` on purpose: a JSON edge that tests read nested fields from.
  params: Record<string, any>;
  /** Multirequest calls only: the parameters after `{N:result}` references were replaced. */
  resolvedParams?: Record<string, any>;
  /** The decoded KS, when one was sent and it verified. */
  ks?: KsSummary;
  ksString?: string;
  /** The sub-request key ("0", "1", …) as a number, for calls inside a multirequest. */
  multirequestIndex?: number;
  httpMethod: string;
  /** The request's Content-Type header as sent (the real server only JSON-decodes exactly `application/json`). */
  contentType: string;
  /** Set when an injected transport fault answered instead of the API. */
  fault?: FakeFault['kind'];
  /** The `code` of the KalturaAPIException returned, if any. */
  errorCode?: string;
}

export interface KafLaunch {
  userId: string;
  role: string;
  userContextualRole: string;
  eventId?: string;
  resourceId?: string;
  firstName?: string;
  lastName?: string;
  privileges: Record<string, string>;
  /** KS type (0 USER, 2 ADMIN) and the raw KS. */
  type: number;
  ks: string;
}

/** KalturaMediaEntry as the fake stores and returns it (§5.2). */
export interface MediaEntry {
  id: string;
  name: string;
  description?: string;
  partnerId: number;
  userId?: string;
  creatorId?: string;
  tags?: string;
  categories?: string;
  categoriesIds?: string;
  /** EntryStatus: 2 READY, 3 DELETED, 4 PENDING, 7 NO_CONTENT, … */
  status: number;
  /** 6 AUTO_APPROVED; 1 PENDING_MODERATION and 3 REJECTED are hidden from default lists. */
  moderationStatus: number;
  /**
   * entryType: 1 MEDIA_CLIP, 5 PLAYLIST, 7 LIVE_STREAM, 8 LIVE_CHANNEL; plugin types are strings
   * (`room.ROOM`, kaltura/server plugins/room/lib/model/enum/RoomEntryType.php).
   */
  type: number | string;
  /** KalturaMediaType: 1 VIDEO, 2 IMAGE, 5 AUDIO, 201+ live. */
  mediaType: number;
  sourceType?: string;
  duration: number;
  msDuration: number;
  plays: number;
  views: number;
  lastPlayedAt?: number;
  width?: number;
  height?: number;
  createdAt: number;
  updatedAt: number;
  thumbnailUrl: string;
  referenceId?: string;
  /** The entry this one was created from (`entry::copyTemplate`); insert-only on the server. */
  templateEntryId?: string;
  /** Read-only on the server; set for recordings made from a template (the sample lists them by it). */
  rootEntryId?: string;
  adminTags?: string;
  partnerData?: string;
  /** Follows `type` (KalturaEntryFactory::getInstanceByType). */
  objectType: 'KalturaMediaEntry' | 'KalturaPlaylist' | 'KalturaLiveStreamEntry' | 'KalturaLiveChannel' | 'KalturaRoomEntry';
}

/** What `addEntry` takes: stored fields, plus two seeding conveniences. */
export type EntrySeed = Partial<MediaEntry> & {
  name: string;
  /** Sets `categoriesIds` (and `categories` from the stored categories' full names). */
  categoryIds?: readonly number[];
  /**
   * Gives the entry a READY MP4 flavor that playManifest/serveFlavor deliver: `true` for the
   * committed fixture (tests/fixtures/media/test-pattern-180s.mp4, 180 s, whose length becomes
   * the default `duration`), or a path to another file.
   */
  video?: boolean | string;
};

/** One request to the delivery routes (playManifest, serveFlavor, thumbnail), as answered. */
export interface DeliveryRecord {
  route: 'playManifest' | 'serveFlavor' | 'thumbnail';
  entryId: string;
  status: number;
  /** `X-Kaltura: error-N` code when refused (KExternalErrors). */
  error?: number;
  /** The Range header as sent. */
  range?: string;
  /** The verified KS's user, type and privileges. */
  ks?: KsSummary;
  /** The KS as sent (tests replay it against other entries). */
  ksString?: string;
  /** Set when an injected transport fault answered instead (status stays 0 unless it was `status`). */
  fault?: FakeFault['kind'];
}

/** KalturaCategory as the fake stores it (api_v3/lib/types/KalturaCategory.php). */
export interface CategoryRecord extends StoredObject {
  id: number;
  parentId: number;
  depth: number;
  partnerId: number;
  name: string;
  /** Ancestors' names joined by `>` (categoryPeer::CATEGORY_SEPARATOR). */
  fullName: string;
  fullIds: string;
  /** 1 UPDATING, 2 ACTIVE, 3 DELETED, 4 PURGED. */
  status: number;
  createdAt: number;
  updatedAt: number;
}

/** A stored Kaltura object: typed where the fake relies on a field, open for everything echoed. */
export interface StoredObject {
  objectType: string;
  [field: string]: unknown;
}

export interface ScheduleResourceRecord extends StoredObject {
  id: number;
  name: string;
  systemName?: string;
  tags?: string;
  status: number;
  createdAt: number;
  updatedAt: number;
}

export interface ScheduleEventRecord extends StoredObject {
  id: number;
  summary: string;
  status: number;
  startDate: number;
  endDate: number;
  ownerId?: string;
  referenceId?: string;
  tags?: string;
  /** KalturaEntryScheduleEvent: the entry recordings of this event are created from. */
  templateEntryId?: string;
  sequence: number;
  createdAt: number;
  updatedAt: number;
}

export interface ScheduleEventResourceRecord extends StoredObject {
  eventId: number;
  resourceId: number;
  createdAt: number;
  updatedAt: number;
}

export interface UserRecord extends StoredObject {
  id: string;
  /** 0 BLOCKED, 1 ACTIVE, 2 DELETED. */
  status: number;
  firstName?: string;
  lastName?: string;
  screenName?: string;
  createdAt: number;
  updatedAt: number;
}

export interface TemplateRecord extends StoredObject {
  id: number;
  partnerId: number;
  systemName?: string;
  name?: string;
  /** 1 DISABLED, 2 ACTIVE, 3 DELETED. */
  status: number;
  createdAt: number;
  updatedAt: number;
}

export interface AppTokenRecord extends StoredObject {
  id: string;
  token: string;
  hashType: HashType;
  status: number;
  sessionType?: number;
  sessionUserId?: string;
  sessionPrivileges?: string;
  sessionDuration: number;
  expiry?: number;
}

export interface FakeStore {
  resources: Map<number, ScheduleResourceRecord>;
  events: Map<number, ScheduleEventRecord>;
  eventResources: ScheduleEventResourceRecord[];
  entries: Map<string, MediaEntry>;
  users: Map<string, UserRecord>;
  /** The partner's own (cloned) notification templates; the system ones are served by listTemplates. */
  templates: Map<number, TemplateRecord>;
  categories: Map<number, CategoryRecord>;
}

export interface WebhookNotification {
  entry: MediaEntry | Record<string, unknown>;
  /** EventNotificationEventType; default 3 (OBJECT_CHANGED). */
  eventType?: number;
  jobId?: number;
  templateId?: number;
  templateName?: string;
  templateSystemName?: string;
}

export interface WebhookOptions {
  /** Default: the stored template's secureHashingAlgo when templateId names one, else sha256. */
  algo?: 'sha1' | 'sha256' | 'sha512';
  /** Send X-KALTURA-HASH-ALGO (default true); false imitates older servers (sha1 only). */
  algoHeader?: boolean;
  /** json: raw KalturaHttpNotification JSON; data-form: `data=<urlencoded JSON>`; fields-form: DataFields. */
  variant?: 'json' | 'data-form' | 'fields-form';
  /** Signing secret; default the admin secret. */
  secret?: string;
  /** Extra attempts when the target answers other than 200/204 or the connection fails (bounded to 10). */
  retries?: number;
  /** Delay between attempts in ms (default 20). */
  retryDelayMs?: number;
  /** Send exactly this body instead of building one (for byte-exact vectors). */
  body?: string;
  /** DataFields variant: the fields to send instead of the template's parameters. */
  fields?: Record<string, string | number>;
}

export interface WebhookResult {
  /** The target's reply to the last attempt. */
  status: number;
  body: string;
  /** The exact body sent (what the signature covers). */
  rawBody: string;
  /** The request headers sent (content-type, x-kaltura-signature, x-kaltura-hash-algo). */
  headers: Record<string, string>;
  responseHeaders: Record<string, string>;
  attempts: number;
}

export interface FakeKaltura {
  /** serviceUrl for kaltura-client, e.g. http://127.0.0.1:PORT */
  readonly url: string;
  /** `${url}/kaf`; the launch page is `${kafUrl}/virtualEvent/launch?ks=…`. */
  readonly kafUrl: string;
  readonly partnerId: number;
  readonly adminSecret: string;
  readonly userSecret: string;
  readonly requests: RecordedRequest[];
  readonly launches: KafLaunch[];
  /** `any` on purpose: tests poke at stored JSON objects; the fake itself uses the typed FakeStore. */
  readonly store: {
    resources: Map<number, any>;
    events: Map<number, any>;
    eventResources: any[];
    entries: Map<string, any>;
    users: Map<string, any>;
    templates: Map<number, any>;
    categories: Map<number, any>;
  };
  /** Errors thrown by the fake itself (bugs), answered as INTERNAL_SERVERL_ERROR. */
  readonly internalErrors: Error[];
  /** playManifest / serveFlavor / thumbnail requests, in order (media-delivery.ts). */
  readonly deliveries: DeliveryRecord[];
  /**
   * Seeds a media entry (READY video unless given), ids like `0_ab12cd34`. With `video` it can be
   * played through playManifest; `categoryIds` publishes it in categories.
   */
  addEntry(entry: EntrySeed): MediaEntry;
  /**
   * Adds a recording of a room's session. When the session has a `templateEntryId` the entry is
   * created from that template (copyTemplate, rootEntryId = template) as the corrected §2.6 says;
   * otherwise it is named after the room (the older behaviour).
   */
  addRecording(resourceId: number, opts?: { eventId?: number; name?: string; status?: number; duration?: number }): MediaEntry;
  inject(fault: FakeFault, scope?: FaultScope): void;
  clearFaults(): void;
  /** Whether the room of this schedule event records now (auto-record, ACTIVE, before its endDate). */
  recordingNow(eventId: number): boolean;
  /** Mints a KS v2 (or v1) for tests; defaults: ADMIN, userId '', 24 h, the admin secret. */
  mintKs(opts?: {
    userId?: string;
    type?: 0 | 2;
    privileges?: string;
    expiresIn?: number;
    secret?: string;
    version?: 1 | 2;
    partnerId?: number;
  }): string;
  emitWebhook(target: string, notification: WebhookNotification, opts?: WebhookOptions): Promise<WebhookResult>;
  /** Stops the server and ends every open socket, hung ones included. */
  close(): Promise<void>;
}
