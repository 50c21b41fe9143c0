import { listNames, missingPermissions, requiredPermissions } from '../bot-channel-access';
import type { Precondition } from './interaction-route';

/**
 * `/kaltura start` posts a card here: View Channel, Send Messages (Send Messages in Threads in a
 * thread), Embed Links and Read Message History. The interaction says what the bot may do in the
 * channel (`app_permissions`, overwrites applied), so a start that could not post its card is
 * refused before Kaltura is called, instead of creating a session and tearing it down.
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object
 * @see https://discord.com/developers/docs/topics/permissions#permissions-bitwise-permission-flags
 */
export const botCanPostHere: Precondition = (request) => {
  if (request.appPermissions === undefined) return undefined; // not told (outside a guild): the card post itself is the check
  const missing = missingPermissions(request.appPermissions, requiredPermissions(request.inThread === true));
  if (missing.length === 0) return undefined;
  const where = request.inThread ? 'this thread' : 'this channel';
  return (
    `I can't post the meeting card in ${where}: I'm missing the **${listNames(missing)}** permission${missing.length === 1 ? '' : 's'} here. ` +
    `Nothing was created. Ask a server admin to allow ${missing.length === 1 ? 'it' : 'them'} for my role in ${where}'s settings → Permissions${request.inThread ? ' (a thread follows its parent channel)' : ''}, or start the meeting in another channel.`
  );
};
