/**
 * Keeps the Activity's one-hour session alive through a long watch. It signs in again silently
 * (`authorize` with prompt:none) a few minutes before the session expires, so the sync socket's
 * close at expiry (4003) finds a fresh session. It also renews on demand (the API's 401, the
 * socket's 4003), with one sign-in shared by all callers. Refusals and passing failures differ:
 *  - a definitive refusal (401/403/404, consent withdrawn) resolves false: the caller gives up;
 *  - a passing one (429, 5xx, no network, Discord slow) waits a growing pause, then REJECTS, so the
 *    sync socket retries with its backoff instead of ending the watch party for this member.
 * No DOM here (unit-tested under node with fake timers).
 */
import type { SessionInfo } from './api-client.js';
import { StartError } from './open-session.js';

export interface SessionRenewalOptions {
  readonly signIn: () => Promise<SessionInfo>;
  readonly onSession: (info: SessionInfo) => void;
  /** Renew this long before expiresAt; default 5 min. */
  readonly leadMs?: number;
  readonly now?: () => number;
}

export interface SessionRenewal {
  renew(): Promise<boolean>;
  /** Plans the proactive renewal of this session (call with the first session too). */
  track(info: SessionInfo): void;
  stop(): void;
}

const MIN_PAUSE_MS = 2_000;
const MAX_PAUSE_MS = 30_000;
const RETRY_PROACTIVE_MS = 60_000;

function expiresAtMs(info: SessionInfo): number | undefined {
  const v = typeof info.expiresAt === 'number' ? info.expiresAt : Date.parse(info.expiresAt);
  return Number.isFinite(v) ? v : undefined;
}

const isDefinitive = (err: unknown) => err instanceof StartError && (err.reason === 'refused' || err.reason === 'forbidden');

export function createSessionRenewal(o: SessionRenewalOptions): SessionRenewal {
  const now = o.now ?? (() => Date.now());
  const leadMs = o.leadMs ?? 5 * 60_000;
  let inflight: Promise<boolean> | undefined;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let expiresAt: number | undefined;
  let stopped = false;

  function plan(at: number): void {
    clearTimeout(timer);
    if (stopped) return;
    timer = setTimeout(() => {
      renew().catch(() => {
        // A passing failure: try again in a minute while the session still runs.
        if (expiresAt !== undefined && now() + RETRY_PROACTIVE_MS < expiresAt) plan(now() + RETRY_PROACTIVE_MS);
      });
    }, Math.max(0, at - now()));
  }

  function track(info: SessionInfo): void {
    expiresAt = expiresAtMs(info);
    if (expiresAt !== undefined) plan(Math.max(expiresAt - leadMs, now() + RETRY_PROACTIVE_MS));
  }

  async function attempt(): Promise<boolean> {
    try {
      const info = await o.signIn();
      failures = 0;
      o.onSession(info);
      track(info);
      return true;
    } catch (err) {
      if (isDefinitive(err)) return false;
      failures++;
      await new Promise((r) => setTimeout(r, Math.min(MIN_PAUSE_MS * 2 ** (failures - 1), MAX_PAUSE_MS)));
      throw err;
    }
  }

  function renew(): Promise<boolean> {
    inflight ??= attempt().finally(() => (inflight = undefined));
    return inflight;
  }

  return {
    renew,
    track,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
