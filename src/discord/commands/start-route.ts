import type { MeetingKind } from '../../core/ports/meeting-provider';
import { booleanOption, integerOption, stringOption } from '../interactions/interaction-request';
import { botCanPostHere } from '../interactions/bot-can-post';
import { guildOnly, type InteractionRoute } from '../interactions/interaction-route';
import { KIND_LABEL, discordTime, markdownSafe } from '../render/meeting-labels';

const KINDS: readonly MeetingKind[] = ['meeting', 'webinar', 'classroom'];

/** `/kaltura start`: creates the session (Kaltura), posts the public card, and hands the host their link. */
export const startRoute: InteractionRoute = {
  name: 'kaltura start',
  matches: (r) => r.kind !== 'component' && r.commandName === 'kaltura' && r.subcommand === 'start',
  preconditions: [guildOnly, botCanPostHere],
  defer: { ephemeral: true }, // Kaltura is called next: acknowledge first
  async run({ request, services }) {
    const kind = stringOption(request, 'type');
    const meeting = await services.meetings.start(request.actor, {
      guildId: request.guildId!,
      channelId: request.channelId!,
      title: stringOption(request, 'title') ?? '',
      ...(kind && (KINDS as readonly string[]).includes(kind) ? { kind: kind as MeetingKind } : {}),
      ...(stringOption(request, 'description') ? { description: stringOption(request, 'description') } : {}),
      ...(integerOption(request, 'duration') !== undefined ? { durationMinutes: integerOption(request, 'duration') } : {}),
      ...(booleanOption(request, 'record') !== undefined ? { record: booleanOption(request, 'record') } : {}),
    });
    const link = await services.meetings.issueJoinLink(request.actor, meeting.guildId, meeting.id).catch(() => undefined);
    if (!link) return { ephemeral: true, content: `**${markdownSafe(meeting.title)}** is live and its card is posted in this channel. Click Join on it.` };
    return {
      ephemeral: true,
      content:
        `Your ${KIND_LABEL[meeting.kind].toLowerCase()} **${markdownSafe(meeting.title)}** is live and its card is posted in this channel. ` +
        `Here is your personal link (you join as ${link.role}); it works once and expires ${discordTime(link.expiresAt, 'R')}.`,
      components: [{ type: 1, components: [{ type: 2, style: 5, label: 'Open the meeting', url: link.url }] }],
    };
  },
};
