/**
 * `clock.skew`: this machine's clock against the `Date` headers of Discord and Kaltura. Join
 * links are JWTs with a short expiry and Kaltura sessions (KS) carry absolute expiry times, so a
 * clock that is off makes fresh links look expired (or old ones valid).
 * The header has one-second resolution; we compare it with the middle of the request.
 */
import type { Config } from '../config/config-types';
import type { CheckResult } from '../core/health-check';
import { discordHeaders } from '../discord/discord-headers';

export const CLOCK_CHECK_ID = 'clock.skew';
const TITLE = 'Clock';
export const WARN_SKEW_MS = 5_000;
export const FAIL_SKEW_MS = 60_000;

export interface ClockSample {
  readonly source: string;
  /** Remote minus local, in milliseconds; absent when the source could not be read. */
  readonly skewMs?: number;
  readonly error?: string;
}

/** One request; the skew is `Date` (plus half its resolution) minus the local midpoint. */
export async function sampleClock(source: string, url: string, timeoutMs: number, now: () => number = Date.now, headers: Record<string, string> = { 'user-agent': 'kaltura-discord (doctor)' }): Promise<ClockSample> {
  try {
    const sent = now();
    const res = await fetch(url, { method: 'GET', redirect: 'manual', headers, signal: AbortSignal.timeout(timeoutMs) });
    const received = now();
    await res.body?.cancel().catch(() => undefined);
    const date = Date.parse(res.headers.get('date') ?? '');
    if (Number.isNaN(date)) return { source, error: 'no Date header in the answer' };
    return { source, skewMs: date + 500 - (sent + received) / 2 };
  } catch (err) {
    return { source, error: (err as Error).name === 'TimeoutError' ? 'no answer in time' : 'unreachable' };
  }
}

const describe = (ms: number) => `${Math.abs(ms / 1000).toFixed(1)} s ${ms > 0 ? 'behind' : 'ahead of'}`;

export function judgeClock(samples: readonly ClockSample[]): CheckResult {
  const base = { id: CLOCK_CHECK_ID, title: TITLE };
  const read = samples.filter((s): s is ClockSample & { skewMs: number } => s.skewMs !== undefined);
  const lines = samples.map((s) => (s.skewMs === undefined ? `${s.source}: not compared (${s.error})` : `this machine is ${describe(s.skewMs)} ${s.source}`));
  if (read.length === 0) return { ...base, status: 'warn', detail: lines.join('\n'), fix: 'could not compare the clock: fix the Discord and Kaltura reachability checks first' };
  const worst = Math.max(...read.map((s) => Math.abs(s.skewMs)));
  const fix = 'synchronise the clock with NTP: `timedatectl set-ntp true` (systemd-timesyncd) or install chrony; check with `timedatectl status`';
  if (worst > FAIL_SKEW_MS) return { ...base, status: 'fail', detail: `${lines.join('\n')}\njoin links and Kaltura sessions will be rejected as expired or not yet valid`, fix };
  if (worst > WARN_SKEW_MS) return { ...base, status: 'warn', detail: `${lines.join('\n')}\nshort-lived join links may expire early`, fix };
  return { ...base, status: 'ok', detail: lines.join('\n') };
}

export async function checkClockSkew(config: Config, timeoutMs = 10_000): Promise<CheckResult> {
  const samples = await Promise.all([
    // Unauthenticated, cheap, and answered by the API servers themselves.
    sampleClock('Discord', `${config.discord.apiBaseUrl}/v10/gateway`, timeoutMs, Date.now, discordHeaders()),
    sampleClock('Kaltura', `${config.kaltura.serviceUrl}/api_v3/service/system/action/ping`, timeoutMs),
  ]);
  return judgeClock(samples);
}
