import { BOT_PERMISSION, listNames, missingPermissions, requiredPermissions } from '../bot-channel-access';
import { stringOption } from '../interactions/interaction-request';
import type { Precondition } from '../interactions/interaction-route';
import { isEntryId } from '../render/custom-ids';

/**
 * The bot posts the card itself: View Channel, Send Messages (in Threads, in a thread), Embed
 * Links and Read Message History, as the interaction's `app_permissions` says (overwrites applied).
 * Refused before Kaltura is asked anything.
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object
 */
export const botCanShareHere: Precondition = (request) => {
  if (request.appPermissions === undefined) return undefined; // not told: the post itself is the check
  const missing = missingPermissions(request.appPermissions, requiredPermissions(request.inThread === true));
  if (missing.length === 0) return undefined;
  const where = request.inThread ? 'this thread' : 'this channel';
  return (
    `I can't post the video in ${where}: I'm missing the **${listNames(missing)}** permission${missing.length === 1 ? '' : 's'} here. ` +
    `Ask a server admin to allow ${missing.length === 1 ? 'it' : 'them'} for my role in ${where}'s settings → Permissions, or share it in another channel.`
  );
};

/**
 * A share posts in the channel for the member, so only where they could post themselves: Send
 * Messages (Send Messages in Threads in a thread) in the invoking channel. `permissions` are what
 * Discord computed for this channel, with a timeout already applied (the actor's `duringTimeout`).
 * @see https://discord.com/developers/docs/topics/permissions#permissions-for-timed-out-members
 */
export const memberCanPostHere: Precondition = (request) => {
  const bit = request.inThread ? BOT_PERMISSION.SEND_MESSAGES_IN_THREADS : BOT_PERMISSION.SEND_MESSAGES;
  const p = request.actor.permissions;
  if ((p & BOT_PERMISSION.ADMINISTRATOR) !== 0n || (p & bit) !== 0n) return undefined;
  return request.actor.timedOut
    ? 'You are timed out in this server, so you cannot share videos in its channels for now.'
    : `You cannot send messages in ${request.inThread ? 'this thread' : 'this channel'}, so you cannot share a video here.`;
};

/** `/kaltura share entry:`: autocomplete fills in an entry id, but a member may type anything (while typing, anything goes). */
export const validEntryOption: Precondition = (request) =>
  request.kind === 'autocomplete' || isEntryId(stringOption(request, 'entry')?.trim())
    ? undefined
    : 'Pick a video from the list that appears while you type in `entry` (search with `/kaltura search` to find one).';
