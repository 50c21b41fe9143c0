import { StoreError } from './store-error';

/** `promise`, or a StoreError after `ms` (the work itself is not cancelled; callers use this to stop waiting). */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreError(`${what} (no answer within ${ms} ms)`)), ms);
    timer.unref?.();
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}
