/**
 * Each Discord server has its own Kaltura category: its meeting templates (and so every
 * recording made from them) go there. It is the tenancy boundary of the video library: media
 * of one server is never listed, shared or played in another.
 */
export interface GuildCategory {
  readonly id: number;
  /** Kaltura's `fullName`, e.g. `kaltura-discord>123456789012345678`. */
  readonly fullName: string;
  /** `setting`: an admin pointed the server at it; `stored`: found or created on an earlier use. */
  readonly source: 'setting' | 'stored' | 'found' | 'created';
}

export interface GuildCategories {
  /**
   * The server's category: the admin's `kaltura.categoryId` setting when set, else the one kept
   * from an earlier use, else found or created under `kaltura.categoryRoot` now (and kept).
   * Throws the upstream error when Kaltura cannot be asked.
   */
  categoryFor(guildId: string): Promise<GuildCategory>;
  /** An existing category by id (for validating the admin's setting); undefined when there is none. */
  describe(categoryId: number): Promise<GuildCategory | undefined>;
  /**
   * May this server be pointed at that category? Refused when it does not exist, when another
   * server keeps or has chosen it, or when it holds the servers' own categories (the root, or an
   * ancestor of it): one server's media must never be listed in another.
   */
  checkAssignable(guildId: string, categoryId: number): Promise<CategoryAssignment>;
}

export type CategoryAssignment =
  | { readonly ok: true; readonly category: GuildCategory }
  | { readonly ok: false; readonly reason: 'not-found' | 'another-server' | 'holds-servers'; readonly fullName?: string };

/** Kaltura's category tree, as the core needs it (the Kaltura adapter implements it). */
export interface CategoryDirectory {
  get(categoryId: number): Promise<{ readonly id: number; readonly fullName: string } | undefined>;
  /** The category at this path of names from the top, creating the missing levels; returns the last. */
  ensurePath(names: readonly string[]): Promise<{ readonly id: number; readonly fullName: string; readonly created: boolean }>;
}

/** Where a server's category is kept once found or created (the store). */
export interface GuildCategoryRepo {
  get(guildId: string): Promise<{ readonly id: number; readonly fullName: string } | undefined>;
  /** Keeps the first one saved for a server (a concurrent second save is ignored); returns what is stored. */
  save(guildId: string, category: { readonly id: number; readonly fullName: string }, at: number): Promise<{ readonly id: number; readonly fullName: string }>;
  /** The servers that keep this category or chose it with their `kaltura.categoryId` setting. */
  claimedBy(categoryId: number): Promise<readonly string[]>;
}
