/**
 * Where every KS comes from. Two modes, chosen by configuration:
 * - admin secret: admin and join KSs are generated locally (KS v2), no round trip;
 * - app token: `session.startWidgetSession` gives an unprivileged KS, then
 *   `appToken.startSession` with `hash(widgetKs + token)` gives the real one. The widget KS is
 *   cached, so a member's join KS costs one round trip. No secret is stored in this mode.
 * @see https://developer.kaltura.com/api-docs/VPaaS-API-Getting-Started/application-tokens.html
 */
import { createHash } from 'node:crypto';
import type { KalturaConfig } from '../config/config-types';
import type { Logger } from '../core/logger';
import type { Clock, RandomBytes } from '../core/ports/clock';
import { createCachedSession, type IssuedSession } from './cached-session';
import { isApiError, KalturaCapabilityError } from './errors';
import { generateKsV2, KS_TYPE_ADMIN, KS_TYPE_USER } from './ks-v2';
import { asRecord, optInt, optStr, strField } from './parse';
import { MAX_JOIN_KS_LIFETIME_S, withJoinRole } from './privileges';
import type { Redactor } from './redact';
import type { KalturaTransport } from './transport';

/** Kaltura user id the bot acts as in admin sessions. */
export const BOT_USER_ID = 'kaltura-discord';
const WIDGET_KS_LIFETIME_S = 86_400;

export interface SessionManagerOptions {
  readonly config: KalturaConfig;
  readonly transport: KalturaTransport;
  readonly clock: Clock;
  readonly random: RandomBytes;
  readonly redact: Redactor;
  readonly logger: Logger;
  /** Lifetime of a locally generated admin KS; default 1 h. */
  readonly adminKsLifetimeMs?: number;
  /** Renew a cached KS when less than this remains; default 5 min. */
  readonly renewBeforeMs?: number;
}

export interface UserKsRequest {
  readonly userId: string;
  readonly privileges: string;
  /** Absolute, unix seconds. */
  readonly expiresAt: number;
}

export interface SessionManager {
  readonly mode: 'admin-secret' | 'app-token';
  adminKs(): Promise<string>;
  invalidateAdminKs(ks: string): void;
  userKs(request: UserKsRequest): Promise<string>;
}

interface SessionInfo {
  readonly ks: string;
  readonly sessionType?: number;
  readonly userId?: string;
  readonly expiry?: number;
}

function parseSessionInfo(raw: unknown): SessionInfo {
  const obj = asRecord(raw, 'session info');
  const sessionType = optInt(obj, 'sessionType');
  const userId = optStr(obj, 'userId');
  const expiry = optInt(obj, 'expiry');
  return { ks: strField(obj, 'ks'), ...(sessionType !== undefined && { sessionType }), ...(userId !== undefined && { userId }), ...(expiry !== undefined && { expiry }) };
}

/**
 * A member's KS never outlives the meeting's need (the caller's `expiresAt`) nor one day
 * (`MAX_JOIN_KS_LIFETIME_S`); one already in the past is a caller bug, refused.
 */
function userKsExpiry(expiresAt: number, nowS: number): number {
  if (!Number.isSafeInteger(expiresAt) || expiresAt <= nowS) throw new RangeError('a user KS must expire in the future');
  return Math.min(expiresAt, nowS + MAX_JOIN_KS_LIFETIME_S);
}

export function createSessionManager(options: SessionManagerOptions): SessionManager {
  const { config, clock, transport, redact } = options;
  const renewBeforeMs = options.renewBeforeMs ?? 5 * 60_000;
  const log = options.logger;
  const nowS = () => Math.floor(clock.now() / 1000);

  if (config.adminSecret) {
    const secret = config.adminSecret;
    const lifetimeMs = options.adminKsLifetimeMs ?? 3_600_000;
    const local = (userId: string, type: 0 | 2, privileges: string, expiresAt: number) =>
      generateKsV2({ adminSecret: secret, partnerId: config.partnerId, userId, type, expiresAt, privileges, random: options.random(16) });
    const admin = createCachedSession(
      async () => {
        const expiresAt = Math.floor((clock.now() + lifetimeMs) / 1000);
        log.debug({ expiresAt }, 'generated admin KS locally');
        return { ks: local(BOT_USER_ID, KS_TYPE_ADMIN, 'disableentitlement', expiresAt), expiresAtMs: expiresAt * 1000 };
      },
      clock,
      renewBeforeMs,
    );
    return {
      mode: 'admin-secret',
      adminKs: admin.get,
      invalidateAdminKs: admin.invalidate,
      userKs: async (r) => local(r.userId, KS_TYPE_USER, withJoinRole(r.privileges, config.joinRoleId), userKsExpiry(r.expiresAt, nowS())),
    };
  }

  const appToken = config.appToken;
  if (!appToken) throw new KalturaCapabilityError('credentials', 'Kaltura needs either kaltura.adminSecret or kaltura.appToken');
  const algo = appToken.hashType.toLowerCase();

  const widget = createCachedSession(
    async (): Promise<IssuedSession> => {
      const ks = await transport.call({
        service: 'session',
        action: 'startWidgetSession',
        kind: 'read',
        build: (s) => s.session.startWidgetSession(`_${config.partnerId}`, WIDGET_KS_LIFETIME_S),
        parse: (raw) => strField(asRecord(raw, 'widget session'), 'ks'),
      });
      redact.remember(ks);
      return { ks, expiresAtMs: (nowS() + WIDGET_KS_LIFETIME_S) * 1000 };
    },
    clock,
    renewBeforeMs,
  );

  async function startSession(userId: string, type: number, expiry: number, privileges: string | null): Promise<SessionInfo> {
    for (let tries = 0; ; tries++) {
      const widgetKs = await widget.get();
      // tokenHash = hex(hash(widgetKs . token)); the KS must be the one sent with this call
      const tokenHash = createHash(algo).update(widgetKs + appToken!.token, 'utf8').digest('hex');
      try {
        const info = await transport.call({
          service: 'appToken',
          action: 'startSession',
          kind: 'read',
          ks: widgetKs,
          build: (s) => s.appToken.startSession(appToken!.id, tokenHash, userId, type, expiry, privileges),
          parse: parseSessionInfo,
        });
        redact.remember(info.ks);
        return info;
      } catch (err) {
        if (tries === 0 && isApiError(err, 'INVALID_KS')) {
          widget.invalidate(widgetKs);
          continue;
        }
        throw err;
      }
    }
  }

  const admin = createCachedSession(
    async () => {
      const lifetimeS = Math.floor((options.adminKsLifetimeMs ?? 3_600_000) / 1000);
      const info = await startSession(BOT_USER_ID, KS_TYPE_ADMIN, lifetimeS, null);
      if (info.sessionType !== undefined && info.sessionType !== KS_TYPE_ADMIN) {
        log.warn({ sessionType: info.sessionType }, 'the app token issues USER sessions; meeting-room and user calls will be refused');
      }
      return { ks: info.ks, expiresAtMs: (info.expiry ?? nowS() + lifetimeS) * 1000 };
    },
    clock,
    renewBeforeMs,
  );

  return {
    mode: 'app-token',
    adminKs: admin.get,
    invalidateAdminKs: admin.invalidate,
    async userKs(r) {
      // `setrole` is server-reserved for app tokens (kSessionUtils::retrieveAllowedAppSessionPrivileges
      // drops it), which is why kaltura.joinRoleId requires the admin secret (check-config-semantics)
      const info = await startSession(r.userId, KS_TYPE_USER, Math.max(60, userKsExpiry(r.expiresAt, nowS()) - nowS()), r.privileges);
      // a token with a fixed sessionType/sessionUserId overrides ours: an ADMIN KS in a join
      // link would hand out API access, and a shared user id makes members kick each other out
      if ((info.sessionType !== undefined && info.sessionType !== KS_TYPE_USER) || (info.userId !== undefined && info.userId !== r.userId)) {
        throw new KalturaCapabilityError(
          'join-links',
          'The Kaltura app token fixes the session type or user id, so it cannot issue personal join links; create one without sessionType and sessionUserId',
        );
      }
      return info.ks;
    },
  };
}
