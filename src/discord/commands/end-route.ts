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
  const ended = `**${markdownSafe(meeting.title)}** has ended${lasted}. Its card now says so.`;
  // Ended here either way (join links stop now); the bot keeps telling Kaltura until it confirms.
  if (meeting.kalturaPending === 'unavailable') {
    return { ephemeral: true, content: `${ended}\nKaltura is not answering right now, so the session there (and any recording) is closed as soon as it answers; nothing more to do.` };
  }
  if (meeting.kalturaPending === 'refused') {
    return { ephemeral: true, content: `${ended}\nKaltura refused to close the session there; the bot keeps retrying. Ask the bot's operator to run \`kaltura-discord doctor\`.` };
  }
  return { ephemeral: true, content: ended };
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
