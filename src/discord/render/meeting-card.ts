import type { RESTPostAPIChannelMessageJSONBody } from 'discord-api-types/v10';
import type { Meeting } from '../../core/meetings/meeting';
import { customId, isEntryId } from './custom-ids';
import { watchTogetherButton } from './video-buttons';
import { clipEscaped, discordTime, formatMinutes, KIND_LABEL, markdownSafe, markdownSafeLines } from './meeting-labels';

const COLOR = { live: 0x2ecc71, ended: 0x95a5a6 } as const;

/**
 * The public meeting card: what everyone in the channel sees, edited in place as the
 * meeting changes. Mentions are disabled: the host is shown, never pinged.
 */
export function toMeetingCard(meeting: Meeting, options: { readonly watchTogether?: boolean } = {}): RESTPostAPIChannelMessageJSONBody {
  const live = meeting.status === 'live';
  const status = live
    ? '🟢 Live'
    : meeting.endedAt && meeting.startsAt
      ? `Ended — lasted ${formatMinutes(meeting.endedAt - meeting.startsAt)}`
      : 'Ended';
  const fields = [
    { name: 'Kind', value: KIND_LABEL[meeting.kind], inline: true },
    { name: 'Host', value: `<@${meeting.hostId}>`, inline: true },
    { name: 'Status', value: status, inline: true },
    ...(meeting.startsAt ? [{ name: 'Started', value: `${discordTime(meeting.startsAt)} (${discordTime(meeting.startsAt, 'R')})`, inline: true }] : []),
    ...(live && meeting.endsAt ? [{ name: 'Scheduled end', value: discordTime(meeting.endsAt, 't'), inline: true }] : []),
    ...(!live && meeting.endedAt ? [{ name: 'Ended', value: discordTime(meeting.endedAt), inline: true }] : []),
    ...(meeting.record ? [{ name: 'Recording', value: live ? 'This session is recorded' : 'Recorded', inline: true }] : []),
  ];
  return {
    embeds: [
      {
        // Member-written: escaped so it renders as written (no masked links or mentions); Discord
        // renders markdown in embed titles and descriptions, so the escapes are not shown.
        title: clipEscaped(markdownSafe(meeting.title), 256),
        ...(meeting.description ? { description: clipEscaped(markdownSafeLines(meeting.description), 4096) } : {}),
        color: live ? COLOR.live : COLOR.ended,
        fields,
        footer: { text: live ? 'Click Join for your personal link' : 'This session has ended' },
      },
    ],
    components: [
      {
        type: 1,
        components: [
          { type: 2, style: 1, label: 'Join', custom_id: customId.join(meeting.id), disabled: !live },
          { type: 2, style: 4, label: 'End', custom_id: customId.end(meeting.id), disabled: !live },
          ...(meeting.recordingUrl ? [{ type: 2 as const, style: 5 as const, label: 'Watch', url: meeting.recordingUrl }] : []),
          // The recording in the Activity, for everyone here (the card is in the meeting's own channel).
          ...(options.watchTogether && meeting.recordingUrl && isEntryId(meeting.recordingEntryId) ? [watchTogetherButton(meeting.recordingEntryId)] : []),
        ],
      },
    ],
    allowed_mentions: { parse: [] },
  };
}
