import path from 'node:path';
import { parseDuration } from '../shared/duration';
import type { ActivityUrlMappingConfig, AppTokenHashType, Config, LogLevel, RetentionConfig, SearchMode } from './config-types';

/** Deep-freezes so nothing downstream can change configuration at run time. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/** Splits `host:port` / `[::1]:port`. Input is schema-valid. */
export function parseListen(listen: string): { host: string; port: number } {
  const at = listen.lastIndexOf(':');
  const host = listen.slice(0, at).replace(/^\[(.*)\]$/, '$1');
  return { host, port: Number(listen.slice(at + 1)) };
}

interface RawConfig {
  discord: { token: string; applicationId: string; publicKey?: string; clientSecret?: string; apiBaseUrl: string; mode: 'gateway' | 'http' };
  kaltura: {
    partnerId: number;
    adminSecret?: string;
    appToken?: { id: string; token: string; hashType: AppTokenHashType };
    serviceUrl: string;
    kafUrl?: string;
    cdnUrl: string;
    requestTimeout: string;
    interactiveTimeout: string;
    playerUiConfId?: number;
    recordingCategoryId?: number;
    categoryRoot: string;
    joinRoleId?: string;
    search: SearchMode;
  };
  http: { listen: string; publicUrl: string; maxConnections: number };
  links: { secret: string; ttl: string };
  storage: { driver: 'sqlite' | 'postgres'; path: string; url?: string; poolSize: number };
  logging: { level: LogLevel; format?: 'json' | 'pretty' };
  defaults: Config['defaults'];
  webhooks: { enabled: boolean };
  recordings: { pollEvery: string; pollWindow: string; retireAfter: string };
  metrics: { enabled: boolean; token?: string };
  retention: RetentionConfig;
  activity: { mediaMappings: ActivityUrlMappingConfig[] };
}

/** A validated raw value (defaults filled) -> the typed, frozen Config. */
export function resolveConfig(value: Record<string, unknown>, file: string): Config {
  const raw = value as unknown as RawConfig;
  const { kaltura } = raw;
  const config: Config = {
    discord: {
      token: raw.discord.token,
      applicationId: raw.discord.applicationId,
      ...(raw.discord.publicKey ? { publicKey: raw.discord.publicKey.toLowerCase() } : {}),
      ...(raw.discord.clientSecret !== undefined ? { clientSecret: raw.discord.clientSecret } : {}),
      apiBaseUrl: trimSlash(raw.discord.apiBaseUrl),
      mode: raw.discord.mode,
    },
    kaltura: {
      partnerId: kaltura.partnerId,
      ...(kaltura.adminSecret !== undefined ? { adminSecret: kaltura.adminSecret } : {}),
      ...(kaltura.appToken ? { appToken: { ...kaltura.appToken } } : {}),
      serviceUrl: trimSlash(kaltura.serviceUrl),
      kafUrl: trimSlash(kaltura.kafUrl ?? `https://${kaltura.partnerId}.kaf.kaltura.com`),
      cdnUrl: trimSlash(kaltura.cdnUrl),
      requestTimeout: parseDuration(kaltura.requestTimeout)!,
      interactiveTimeout: parseDuration(kaltura.interactiveTimeout)!,
      ...(kaltura.playerUiConfId !== undefined ? { playerUiConfId: kaltura.playerUiConfId } : {}),
      ...(kaltura.recordingCategoryId !== undefined ? { recordingCategoryId: kaltura.recordingCategoryId } : {}),
      categoryRoot: kaltura.categoryRoot,
      ...(kaltura.joinRoleId !== undefined ? { joinRoleId: kaltura.joinRoleId } : {}),
      search: kaltura.search,
    },
    http: { listen: raw.http.listen, ...parseListen(raw.http.listen), publicUrl: trimSlash(raw.http.publicUrl), maxConnections: raw.http.maxConnections },
    links: { secret: raw.links.secret, ttl: parseDuration(raw.links.ttl)! },
    storage: {
      driver: raw.storage.driver,
      path: path.resolve(path.dirname(path.resolve(file)), raw.storage.path),
      ...(raw.storage.url !== undefined ? { url: raw.storage.url } : {}),
      poolSize: raw.storage.poolSize,
    },
    logging: { level: raw.logging.level, ...(raw.logging.format ? { format: raw.logging.format } : {}) },
    defaults: {
      roles: { moderatorRoleIds: [...raw.defaults.roles.moderatorRoleIds] },
      permissions: { startMeetings: raw.defaults.permissions.startMeetings, starterRoleIds: [...raw.defaults.permissions.starterRoleIds] },
      meetings: { ...raw.defaults.meetings },
      ...(raw.defaults.kaltura?.categoryId !== undefined && { kaltura: { categoryId: raw.defaults.kaltura.categoryId } }),
      notifications: {
        recordingReady: { ...raw.defaults.notifications.recordingReady },
        sessionStarted: { ...raw.defaults.notifications.sessionStarted },
        sessionEnded: { ...raw.defaults.notifications.sessionEnded },
        memberJoined: { ...raw.defaults.notifications.memberJoined },
      },
    },
    webhooks: { enabled: raw.webhooks.enabled },
    recordings: { pollEvery: parseDuration(raw.recordings.pollEvery)!, pollWindow: parseDuration(raw.recordings.pollWindow)!, retireAfter: parseDuration(raw.recordings.retireAfter)! },
    retention: { ...raw.retention },
    metrics: { enabled: raw.metrics.enabled, ...(raw.metrics.token !== undefined ? { token: raw.metrics.token } : {}) },
    activity: { mediaMappings: raw.activity.mediaMappings.map((m) => ({ prefix: m.prefix, target: trimSlash(m.target) })) },
  };
  return deepFreeze(config);
}
