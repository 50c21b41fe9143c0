import { DiscordAPIError, Routes, type REST } from 'discord.js';
import type { APIMessage } from 'discord-api-types/v10';
import type { Meeting } from '../core/meetings/meeting';
import type { CardUpdate, MeetingCards } from '../core/ports/meeting-cards';
import { DiscordUpstreamError, toDiscordUpstreamError } from './discord-upstream-error';
import { markdownSafe } from './render/meeting-labels';
import { toMeetingCard } from './render/meeting-card';

/**
 * The meeting card as a channel message, sent with the bot token over REST (discord.js
 * queues per route and honours rate limits). Works before the gateway is up, so the
 * reconciler can fix cards at start.
 * @see https://discord.com/developers/docs/resources/message#create-message
 */
export function createDiscordMeetingCards(rest: REST, options: { readonly watchTogether?: boolean } = {}): MeetingCards {
  return {
    async post(meeting: Meeting) {
      try {
        const message = (await rest.post(Routes.channelMessages(meeting.channelId), { body: toMeetingCard(meeting, options) })) as APIMessage;
        return message.id;
      } catch (err) {
        throw toDiscordUpstreamError(err, 'post the meeting card');
      }
    },
    async update(meeting: Meeting) {
      const messageId = meeting.cardMessageId;
      if (!messageId) return;
      const edit = () => rest.patch(Routes.channelMessage(meeting.channelId, messageId), { body: toMeetingCard(meeting, options) });
      try {
        await edit();
        return;
      } catch (err) {
        if (!(err instanceof DiscordAPIError && err.code === THREAD_ARCHIVED)) throw toDiscordUpstreamError(err, 'update the meeting card');
      }
      return updateInArchivedThread(rest, meeting, messageId, edit);
    },
  };
}

/** "Tried to perform an operation on an archived thread, such as editing a message". */
const THREAD_ARCHIVED = 50083;

/**
 * A card in an archived thread cannot be edited (50083), and a card left "Live" for ever misleads.
 * First reopen the thread (`archived: false` needs only Send Messages when the thread is not locked,
 * Manage Threads when a moderator locked it) and edit again. If the bot may not reopen it and the
 * meeting has ended, post a short "ended" reply under the card instead (sending reopens an unlocked
 * thread by itself); its nonce makes a retry return the same message. If neither works (a locked
 * thread without Manage Threads), a non-retryable error tells the reconciler to stop trying.
 * @see https://discord.com/developers/docs/topics/threads#archiving--unarchiving
 * @see https://discord.com/developers/docs/resources/channel#modify-channel-json-params-thread
 */
async function updateInArchivedThread(rest: REST, meeting: Meeting, messageId: string, edit: () => Promise<unknown>): Promise<CardUpdate> {
  try {
    await rest.patch(Routes.channel(meeting.channelId), { body: { archived: false } });
    await edit();
    return 'edited';
  } catch (err) {
    if (meeting.status !== 'ended') {
      throw new DiscordUpstreamError('the meeting card is in an archived thread the bot may not reopen (Manage Threads is needed when it is locked)', false, THREAD_ARCHIVED, 400, { cause: err });
    }
  }
  try {
    await rest.post(Routes.channelMessages(meeting.channelId), {
      body: {
        content: `**${markdownSafe(meeting.title)}** has ended.`,
        allowed_mentions: { parse: [] },
        message_reference: { message_id: messageId, fail_if_not_exists: false },
        nonce: `end:${meeting.id}`.slice(0, 25),
        enforce_nonce: true,
      },
    });
    return 'ended-notice';
  } catch (err) {
    throw new DiscordUpstreamError('the meeting card is in an archived, locked thread: the bot can neither edit it nor post there (it needs Manage Threads)', false, THREAD_ARCHIVED, 400, { cause: err });
  }
}
