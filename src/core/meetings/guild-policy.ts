import type { MeetingKind } from '../ports/meeting-provider';

/**
 * What a server allows, resolved for one guild: the YAML `defaults` with the server's own
 * settings (kept in the store) layered over them, behind one lookup.
 */
export interface GuildPolicy {
  /** Role ids whose members join every meeting as moderators. */
  readonly moderatorRoleIds: readonly string[];
  /** `manage-events`: members with Manage Events (or Manage Server) may start; `everyone`: anyone may. */
  readonly startMeetings: 'manage-events' | 'everyone';
  /** Role ids whose members may start meetings in addition to the above. */
  readonly starterRoleIds: readonly string[];
  readonly defaultKind: MeetingKind;
  readonly defaultDurationMinutes: number;
  readonly defaultRecord: boolean;
  /** Live meetings one member may host at once in this server; 0 or absent: no limit. */
  readonly maxLivePerMember?: number;
}

/** The one function that answers "what is this server's policy" (settings may be read from the store). */
export type PolicyLookup = (guildId: string) => Promise<GuildPolicy>;
