import type { MeetingService } from '../../core/meetings/meeting-service';
import type { Actor } from '../../core/meetings/actor';
import { stringOption } from '../interactions/interaction-request';
import { guildOnly, type InteractionRoute } from '../interactions/interaction-route';
import type { Reply } from '../interactions/reply';
import { parseCustomId } from '../render/custom-ids';
import { discordTime, markdownSafe } from '../render/meeting-labels';
import { meetingChoices } from './meeting-choices';

async function joinReply(meetings: MeetingService, actor: Actor, guildId: string, meetingId: string): Promise<Reply> {
  const link = await meetings.issueJoinLink(actor, guildId, meetingId);
  const title = markdownSafe(link.meeting.title);
  return {
    ephemeral: true,
    content: `Your personal link to **${title}** (you join as ${link.role}). It works once and expires ${discordTime(link.expiresAt, 'R')}; click Join again for a new one. Do not share it: it logs you in as you.`,
    components: [{ type: 1, components: [{ type: 2, style: 5, label: 'Open the meeting', url: link.url }] }],
  };
}

/**
 * `/kaltura join` and the card's Join button. Issuing a link is local (a signature, no
 * network call), so it answers at once without deferring.
 */
export const joinCommandRoute: InteractionRoute = {
  name: 'kaltura join',
  matches: (r) => r.kind !== 'component' && r.commandName === 'kaltura' && r.subcommand === 'join',
  preconditions: [guildOnly],
  defer: false,
  run: ({ request, services }) => joinReply(services.meetings, request.actor, request.guildId!, stringOption(request, 'meeting') ?? ''),
  autocomplete: async ({ request, services }) => meetingChoices(services.meetings, request),
};

export const joinButtonRoute: InteractionRoute = {
  name: 'join button',
  matches: (r) => r.kind === 'component' && parseCustomId(r.customId)?.action === 'join',
  preconditions: [guildOnly],
  defer: false,
  run: ({ request, services }) => joinReply(services.meetings, request.actor, request.guildId!, parseCustomId(request.customId)!.meetingId),
};
