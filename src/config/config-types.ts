/**
 * The validated, frozen configuration that the composition root passes down.
 * It is produced only by `loadConfig` (YAML -> env -> schema -> defaults -> freeze);
 * every field is already checked, durations are milliseconds, paths are absolute.
 * The YAML contract itself is `schema/kaltura-discord.schema.json`.
 */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type AppTokenHashType = 'MD5' | 'SHA1' | 'SHA256' | 'SHA512';
export type SearchMode = 'auto' | 'esearch' | 'list';

export interface DiscordConfig {
  readonly token: string;
  readonly applicationId: string;
  readonly publicKey?: string;
  /** OAuth2 client secret: the Watch together Activity is enabled iff it is set. */
  readonly clientSecret?: string;
  /** REST base without the version, e.g. `https://discord.com/api`. */
  readonly apiBaseUrl: string;
  /** How interactions arrive: the gateway (default) or signed POSTs to `<http.publicUrl>/interactions` (needs `publicKey`). */
  readonly mode: 'gateway' | 'http';
}

export interface KalturaAppTokenConfig {
  readonly id: string;
  readonly token: string;
  readonly hashType: AppTokenHashType;
}

export interface KalturaConfig {
  readonly partnerId: number;
  /** Admin secret; absent when an app token is configured instead. */
  readonly adminSecret?: string;
  readonly appToken?: KalturaAppTokenConfig;
  /** API base, e.g. `https://www.kaltura.com` (no trailing slash). */
  readonly serviceUrl: string;
  /** KAF base, e.g. `https://1234567.kaf.kaltura.com` (default derived from the partner id). */
  readonly kafUrl: string;
  /** CDN base for thumbnails and playback, e.g. `https://cdnapisec.kaltura.com` (always set by loadConfig). */
  readonly cdnUrl?: string;
  /** Timeout of one API call, in milliseconds. */
  readonly requestTimeout: number;
  /**
   * Budget, in milliseconds, for the Kaltura calls a member waits on (`/kaltura start`, End): a
   * member hears back within it; what is left to undo or finish runs later as cleanup jobs.
   * Absent (adapter tests): 10 s.
   */
  readonly interactiveTimeout?: number;
  /** Player (uiconf) id used to build embed URLs; absent means no embedded player link. */
  readonly playerUiConfId?: number;
  /** Category that room recordings are published to (`custom_cat_id`); optional. */
  readonly recordingCategoryId?: number;
  /** `kaltura.categoryRoot`: full name of the category the servers' own categories are created under (always set by loadConfig). */
  readonly categoryRoot?: string;
  /** `setrole:` for members' join sessions: a restricted Kaltura user role (id or systemName); optional. */
  readonly joinRoleId?: string;
  readonly search: SearchMode;
}

export interface HttpConfig {
  /** `host:port` as written. */
  readonly listen: string;
  readonly host: string;
  readonly port: number;
  /** Public base URL without a trailing slash. */
  readonly publicUrl: string;
  /** Most connections open at once (Node's `server.maxConnections`). */
  readonly maxConnections: number;
}

export interface LinksConfig {
  readonly secret: string;
  /** Lifetime of a join link, in milliseconds. */
  readonly ttl: number;
}

export interface StorageConfig {
  /** `sqlite` (default; one instance) or `postgres` (several instances on one database). Absent = sqlite. */
  readonly driver?: 'sqlite' | 'postgres';
  /** Absolute path of the SQLite file (relative paths are resolved against the config file's folder). */
  readonly path: string;
  /** PostgreSQL connection URL (driver postgres; always set then). A secret: it holds the password. */
  readonly url?: string;
  /** Most pooled PostgreSQL connections (always set by loadConfig; default 10). */
  readonly poolSize?: number;
}

export interface LoggingConfig {
  readonly level: LogLevel;
  /** Absent: pretty on a TTY, JSON otherwise. */
  readonly format?: 'json' | 'pretty';
}

export type NotificationKind = 'recordingReady' | 'sessionStarted' | 'sessionEnded' | 'memberJoined';

export interface NotificationConfig {
  readonly enabled: boolean;
  /** Absent: the meeting's channel. */
  readonly channelId?: string;
  readonly template: string;
}

export interface DefaultsConfig {
  readonly notifications: Readonly<Record<NotificationKind, NotificationConfig>>;
  readonly roles: { readonly moderatorRoleIds: readonly string[] };
  readonly permissions: { readonly startMeetings: 'manage-events' | 'everyone'; readonly starterRoleIds: readonly string[] };
  readonly meetings: {
    readonly kind: 'meeting' | 'webinar' | 'classroom';
    readonly durationMinutes: number;
    readonly record: boolean;
    /** Live meetings one member may host at once in a server; 0: no limit (always set by loadConfig). */
    readonly maxLivePerMember?: number;
  };
  /** `defaults.kaltura`: an existing category for a server's templates and recordings (meant per server). */
  readonly kaltura?: { readonly categoryId?: number };
}

export interface RetentionConfig {
  readonly meetingsDays: number;
  readonly joinsDays: number;
  readonly settingsAuditDays: number;
  readonly notificationsDays: number;
}

export interface Config {
  readonly discord: DiscordConfig;
  readonly kaltura: KalturaConfig;
  readonly http: HttpConfig;
  readonly links: LinksConfig;
  readonly storage: StorageConfig;
  readonly logging: LoggingConfig;
  /** Server policy defaults (per-server settings layer over them later). */
  readonly defaults: DefaultsConfig;
  readonly webhooks: { readonly enabled: boolean };
  /** Durations in milliseconds. */
  /** `retireAfter` is always set by loadConfig (optional only for hand-built test configs: default 7 days). */
  readonly recordings: { readonly pollEvery: number; readonly pollWindow: number; readonly retireAfter?: number };
  /** Days history is kept before `serve` deletes it (see `retention.*` in the schema). */
  readonly retention?: RetentionConfig;
  /** `/metrics`: served when enabled; `token`, when set, is required as a Bearer token. */
  readonly metrics: { readonly enabled: boolean; readonly token?: string };
  /** The Watch together Activity's extra URL mappings (always set by loadConfig; `/kaltura-cdn` is implied). */
  readonly activity?: ActivityConfig;
}

/** One Developer Portal URL mapping: `prefix` (`/kaltura-vod`) → `target` (`host[/path]`, no protocol). */
export interface ActivityUrlMappingConfig {
  readonly prefix: string;
  readonly target: string;
}

export interface ActivityConfig {
  readonly mediaMappings: readonly ActivityUrlMappingConfig[];
}
