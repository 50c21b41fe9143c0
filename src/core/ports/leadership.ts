/**
 * Which instance runs the jobs that must run once across all instances (the reconciler, the
 * recording poller, retention). SQLite (one instance): always the leader. PostgreSQL: the holder of
 * an advisory lock; leadership moves to another instance when the holder's connection ends.
 */
export interface Leadership {
  /** True while this instance holds leadership (checked before every pass of a leader-only job). */
  isLeader(): boolean;
  /** This instance's id (config `instance.id`, else host name + pid), for logs and leases. */
  readonly instanceId: string;
}

/**
 * Invalidation messages between instances (PostgreSQL `LISTEN/NOTIFY`; in-process with SQLite).
 * `publish` is called after the change committed; subscribers run on every instance, the
 * publisher's included. Payload: a short key (e.g. a guild id), never a secret.
 */
export interface ChangeFeed {
  publish(topic: ChangeTopic, key: string): Promise<void>;
  subscribe(topic: ChangeTopic, listener: (key: string) => void): () => void;
}

export type ChangeTopic = 'settings' | 'categories';

/**
 * The key a subscriber receives when changes may have been missed (the PostgreSQL feed reconnected):
 * drop everything cached for that topic.
 */
export const ALL_KEYS = '*';
