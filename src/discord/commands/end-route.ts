import type { Actor } from '../../core/meetings/actor';
import type { MeetingService } from '../../core/meetings/meeting-service';
import { stringOption } from '../interactions/interaction-request';
import { guildOnly, type InteractionRoute } from '../interactions/interaction-route';
import type { Reply } from '../interactions/reply';
import { parseCustomId } from '../render/custom-ids';
import { formatMinutes, markdownSafe } from '../render/meeting-labels';
import { meetingChoices } from './meeting-choices';

async function endReply(meetings: MeetingService, actor: Actor, guildId: string, meetingId: string): Promise<Reply> {
  const meeting = await meetings.end(actor, guildId, meetingId);
  const lasted = meeting.endedAt && meeting.startsAt ? ` after ${formatMinutes(meeting.endedAt - meeting.startsAt)}` : '';
  return { ephemeral: true, content: `**${markdownSafe(meeting.title)}** has ended${lasted}. Its card now says so.` };
}

/**
 * `/kaltura end` and the card's End button. Everyone sees the button, so who may end is
 * checked by the core at click time. Kaltura is called: defer first.
 */
export const endCommandRoute: InteractionRoute = {
  name: 'kaltura end',
  matches: (r) => r.kind !== 'component' && r.commandName === 'kaltura' && r.subcommand === 'end',
  preconditions: [guildOnly],
  defer: { ephemeral: true },
  run: ({ request, services }) => endReply(services.meetings, request.actor, request.guildId!, stringOption(request, 'meeting') ?? ''),
  autocomplete: async ({ request, services }) => meetingChoices(services.meetings, request),
};

export const endButtonRoute: InteractionRoute = {
  name: 'end button',
  matches: (r) => r.kind === 'component' && parseCustomId(r.customId)?.action === 'end',
  preconditions: [guildOnly],
  defer: { ephemeral: true },
  run: ({ request, services }) => endReply(services.meetings, request.actor, request.guildId!, parseCustomId(request.customId)!.meetingId),
};
