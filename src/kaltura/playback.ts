/**
 * A member's playback of one entry: a USER KS (type 0) that can view only that entry, the
 * playManifest URL with it, and that URL's redirects resolved to the final flavor URL.
 *
 * Privileges, from kaltura/server:
 * - `sview:<entryId>`: the privilege that lifts "a KS is required" access control for this
 *   entry only (kAuthenticatedCondition::internalFulfilled checks sview for the scope's entry;
 *   KSecureEntryHelper::validateForPlay skips moderation/scheduling checks only with it).
 * - `disableentitlementforentry:<entryId>`: the member is not a member of the Kaltura category;
 *   the bot already decided they may watch, so entitlement is lifted for this entry alone.
 *   Kaltura's own playback tokens carry exactly these two (alpha/apps/kaltura/lib/storage/
 *   urlTokenizers/kKsUrlTokenizer.php tokenizeSingleUrl; alpha/lib/model/asset.php).
 * - `setrole:PLAYBACK_BASE_ROLE`: the partner-0 role "Only playback"
 *   (deployment/base/scripts/init_data/03.UserRole.ini), looked up by systemName in the KS
 *   partner and partner 0 (kPermissionManager::getRoleIds), so a KS copied out of a browser
 *   cannot call media.add or list the account the way a default USER session could.
 * With an app token the server keeps only the privileges the token allows
 * (kSessionUtils::retrieveAllowedAppSessionPrivileges: reserved keys such as sview need the
 * token itself to carry `sview:*`), so the admin secret is the dependable way.
 * @see https://developer.kaltura.com/api-docs/Secure_and_Control_Access/Kaltura_Access_Control_Profiles.html
 */
import type { KalturaConfig } from '../config/config-types';
import type { Logger } from '../core/logger';
import type { Clock, RandomBytes } from '../core/ports/clock';
import type { Playback, PlaybackOptions } from '../core/ports/media-library';
import { generateKsV2, KS_TYPE_USER } from './ks-v2';
import { isEntryId, type MediaUrls } from './media-urls';
import { resolvePlayableUrl } from './playback-resolve';
import type { SessionManager } from './session-manager';

export const PLAYBACK_ROLE = 'PLAYBACK_BASE_ROLE';
const MIN_TTL_S = 60;
/** session.start caps a KS at one day (Partner::validateSecret, ksMaxExpiryInSeconds). */
const MAX_TTL_S = 86_400;
const USER_ID = /^[A-Za-z0-9_.@-]{1,128}$/;

export interface PlaybackDeps {
  readonly config: KalturaConfig;
  readonly sessions: SessionManager;
  readonly urls: MediaUrls;
  readonly clock: Clock;
  readonly random: RandomBytes;
  readonly logger: Logger;
  /** Aborted when the adapter closes. */
  readonly signal?: AbortSignal;
  /** Bound of the redirect resolution; default 3 s. */
  readonly resolveTimeoutMs?: number;
}

export function playbackPrivileges(entryId: string): string {
  if (!isEntryId(entryId)) throw new RangeError('not a Kaltura entry id');
  return `sview:${entryId},disableentitlementforentry:${entryId},setrole:${PLAYBACK_ROLE}`;
}

export function createPlayback(deps: PlaybackDeps): (entryId: string, options: PlaybackOptions) => Promise<Playback> {
  const { config, sessions, urls, clock, logger } = deps;

  async function userKs(userId: string, privileges: string, expiresAt: number): Promise<string> {
    if (config.adminSecret === undefined) return sessions.userKs({ userId, privileges, expiresAt });
    return generateKsV2({
      adminSecret: config.adminSecret,
      partnerId: config.partnerId,
      userId,
      type: KS_TYPE_USER,
      expiresAt,
      privileges,
      random: deps.random(16),
    });
  }

  return async (entryId, { userId, ttlSeconds }) => {
    const privileges = playbackPrivileges(entryId);
    if (!USER_ID.test(userId)) throw new RangeError('userId must be a Kaltura user id such as discord_<snowflake>');
    if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds < MIN_TTL_S || ttlSeconds > MAX_TTL_S) {
      throw new RangeError(`ttlSeconds must be an integer from ${MIN_TTL_S} to ${MAX_TTL_S}`);
    }
    const expiresAt = Math.floor(clock.now() / 1000) + ttlSeconds;
    const ks = await userKs(userId, privileges, expiresAt);
    const resolved = await resolvePlayableUrl(urls.playManifestUrl(entryId, ks), {
      ...(deps.signal && { signal: deps.signal }),
      ...(deps.resolveTimeoutMs !== undefined && { timeoutMs: deps.resolveTimeoutMs }),
    });
    logger.debug({ entryId, redirects: resolved.redirects }, 'resolved a playback source');
    return {
      entryId,
      sources: [{ url: resolved.url, mimeType: resolved.mimeType ?? 'video/mp4' }],
      // the thumbnail API takes `ks/<ks>` for accounts whose access control covers thumbnails too (reference §5.4)
      posterUrl: `${urls.thumbnailUrl(entryId, { width: 640 })}/ks/${ks}`,
      expiresAt: new Date(expiresAt * 1000),
    };
  };
}
