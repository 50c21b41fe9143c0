import { Routes, type REST } from 'discord.js';
import type { APIMessage } from 'discord-api-types/v10';
import type { Meeting } from '../core/meetings/meeting';
import type { MeetingCards } from '../core/ports/meeting-cards';
import { toDiscordUpstreamError } from './discord-upstream-error';
import { toMeetingCard } from './render/meeting-card';

/**
 * The meeting card as a channel message, sent with the bot token over REST (discord.js
 * queues per route and honours rate limits). Works before the gateway is up, so the
 * reconciler can fix cards at start.
 * @see https://discord.com/developers/docs/resources/message#create-message
 */
export function createDiscordMeetingCards(rest: REST): MeetingCards {
  return {
    async post(meeting: Meeting) {
      try {
        const message = (await rest.post(Routes.channelMessages(meeting.channelId), { body: toMeetingCard(meeting) })) as APIMessage;
        return message.id;
      } catch (err) {
        throw toDiscordUpstreamError(err, 'post the meeting card');
      }
    },
    async update(meeting: Meeting) {
      if (!meeting.cardMessageId) return;
      try {
        await rest.patch(Routes.channelMessage(meeting.channelId, meeting.cardMessageId), { body: toMeetingCard(meeting) });
      } catch (err) {
        throw toDiscordUpstreamError(err, 'update the meeting card');
      }
    },
  };
}
