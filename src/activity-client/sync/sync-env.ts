/**
 * Everything the sync client takes from the browser, as one injectable object, so the logic runs
 * under vitest with a fake clock, fake timers, a fake socket and a fake media element.
 */

/** The part of a WebSocket the client uses (the browser's WebSocket satisfies it). */
export interface SocketLike {
  readonly readyState: number;
  send(text: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { readonly data: unknown }) => void) | null;
  onclose: ((ev: { readonly code: number; readonly reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

/** The part of an HTMLMediaElement the client reads and steers (HTMLVideoElement satisfies it). */
export interface MediaLike {
  currentTime: number;
  playbackRate: number;
  readonly paused: boolean;
  readonly readyState: number;
  readonly seeking: boolean;
  readonly ended: boolean;
  readonly duration: number;
  play(): Promise<void> | void;
  pause(): void;
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

export type TimerHandle = unknown;

export interface SyncEnv {
  /** Local clock, ms; sub-ms and monotonic in the browser (performance.timeOrigin + performance.now()). */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  random(): number;
  connect(url: string): SocketLike;
}

export const OPEN = 1;

export function browserEnv(): SyncEnv {
  return {
    now: () => performance.timeOrigin + performance.now(),
    setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
    clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof globalThis.setTimeout>),
    random: () => Math.random(),
    connect: (url) => new WebSocket(url) as unknown as SocketLike,
  };
}
