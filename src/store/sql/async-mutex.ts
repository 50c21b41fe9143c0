import { StoreError } from '../store-error';

/** A FIFO lock for one connection's callers; `acquire` resolves with the function that releases it. */
export interface AsyncMutex {
  /** `timeoutMs` overrides the mutex's own bound for this wait. */
  acquire(timeoutMs?: number): Promise<() => void>;
  /** Callers waiting (not counting the holder); for tests and doctor. */
  readonly waiting: number;
}

/**
 * better-sqlite3 runs each statement synchronously, but a unit of work awaits between statements,
 * so two units on one connection would interleave inside one SQLite transaction. This lock lets
 * one unit at a time hold the connection. Waiting is bounded (`timeoutMs`), like SQLite's own
 * busy_timeout: a unit that never finishes makes the others fail with a clear error instead of
 * hanging the process.
 */
export function createAsyncMutex(timeoutMs: number): AsyncMutex {
  let held = false;
  const queue: { grant: () => void }[] = [];

  const release = (): void => {
    const next = queue.shift();
    if (next) next.grant();
    else held = false;
  };
  const releaser = (): (() => void) => {
    let released = false;
    return () => {
      // A second call would hand the lock to two waiters; ignore it.
      if (released) return;
      released = true;
      release();
    };
  };

  return {
    get waiting() {
      return queue.length;
    },
    acquire(wait = timeoutMs) {
      if (!held) {
        held = true;
        return Promise.resolve(releaser());
      }
      return new Promise((resolve, reject) => {
        const waiter = {
          grant: () => {
            clearTimeout(timer);
            resolve(releaser());
          },
        };
        const timer = setTimeout(() => {
          const at = queue.indexOf(waiter);
          if (at >= 0) queue.splice(at, 1);
          reject(new StoreError(`the database stayed busy for ${wait} ms (another unit of work held it); try again`));
        }, wait);
        timer.unref?.();
        queue.push(waiter);
      });
    },
  };
}
