/**
 * The port that mirrors Discord members into the video platform's user list, so that
 * recordings and room participants carry a recognisable identity.
 */
export interface DirectoryMember {
  readonly discordId: string;
  /** The member's display name in the guild (may contain anything). */
  readonly displayName: string;
  /** The Discord username, used as the screen name when present. */
  readonly username?: string;
  /** An https avatar URL. */
  readonly avatarUrl?: string;
}

export interface UpsertedMember {
  /** The platform's user id, e.g. `discord_<snowflake>`. */
  readonly userId: string;
  readonly created: boolean;
}

export interface MemberDirectory {
  upsertMember(member: DirectoryMember): Promise<UpsertedMember>;
}
