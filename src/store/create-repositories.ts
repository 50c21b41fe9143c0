/**
 * The repositories over one executor. Each is made the first time it is used, so a unit of work
 * that touches one table builds one repository, not nine (the join-link path runs one per request).
 */
import type { Repositories } from '../core/ports/store';
import { createActivityLaunches } from './activity-launches';
import { createCleanupJobs } from './cleanup-jobs';
import { createGuildCategoryRepo } from './guild-categories';
import { createGuildSettingsRepo } from './guild-settings';
import { createJoinLedger } from './join-ledger';
import { createMeetingRepo } from './meeting-repo';
import { createNotificationInbox } from './notification-inbox';
import { createNotificationOutbox } from './notification-outbox';
import { createHistoryRepo } from './prune-history';
import type { SqlExecutor } from './sql/sql-executor';
import { createWatchLinkLedger } from './watch-links';

export type RepositoryFactories = { readonly [K in keyof Repositories]: (sql: SqlExecutor) => Repositories[K] };

/** The one list of repositories (STYLE principle 4: registered by an explicit list). */
export function repositoryFactories(): RepositoryFactories {
  return {
    meetings: createMeetingRepo,
    joinLedger: createJoinLedger,
    cleanupJobs: createCleanupJobs,
    guildCategories: createGuildCategoryRepo,
    inbox: createNotificationInbox,
    outbox: createNotificationOutbox,
    settings: createGuildSettingsRepo,
    watchLinks: createWatchLinkLedger,
    launches: createActivityLaunches,
    history: createHistoryRepo,
  };
}

/** Repositories bound to `sql`, each built on first use and then kept. */
export class BoundRepositories implements Repositories {
  #made: { -readonly [K in keyof Repositories]?: Repositories[K] } = {};
  constructor(
    protected readonly sql: SqlExecutor,
    private readonly factories: RepositoryFactories,
  ) {}
  #get<K extends keyof Repositories>(key: K): Repositories[K] {
    return (this.#made[key] ??= this.factories[key](this.sql));
  }
  get meetings() { return this.#get('meetings'); }
  get joinLedger() { return this.#get('joinLedger'); }
  get cleanupJobs() { return this.#get('cleanupJobs'); }
  get guildCategories() { return this.#get('guildCategories'); }
  get inbox() { return this.#get('inbox'); }
  get outbox() { return this.#get('outbox'); }
  get settings() { return this.#get('settings'); }
  get watchLinks() { return this.#get('watchLinks'); }
  get launches() { return this.#get('launches'); }
  get history() { return this.#get('history'); }
}

export function createRepositories(sql: SqlExecutor): Repositories {
  return new BoundRepositories(sql, repositoryFactories());
}
