/**
 * Does the KAF URL answer like a KAF instance? Kaltura documents no marker that identifies a
 * KAF page, so the test is behavioural and strict: `/virtualEvent/launch` is an authenticating
 * endpoint, so a KAF instance must let in a valid moderator session for a room and must answer
 * differently when the session is missing. A site that answers every path with the same 200
 * (a parked domain, a proxy's catch-all page, a single-page app) fails, as does a 404 there.
 * Never follows redirects (the launch target is Kaltura's business) and never puts the KS in a
 * message.
 * @see https://github.com/kaltura-vpaas/virtual-meeting-rooms#creating-the-virtual-meeting-room-url
 */
import { createHash } from 'node:crypto';

export const KAF_LAUNCH_PATH = '/virtualEvent/launch';

export interface KafAnswer {
  readonly status: number;
  readonly location?: string;
  readonly bodyHash: string;
}

export type KafVerdict = { readonly ok: true; readonly detail: string } | { readonly ok: false; readonly detail: string };

/** One GET, redirects not followed, the body read (at most 256 KiB) only to compare it. */
export async function fetchKaf(url: string, fetchImpl: typeof fetch, timeoutMs: number): Promise<KafAnswer> {
  const res = await fetchImpl(url, { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  const body = await readAtMost(res, MAX_BODY);
  const location = res.headers.get('location') ?? undefined;
  return { status: res.status, ...(location !== undefined && { location }), bodyHash: createHash('sha256').update(body).digest('hex') };
}

const MAX_BODY = 256 * 1024;

/** The body's first `max` bytes; the rest is never read (a page that streams for ever is judged by its start). */
async function readAtMost(res: Response, max: number): Promise<Buffer> {
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const parts: Buffer[] = [];
  let size = 0;
  try {
    while (size < max) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(Buffer.from(value));
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(parts).subarray(0, max);
}

const kind = (status: number) => (status >= 200 && status < 300 ? 'page' : status >= 300 && status < 400 ? 'redirect' : 'error');

/** Judges a launch with a valid session against one without. */
export function judgeKafLaunch(where: string, withSession: KafAnswer, without: KafAnswer): KafVerdict {
  if (kind(withSession.status) === 'error') {
    return { ok: false, detail: `${where} answered HTTP ${withSession.status} to a valid moderator session, so it is not a KAF launch endpoint (or KAF refuses the account's sessions)` };
  }
  const same =
    withSession.status === without.status &&
    withSession.location === without.location &&
    (kind(withSession.status) === 'redirect' || withSession.bodyHash === without.bodyHash);
  if (same) {
    return { ok: false, detail: `${where} answers a launch without a session exactly like one with a valid session (HTTP ${withSession.status}), which a KAF instance would refuse: this is not a KAF endpoint` };
  }
  return { ok: true, detail: `${where} let a valid moderator session in (HTTP ${withSession.status}) and turned a missing one away (HTTP ${without.status})` };
}

/**
 * For Kaltura's own hosting the partner id is the first label (`<pid>.kaf.kaltura.com`);
 * another partner's KAF answers, but refuses this partner's sessions.
 */
export function kafHostPartner(kafUrl: string): number | undefined {
  if (!URL.canParse(kafUrl)) return undefined;
  const m = /^(\d+)\.kaf\.kaltura\.com$/i.exec(new URL(kafUrl).hostname);
  return m ? Number(m[1]) : undefined;
}

export type KafBaseVerdict = { readonly status: 'ok' | 'warn' | 'fail'; readonly detail: string };

/**
 * Without a session (no writes), only a catch-all can be told apart: a site that answers the
 * KAF base and a launch without a session with the same page is not KAF, whose home page and
 * launch refusal come from different controllers. A 404 at the launch path means KAF without
 * Kaltura Meetings, or not KAF; `doctor --deep` decides with a real launch.
 */
export function judgeKafBase(url: string, root: KafAnswer, launchWithout: KafAnswer): KafBaseVerdict {
  if (root.status >= 500) return { status: 'fail', detail: `${url} answers HTTP ${root.status}` };
  if (launchWithout.status === 404) return { status: 'warn', detail: `${url} answers (HTTP ${root.status}) but has no ${KAF_LAUNCH_PATH} (HTTP 404)` };
  if (kind(root.status) === 'page' && kind(launchWithout.status) === 'page' && root.bodyHash === launchWithout.bodyHash) {
    return { status: 'fail', detail: `${url} answers its home page and a room launch without a session with the same page (HTTP ${root.status}): this is not a KAF endpoint` };
  }
  return { status: 'ok', detail: `${url} answers (HTTP ${root.status}) and turns a launch without a session away (HTTP ${launchWithout.status}); \`doctor --deep\` proves it launches rooms` };
}
