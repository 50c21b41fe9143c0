import { randomBytes } from 'node:crypto';
import { silentMeetingNotifier } from '../ports/notification-hooks';
import { endMeeting } from './end-meeting';
import { DEFAULT_RETIRE_AFTER_MS } from './kaltura-cleanup';
import { getLiveMeeting, issueJoinLink, listVisibleLive, redeemJoinLink } from './join-links';
import type { MeetingService } from './meeting-service';
import type { MeetingContext, MeetingServiceDeps } from './meeting-service-deps';
import { joinTokenKey } from './join-tokens';
import { reconcileMeetings } from './reconcile-meetings';
import { startMeeting } from './start-meeting';

export type { MeetingServiceDeps, JoinLinkSettings } from './meeting-service-deps';
export { policyFromConfig } from './policy-from-config';

const MAX_SUGGESTIONS = 25;

/** The meetings use cases over their ports; built once by the composition root. */
export function createMeetingService(deps: MeetingServiceDeps): MeetingService {
  const ctx: MeetingContext = {
    ...deps,
    random: deps.random ?? ((size) => randomBytes(size)),
    notifier: deps.notifier ?? silentMeetingNotifier,
    retireAfterMs: deps.retireAfterMs ?? DEFAULT_RETIRE_AFTER_MS,
    joinKey: joinTokenKey(deps.links.secret),
    recentlySynced: new Map(),
  };
  return {
    start: (actor, input) => startMeeting(ctx, actor, input),
    end: (actor, guildId, meetingId) => endMeeting(ctx, actor, guildId, meetingId),
    getLive: (actor, guildId, meetingId) => getLiveMeeting(ctx, actor, guildId, meetingId),
    listLive: (actor, guildId) => listVisibleLive(ctx, actor, guildId),
    async suggestLive(actor, guildId, query) {
      const needle = query.trim().toLocaleLowerCase();
      return (await listVisibleLive(ctx, actor, guildId))
        .filter((m) => m.title.toLocaleLowerCase().includes(needle))
        .sort((a, b) => b.createdAt - a.createdAt)
        .slice(0, MAX_SUGGESTIONS);
    },
    issueJoinLink: (actor, guildId, meetingId) => issueJoinLink(ctx, actor, guildId, meetingId),
    redeemJoinLink: (token) => redeemJoinLink(ctx, token),
    reconcile: () => reconcileMeetings(ctx),
  };
}
