/** Each server's Kaltura category, kept once found or created (see migration 005). */
import type { Database } from 'better-sqlite3';
import type { GuildCategoryRepo } from '../core/ports/guild-categories';
import { prepareCached } from './prepare-cached';

interface Row {
  category_id: number;
  full_name: string;
}

export function getGuildCategory(db: Database, guildId: string): { id: number; fullName: string } | undefined {
  const row = prepareCached(db, 'SELECT category_id, full_name FROM guild_categories WHERE guild_id = ?').get(guildId) as Row | undefined;
  return row && { id: row.category_id, fullName: row.full_name };
}

/** INSERT OR IGNORE, then read back: the first save for a server wins. */
export function saveGuildCategory(db: Database, guildId: string, category: { id: number; fullName: string }, at: number): { id: number; fullName: string } {
  prepareCached(db, 'INSERT OR IGNORE INTO guild_categories (guild_id, category_id, full_name, created_at) VALUES (?, ?, ?, ?)').run(guildId, category.id, category.fullName, at);
  return getGuildCategory(db, guildId)!;
}

/** Servers holding the category: kept by them (found/created) or chosen with their setting. */
export function guildsClaimingCategory(db: Database, categoryId: number): string[] {
  return prepareCached(
    db,
    "SELECT guild_id FROM guild_categories WHERE category_id = ? UNION SELECT guild_id FROM guild_settings WHERE key = 'kaltura.categoryId' AND value = ?",
  )
    .pluck()
    .all(categoryId, JSON.stringify(categoryId)) as string[];
}

export function createGuildCategoryRepo(db: Database): GuildCategoryRepo {
  return {
    get: (guildId) => getGuildCategory(db, guildId),
    save: (guildId, category, at) => saveGuildCategory(db, guildId, category, at),
    claimedBy: (categoryId) => guildsClaimingCategory(db, categoryId),
  };
}
