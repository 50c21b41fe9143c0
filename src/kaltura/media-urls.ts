/**
 * Player, thumbnail and watch URLs on the Kaltura CDN. Pure string building; entry ids
 * are checked first so a crafted id cannot change the path.
 * @see https://developer.kaltura.com/player/web/embed-player-web
 * @see https://developer.kaltura.com/api-docs/Deliver-and-Distribute-Media/thumbnail-api.html
 */
import type { ThumbnailSize } from '../core/ports/media-library';

export const DEFAULT_CDN_URL = 'https://cdnapisec.kaltura.com';

/** Kaltura entry ids look like `1_9vga7lbm`. */
const ENTRY_ID = /^[0-9]_[A-Za-z0-9]{1,32}$/;

export function isEntryId(value: string): boolean {
  return ENTRY_ID.test(value);
}

export interface MediaUrlOptions {
  readonly partnerId: number;
  readonly playerUiConfId?: number;
  readonly cdnUrl?: string;
}

export interface MediaUrls {
  thumbnailUrl(entryId: string, size?: ThumbnailSize): string;
  /** The v7 player iframe when a player is configured, else the direct playback URL. */
  watchUrl(entryId: string): string;
  embedUrl(entryId: string): string | undefined;
  /**
   * playManifest `format/url` with a KS: Kaltura answers with a redirect to one playable MP4
   * flavor (playManifestAction::serveVodEntry, case URL: responseFormat `redirect`). The
   * protocol asked for is the CDN's own, so the flavor URL it redirects to uses the same scheme.
   */
  playManifestUrl(entryId: string, ks: string): string;
}

function checked(entryId: string): string {
  if (!isEntryId(entryId)) throw new RangeError('not a Kaltura entry id');
  return entryId;
}

/** A KS is URL-safe base64 (v2) or standard base64 (v1): nothing that could end the path segment. */
function checkedKs(ks: string): string {
  if (!/^[A-Za-z0-9_\-+/=]{16,4096}$/.test(ks)) throw new RangeError('not a KS');
  return ks.replace(/\+/g, '%2B').replace(/\//g, '%2F');
}

function dimension(name: string, value: number | undefined): string {
  if (value === undefined) return '';
  if (!Number.isInteger(value) || value < 1 || value > 4096) throw new RangeError(`${name} must be 1..4096`);
  return `/${name}/${value}`;
}

export function createMediaUrls(options: MediaUrlOptions): MediaUrls {
  const cdn = (options.cdnUrl ?? DEFAULT_CDN_URL).replace(/\/+$/, '');
  const pid = options.partnerId;
  const protocol = new URL(cdn).protocol === 'http:' ? 'http' : 'https';
  const embedUrl = (entryId: string) =>
    options.playerUiConfId === undefined
      ? undefined
      : `${cdn}/p/${pid}/embedPlaykitJs/uiconf_id/${options.playerUiConfId}?iframeembed=true&entry_id=${checked(entryId)}`;
  return {
    thumbnailUrl: (entryId, size) =>
      `${cdn}/p/${pid}/thumbnail/entry_id/${checked(entryId)}${dimension('width', size?.width)}${dimension('height', size?.height)}`,
    embedUrl,
    // playManifest with format/url redirects to a playable MP4 flavor
    watchUrl: (entryId) =>
      embedUrl(entryId) ?? `${cdn}/p/${pid}/sp/${pid}00/playManifest/entryId/${checked(entryId)}/format/url/protocol/https/a.mp4`,
    playManifestUrl: (entryId, ks) =>
      `${cdn}/p/${pid}/sp/${pid}00/playManifest/entryId/${checked(entryId)}/format/url/protocol/${protocol}/ks/${checkedKs(ks)}/a.mp4`,
  };
}
