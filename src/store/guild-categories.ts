/** Each server's Kaltura category, kept once found or created (see migration 005), over an explicit `SqlExecutor`. */
import type { GuildCategoryRepo } from '../core/ports/guild-categories';
import type { SqlExecutor } from './sql/sql-executor';

interface Row {
  category_id: number;
  full_name: string;
}

export async function getGuildCategory(sql: SqlExecutor, guildId: string): Promise<{ id: number; fullName: string } | undefined> {
  const row = await sql.get<Row>('SELECT category_id, full_name FROM guild_categories WHERE guild_id = ?', [guildId]);
  return row && { id: Number(row.category_id), fullName: row.full_name };
}

/** An insert that keeps an existing row (`ON CONFLICT DO NOTHING`), then read back: the first save for a server wins. */
export async function saveGuildCategory(sql: SqlExecutor, guildId: string, category: { id: number; fullName: string }, at: number): Promise<{ id: number; fullName: string }> {
  await sql.run('INSERT INTO guild_categories (guild_id, category_id, full_name, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (guild_id) DO NOTHING', [
    guildId,
    category.id,
    category.fullName,
    at,
  ]);
  return (await getGuildCategory(sql, guildId))!;
}

/** Servers holding the category: kept by them (found/created) or chosen with their setting (stored as JSON text). */
export async function guildsClaimingCategory(sql: SqlExecutor, categoryId: number): Promise<string[]> {
  const rows = await sql.all<{ guild_id: string }>(
    "SELECT guild_id FROM guild_categories WHERE category_id = ? UNION SELECT guild_id FROM guild_settings WHERE key = 'kaltura.categoryId' AND value = ?",
    [categoryId, JSON.stringify(categoryId)],
  );
  return rows.map((r) => r.guild_id);
}

export function createGuildCategoryRepo(sql: SqlExecutor): GuildCategoryRepo {
  return {
    get: (guildId) => getGuildCategory(sql, guildId),
    save: (guildId, category, at) => saveGuildCategory(sql, guildId, category, at),
    claimedBy: (categoryId) => guildsClaimingCategory(sql, categoryId),
  };
}
