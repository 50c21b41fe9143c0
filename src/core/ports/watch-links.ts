/**
 * Where personal watch links (`/v/<token>`) are remembered, so each is used once, across every
 * instance sharing the database (the store's watch-links.ts). The token carries ids only; the member's role ids at issue time are
 * kept here, so redeeming can check again that the video is still theirs to see.
 */
export interface WatchLinkRecord {
  /** The token's `jti`. */
  readonly tokenId: string;
  readonly guildId: string;
  readonly userId: string;
  readonly entryId: string;
  /** The member's role ids when the link was issued. */
  readonly roleIds: readonly string[];
  /** Epoch ms (whole seconds, as in the token). */
  readonly expiresAt: number;
  /** When it was used (epoch ms); absent while unused. */
  readonly usedAt?: number;
}

export interface WatchLinkLedger {
  /**
   * Stores a link being issued and, in the same transaction, forgets a bounded batch of links
   * that expired before `pruneBefore` (their tokens are refused as expired anyway).
   */
  record(link: WatchLinkRecord, pruneBefore: number): Promise<void>;
  find(tokenId: string): Promise<WatchLinkRecord | undefined>;
  /** Marks the link used at `now`; true only for the first caller, on any instance (one guarded UPDATE). */
  claim(tokenId: string, now: number): Promise<boolean>;
  /** Undoes this very claim (the player could not be prepared): the member may try again. */
  release(tokenId: string, claimedAt: number): Promise<void>;
}
