import type { ChangeFeed, ChangeTopic } from '../core/ports/leadership';
import type { Logger } from '../core/logger';

/** A change feed that also lets its owner deliver a change without publishing it (the PostgreSQL feed's inbox). */
export interface LocalChangeFeed extends ChangeFeed {
  /** Runs every subscriber of `topic` now; a throwing subscriber is logged and does not stop the others. */
  deliver(topic: ChangeTopic, key: string): void;
}

/**
 * The in-process change feed (SQLite: one instance, so "every instance" is this process). Subscribers run
 * synchronously during `publish`, so a cache is invalidated before the caller's next read.
 */
export function createLocalChangeFeed(options: { logger?: Logger } = {}): LocalChangeFeed {
  const listeners = new Map<ChangeTopic, Set<(key: string) => void>>();
  const deliver = (topic: ChangeTopic, key: string): void => {
    for (const listener of [...(listeners.get(topic) ?? [])]) {
      try {
        listener(key);
      } catch (err) {
        options.logger?.error({ err, topic }, 'change listener failed');
      }
    }
  };
  return {
    deliver,
    async publish(topic, key) {
      deliver(topic, key);
    },
    subscribe(topic, listener) {
      let set = listeners.get(topic);
      if (!set) listeners.set(topic, (set = new Set()));
      // Wrapped so the same function subscribed twice gets two independent subscriptions.
      const entry = (key: string): void => listener(key);
      set.add(entry);
      return () => {
        set.delete(entry);
      };
    },
  };
}
