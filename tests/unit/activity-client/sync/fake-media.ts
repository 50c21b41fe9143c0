/**
 * A media element model driven by a fake clock: plays at playbackRate, seeks take `seekMs`
 * (currentTime shows the target meanwhile, as browsers do), play() takes `startMs` to start, and
 * it can stall (buffering) on demand. Enough fidelity for the drift controller to meet the same
 * lags it meets in Chromium, without timing flakiness.
 */
import type { MediaLike } from '../../../../src/activity-client/sync/sync-env.js';

export class FakeMedia implements MediaLike {
  private base = 0;
  private baseAt: number;
  private rate = 1;
  private playingNow = false;
  private wantPlay = false;
  private seekTarget: number | undefined;
  private listeners = new Map<string, Set<() => void>>();
  readyState = 4;
  stalledUntil = -Infinity;
  blockAutoplay = false;
  ended = false;
  duration = 600;
  seeks = 0;
  rateWrites = 0;

  constructor(
    private readonly now: () => number,
    private readonly schedule: (fn: () => void, ms: number) => void,
    private readonly seekMs = 40,
    private readonly startMs = 20,
  ) {
    this.baseAt = now();
  }

  private advancing(): boolean {
    return this.playingNow && this.seekTarget === undefined && this.now() >= this.stalledUntil;
  }
  private settle(): void {
    const t = this.now();
    const from = Math.max(this.baseAt, this.stalledUntil);
    if (this.advancing() && t > from) this.base = Math.min(this.duration, this.base + ((t - from) / 1000) * this.rate);
    this.baseAt = t;
  }
  private emit(type: string): void {
    for (const fn of [...(this.listeners.get(type) ?? [])]) fn();
  }

  get currentTime(): number {
    if (this.seekTarget !== undefined) return this.seekTarget;
    const t = this.now();
    const from = Math.max(this.baseAt, this.stalledUntil);
    return this.advancing() && t > from ? Math.min(this.duration, this.base + ((t - from) / 1000) * this.rate) : this.base;
  }
  set currentTime(v: number) {
    this.settle();
    this.seeks++;
    this.seekTarget = v;
    this.schedule(() => {
      if (this.seekTarget !== v) return;
      this.base = v;
      this.baseAt = this.now();
      this.seekTarget = undefined;
      this.emit('seeked');
    }, this.seekMs);
  }
  get playbackRate(): number { return this.rate; }
  set playbackRate(v: number) {
    this.settle();
    this.rate = v;
    this.rateWrites++;
  }
  get paused(): boolean { return !this.wantPlay; }
  get seeking(): boolean { return this.seekTarget !== undefined; }

  play(): Promise<void> {
    if (this.blockAutoplay) return Promise.reject(Object.assign(new Error('blocked'), { name: 'NotAllowedError' }));
    if (this.wantPlay) return Promise.resolve();
    this.wantPlay = true;
    this.emit('play');
    return new Promise((resolve) => this.schedule(() => {
      if (!this.wantPlay) return resolve();
      this.settle();
      this.playingNow = true;
      this.emit('playing');
      resolve();
    }, this.startMs));
  }
  pause(): void {
    if (!this.wantPlay) return;
    this.settle();
    this.wantPlay = false;
    this.playingNow = false;
    this.emit('pause');
  }
  /** Simulates a network stall of `ms` from now. */
  stall(ms: number): void {
    this.settle();
    this.stalledUntil = this.now() + ms;
    this.readyState = 2;
    this.emit('waiting');
    this.schedule(() => {
      this.settle();
      this.readyState = 4;
      this.emit('playing');
    }, ms);
  }
  addEventListener(type: string, fn: () => void): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(fn);
  }
  removeEventListener(type: string, fn: () => void): void {
    this.listeners.get(type)?.delete(fn);
  }
}
