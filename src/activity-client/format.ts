/** Pure text formatting for the Activity's views (no DOM: unit-tested under node). */

/** 65 → "1:05", 3725 → "1:02:05"; anything not a finite non-negative number → "–". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.floor(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export type WatcherStatus = 'playing' | 'paused' | 'buffering' | 'ended' | 'joining';

const STATUS_LABELS: Record<WatcherStatus, string> = {
  playing: 'watching',
  paused: 'paused',
  buffering: 'buffering…',
  ended: 'finished',
  joining: 'joining…',
};

/** What the presence list says about a member. */
export function statusLabel(status: WatcherStatus): string {
  return STATUS_LABELS[status] ?? status;
}

/** Playback rates the host can pick (the sync protocol allows 0.25–2; the issue asks for 0.5–2). */
export const RATE_CHOICES: readonly number[] = [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2];

export function formatRate(rate: number): string {
  return `${Number.isInteger(rate) ? rate.toFixed(0) : String(rate)}×`;
}
