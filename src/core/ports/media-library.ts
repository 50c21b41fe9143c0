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
}

export interface MediaSearchInput {
  readonly query: string;
  /** 1..50, default 10. */
  readonly limit?: number;
  /** 1-based page, default 1. */
  readonly page?: number;
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

export interface MediaLibrary {
  search(input: MediaSearchInput): Promise<MediaSearchResult>;
  /** `undefined` when there is no such media entry. */
  getEntry(entryId: string): Promise<MediaEntry | undefined>;
  thumbnailUrl(entryId: string, size?: ThumbnailSize): string;
  watchUrl(entryId: string): string;
  /** `undefined` when no player is configured. */
  embedUrl(entryId: string): string | undefined;
}
