/**
 * What each kind of notification says and where it goes, from the meeting as it is after
 * the change. The dedupe key names the cause, so the same cause can never enqueue twice
 * (a webhook and the poller finding one recording; a member joining twice).
 */
import type { Meeting } from '../meetings/meeting';
import type { OutgoingMessage } from '../ports/channel-sender';
import type { NewOutboxMessage } from '../ports/notification-outbox';
import type { NotificationKind, NotificationPolicy } from './notification-policy';
import { channelMention, escapeText, formatDuration, renderTemplate, userMention, type TemplateValues } from './render-template';

export interface NotificationFacts {
  /** memberJoined: who joined. */
  readonly member?: { readonly id: string; readonly displayName: string };
  /** recordingReady: the recording (a meeting may have several; each is announced once). */
  readonly recording?: { readonly entryId?: string; readonly url: string; readonly durationSeconds?: number };
}

export const WATCH_LABEL = 'Watch';

export function dedupeKeyFor(kind: NotificationKind, meeting: Meeting, facts: NotificationFacts): string {
  switch (kind) {
    case 'recordingReady':
      return facts.recording?.entryId === undefined ? `recording:${meeting.id}` : `recording:${meeting.id}:${facts.recording.entryId}`;
    case 'sessionStarted':
      return `started:${meeting.id}`;
    case 'sessionEnded':
      return `ended:${meeting.id}`;
    case 'memberJoined':
      return `joined:${meeting.id}:${facts.member?.id ?? ''}`;
  }
}

function durationOf(kind: NotificationKind, meeting: Meeting, facts: NotificationFacts): string {
  if (kind === 'recordingReady') return facts.recording?.durationSeconds === undefined ? '' : formatDuration(facts.recording.durationSeconds);
  if (kind === 'sessionEnded' && meeting.endedAt !== undefined) {
    return formatDuration((meeting.endedAt - (meeting.startsAt ?? meeting.createdAt)) / 1000);
  }
  return formatDuration(meeting.durationMinutes * 60); // scheduled
}

export function templateValues(kind: NotificationKind, meeting: Meeting, facts: NotificationFacts): TemplateValues {
  return {
    title: escapeText(meeting.title),
    kind: meeting.kind,
    host: userMention(meeting.hostId),
    hostName: escapeText(meeting.hostName),
    url: facts.recording?.url ?? '',
    duration: durationOf(kind, meeting, facts),
    member: facts.member ? userMention(facts.member.id) : '',
    channel: channelMention(meeting.channelId),
  };
}

/**
 * The outbox row for this notification, or undefined when the server has it switched off
 * (or the template renders to nothing). Posted to the configured channel, else the meeting's
 * (always the meeting's when `confined`: its channel is not open to every member);
 * in the card's channel it is a reply to the card.
 */
export function composeNotification(kind: NotificationKind, meeting: Meeting, policy: NotificationPolicy, facts: NotificationFacts = {}, options: { readonly confined?: boolean } = {}): NewOutboxMessage | undefined {
  const config = policy[kind];
  if (!config.enabled) return undefined;
  const channelId = options.confined ? meeting.channelId : (config.channelId ?? meeting.channelId);
  const content = renderTemplate(config.template, templateValues(kind, meeting, facts));
  const buttons = kind === 'recordingReady' && facts.recording ? [{ label: WATCH_LABEL, url: facts.recording.url }] : [];
  if (content.trim() === '' && buttons.length === 0) return undefined;
  const entryId = kind === 'recordingReady' ? facts.recording?.entryId : undefined;
  const message: OutgoingMessage = {
    content,
    ...(channelId === meeting.channelId && meeting.cardMessageId !== undefined && { replyToMessageId: meeting.cardMessageId }),
    ...(buttons.length > 0 && { linkButtons: buttons }),
    ...(entryId !== undefined && { watchTogether: { entryId } }),
  };
  return { channelId, message, dedupeKey: dedupeKeyFor(kind, meeting, facts) };
}
