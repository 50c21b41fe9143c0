import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeState } from './fake-state';
import { encodeKsV2, type DecodedKs } from './ks-codec';
import { FIXTURE_THUMBNAIL } from './media-assets';
import { serveFileWithRange } from './serve-file-range';
import type { DeliveryRecord, MediaEntry } from './types';
import { summarizeKs, verifyKs } from './verify-ks';

/**
 * The CDN side of the fake: playManifest, serveFlavor and thumbnail, on the same host as the API
 * (as cdnapisec.kaltura.com serves both). From kaltura/server alpha/apps/kaltura/modules/extwidget:
 * - playManifestAction::execute sets the error status to 404 (setResponseErrorCode) for every
 *   format but applehttp_to_mc, and KExternalErrors::dieError answers with headers
 *   `X-Kaltura: error-<N>` / `X-Kaltura-App: exiting on error <N> - <desc>` and no body.
 * - initEntry: a KS that does not verify (bad, foreign, expired) is INVALID_KS (7); an unknown or
 *   deleted entry ENTRY_NOT_FOUND (1).
 * - Access control: the fake gives every entry the profile "a KS is required"
 *   (kAuthenticatedCondition: an ADMIN KS, or `sview` for this entry or `*`), the stricter reading
 *   of an account that protects its media; else ACCESS_CONTROL_RESTRICTED (3).
 * - enforceAudioVideoEntry: a media clip must be VIDEO or AUDIO, else INVALID_ENTRY_TYPE (12);
 *   the fake also refuses other entry types with 12 (no live or playlist delivery modelled).
 * - format `url`: one READY flavor (initFlavorAssetArray, else FLAVOR_NOT_FOUND 6), answered by
 *   kRedirectManifestRenderer with `Location:` (a 302). The flavor URL is tokenized as
 *   kKsUrlTokenizer::tokenizeSingleUrl does (usePath: `/ks/<ks>` before `/name/`, a USER KS with
 *   `disableentitlementforentry:<id>,sview:<id>`); the fake lets it live as long as the
 *   request's KS. Other formats (HLS, DASH) are not modelled: BAD_QUERY (25).
 * - serveFlavor: the file with byte ranges (serve-file-range.ts). Its own refusals have no
 *   status in the server (dieError without a response code); the fake answers them 404 like
 *   playManifest, so nothing mistakes a refusal for media. The `protocol` asked for is ignored:
 *   the fake speaks plain HTTP only.
 * - thumbnail: a KS is optional (the fake's thumbnails are not access-controlled), but one that is
 *   sent must verify, as initKsPartnerUser refuses a bad one before anything else.
 */

export type DeliveryRoute = DeliveryRecord['route'];

const ERRORS: Record<number, string> = {
  1: 'requested entry not found',
  3: 'entry restricted due to access-control',
  6: 'requested flavor was not found',
  7: 'ks is not valid',
  12: 'requested entry type is invalid for the requested format',
  25: 'wrong query attributes',
};

/** `/p/{pid}[/sp/{sp}]/{action}/k/v/k/v…`; the values it carries, by name. */
export function deliveryRouteOf(pathname: string): { route: DeliveryRoute; partnerId: string; params: Map<string, string> } | undefined {
  const m = /^\/p\/(\d+)(?:\/sp\/\d+)?\/(playManifest|serveFlavor|thumbnail)(\/.*)?$/.exec(pathname);
  if (!m) return undefined;
  let segments: string[];
  try {
    segments = (m[3] ?? '').split('/').filter(Boolean).map((s) => decodeURIComponent(s));
  } catch {
    return undefined; // a malformed %-escape: no such route
  }
  const params = new Map<string, string>();
  for (let i = 0; i + 1 < segments.length; i += 2) params.set(segments[i]!, segments[i + 1]!);
  return { route: m[2] as DeliveryRoute, partnerId: m[1]!, params };
}

function mayView(ks: DecodedKs, entryId: string): boolean {
  if (ks.type >= 2) return true;
  // kSessionBase::verifyPrivileges: values are `/`-separated (PRIVILEGES_DELIMITER), `*` is any
  const sview = ks.privilegeMap.get('sview');
  return sview !== undefined && sview.split('/').some((v) => v === '*' || v === entryId);
}

function isPlayableType(entry: MediaEntry): boolean {
  return String(entry.type) === '1' && (entry.mediaType === 1 || entry.mediaType === 5);
}

export function handleDelivery(state: FakeState, url: URL, req: IncomingMessage, res: ServerResponse): void {
  const found = deliveryRouteOf(url.pathname);
  if (!found) return;
  const { route, params } = found;
  const entryId = params.get(route === 'thumbnail' ? 'entry_id' : 'entryId') ?? '';
  const record: DeliveryRecord = { route, entryId, status: 0, ...(req.headers.range ? { range: req.headers.range } : {}) };
  state.deliveries.push(record);
  const die = (code: number): void => {
    record.status = 404;
    record.error = code;
    res.writeHead(404, { 'X-Kaltura': `error-${code}`, 'X-Kaltura-App': `exiting on error ${code} - ${ERRORS[code] ?? ''}`, 'Content-Length': 0 });
    res.end();
  };
  const ksText = params.get('ks') ?? url.searchParams.get('ks') ?? undefined;
  let ks: DecodedKs | undefined;
  if (ksText !== undefined) {
    record.ksString = ksText;
    const check = verifyKs(state, ksText);
    if (!check.ok) return die(7);
    ks = check.ks;
    record.ks = summarizeKs(ks);
  }
  const entry = state.store.entries.get(entryId);
  if (!entry || entry.status === 3 || found.partnerId !== String(state.partnerId)) return die(1);
  if (route === 'thumbnail') {
    record.status = serveFileWithRange(req, res, FIXTURE_THUMBNAIL, 'image/jpeg');
    return;
  }
  if (!ks || !mayView(ks, entryId)) return die(3);
  if (!isPlayableType(entry)) return die(12);
  const flavor = state.flavors.get(entryId);
  if (!flavor || entry.status !== 2) return die(6);
  if (route === 'serveFlavor') {
    if (params.get('flavorId') !== flavor.id) return die(6);
    record.status = serveFileWithRange(req, res, flavor.file, 'video/mp4');
    return;
  }
  const format = params.get('format') ?? url.searchParams.get('format') ?? 'url';
  if (format !== 'url') return die(25);
  const pid = state.partnerId;
  const token = encodeKsV2(state.account.adminSecrets[0]!, {
    partnerId: pid,
    userId: ks.userId,
    type: 0,
    expiresAt: ks.expiresAt,
    privileges: `disableentitlementforentry:${entryId},sview:${entryId}`,
  });
  const location = `${state.baseUrl}/p/${pid}/sp/${pid}00/serveFlavor/entryId/${entryId}/v/1/flavorId/${flavor.id}/forceproxy/true/ks/${token}/name/a.mp4`;
  record.status = 302;
  res.writeHead(302, { Location: location, 'Content-Length': 0, 'X-Me': 'fake-kaltura' });
  res.end();
}
