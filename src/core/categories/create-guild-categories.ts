/**
 * The server's Kaltura category, found or created on first use. The category is named with the
 * server's id (unique, and it never changes; a server's name does), under the configured root
 * path. Concurrent first uses in one server share one lookup; Kaltura's own duplicate check
 * (DUPLICATE_CATEGORY) makes a second bot instance find the category the first one created, and
 * the store keeps the first one saved (`ON CONFLICT DO NOTHING`), so every instance agrees.
 */
import type { Logger } from '../logger';
import type { Clock } from '../ports/clock';
import type { CategoryAssignment, CategoryDirectory, GuildCategories, GuildCategory } from '../ports/guild-categories';
import type { Store } from '../ports/store';

export interface GuildCategoriesDeps {
  readonly directory: CategoryDirectory;
  /** Where each server's category is kept (`store.guildCategories`); each call its own short transaction. */
  readonly store: Store;
  /** `kaltura.categoryRoot` split at `>`: the path the servers' categories are created under. */
  readonly rootPath: readonly string[];
  /** The server's `kaltura.categoryId` setting, if an admin set one (settings may be read from the store). */
  readonly settingFor: (guildId: string) => Promise<number | undefined>;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** `kaltura.categoryRoot` → names; empty segments are dropped. */
export const categoryRootPath = (root: string): string[] =>
  root
    .split('>')
    .map((s) => s.trim())
    .filter((s) => s !== '');

export function createGuildCategories(deps: GuildCategoriesDeps): GuildCategories {
  const { directory, logger } = deps;
  const repo = deps.store.guildCategories;
  const pending = new Map<string, Promise<GuildCategory>>();

  async function describe(categoryId: number): Promise<GuildCategory | undefined> {
    const found = await directory.get(categoryId);
    return found && { id: found.id, fullName: found.fullName, source: 'setting' };
  }

  async function findOrCreate(guildId: string): Promise<GuildCategory> {
    const made = await directory.ensurePath([...deps.rootPath, guildId]);
    const kept = await repo.save(guildId, made, deps.clock.now());
    logger.info({ guildId, categoryId: kept.id, fullName: kept.fullName, created: made.created }, made.created ? "created the server's Kaltura category" : "found the server's Kaltura category");
    return { ...kept, source: made.created ? 'created' : 'found' };
  }

  async function storedOrFound(guildId: string): Promise<GuildCategory> {
    const stored = await repo.get(guildId);
    return stored ? { ...stored, source: 'stored' } : findOrCreate(guildId);
  }

  async function checkAssignable(guildId: string, categoryId: number): Promise<CategoryAssignment> {
    const category = await describe(categoryId);
    if (!category) return { ok: false, reason: 'not-found' };
    if ((await repo.claimedBy(categoryId)).some((g) => g !== guildId)) return { ok: false, reason: 'another-server', fullName: category.fullName };
    // Kaltura's fullName joins the names from the top with '>' (kaltura/server category::setFullName)
    const path = category.fullName.split('>');
    const root = deps.rootPath;
    const isPrefix = (a: readonly string[], b: readonly string[]) => a.length <= b.length && a.every((n, i) => n === b[i]);
    if (isPrefix(path, root)) return { ok: false, reason: 'holds-servers', fullName: category.fullName };
    if (isPrefix(root, path) && path[root.length] !== guildId) return { ok: false, reason: 'another-server', fullName: category.fullName };
    return { ok: true, category };
  }

  return {
    checkAssignable,
    async categoryFor(guildId) {
      const chosen = await deps.settingFor(guildId);
      if (chosen !== undefined) {
        // validated with category.get when the admin set it; not asked again on every start
        return { id: chosen, fullName: `category ${chosen}`, source: 'setting' };
      }
      // The store is read inside the shared lookup: a second caller arriving while the first one waits
      // for the store (or for Kaltura) joins it instead of reading and creating again.
      let lookup = pending.get(guildId);
      if (!lookup) {
        lookup = storedOrFound(guildId).finally(() => pending.delete(guildId));
        pending.set(guildId, lookup);
      }
      return lookup;
    },
    describe,
  };
}
