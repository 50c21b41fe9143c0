/**
 * The port through which the core searches and links the video library.
 */
export interface MediaEntry {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly durationSeconds: number;
  readonly createdAt: Date;
  /** False while the entry is still uploading or converting. */
  readonly ready: boolean;
  readonly ownerId?: string;
  /**
   * The entry this one was made from (Kaltura's read-only `rootEntryId`; the entry's own id when
   * none). A meeting recording's root is the meeting's template entry.
   */
  readonly rootEntryId?: string;
  readonly plays?: number;
  readonly thumbnailUrl: string;
  /** A page a browser can open to watch the entry. */
  readonly watchUrl: string;
  /** An iframe-embeddable player URL, when a player is configured. */
  readonly embedUrl?: string;
  /** Kaltura's mediaType folded to what a player cares about (VIDEO=1, AUDIO=5, anything else). */
  readonly mediaType?: 'video' | 'audio' | 'other';
  /** The categories the entry is published in (Kaltura's `categoriesIds`). */
  readonly categoryIds?: readonly number[];
}

export interface MediaSearchInput {
  readonly query: string;
  /** 1..50, default 10. */
  readonly limit?: number;
  /** 1-based page, default 1. */
  readonly page?: number;
}

export interface CategorySearchInput extends MediaSearchInput {
  readonly categoryId: number;
}

export interface MediaSearchResult {
  readonly entries: MediaEntry[];
  readonly totalCount: number;
  /** Which backend answered: full-text eSearch or the plain listing. */
  readonly via: 'esearch' | 'list';
}

export interface ThumbnailSize {
  readonly width?: number;
  readonly height?: number;
}

export interface Playback {
  readonly entryId: string;
  /** Final, directly playable URL(s) (redirects already followed), with the KS inside when Kaltura needs it. */
  readonly sources: readonly { readonly url: string; readonly mimeType: string }[];
  readonly posterUrl: string;
  /** When the KS stops working. */
  readonly expiresAt: Date;
}

export interface PlaybackOptions {
  /** The Kaltura user the KS is issued to: `discord_<snowflake>`. */
  readonly userId: string;
  readonly ttlSeconds: number;
}

export interface MediaLibrary {
  search(input: MediaSearchInput): Promise<MediaSearchResult>;
  /** `undefined` when there is no such media entry. */
  getEntry(entryId: string): Promise<MediaEntry | undefined>;
  thumbnailUrl(entryId: string, size?: ThumbnailSize): string;
  watchUrl(entryId: string): string;
  /** `undefined` when no player is configured. */
  embedUrl(entryId: string): string | undefined;
  /** READY video/audio entries in exactly this category (not images, playlists, live, rooms, templates). */
  searchCategory(input: CategorySearchInput): Promise<MediaSearchResult>;
  /** The entry when playable AND in exactly this category; undefined for unknown/elsewhere/not playable. */
  findPlayable(categoryId: number, entryId: string): Promise<MediaEntry | undefined>;
  /**
   * A USER KS limited to viewing this one entry (sview:<id> + a playback-only role) for ttlSeconds,
   * and the resolved sources.
   */
  playback(entryId: string, options: PlaybackOptions): Promise<Playback>;
}
