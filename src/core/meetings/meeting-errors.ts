/**
 * The UserErrors of the meetings use cases, in one place so the wording stays consistent.
 * Kaltura failures are told apart by `retryable` only; the detail goes to the log under a
 * reference the member can quote (the meeting id, which is also in the database).
 */
import type { Logger } from '../logger';
import { UpstreamError } from '../ports/upstream-error';
import { UserError } from '../user-error';

export const notFound = (): UserError => new UserError('meeting.not-found', 'I cannot find that meeting in this server.');
export const alreadyEnded = (): UserError => new UserError('meeting.already-ended', 'This meeting has already ended.');
export const meetingEnded = (): UserError => new UserError('meeting.ended', 'This meeting has ended.');
export const invalidInput = (message: string): UserError => new UserError('meeting.invalid', message);

export const CARD_FAILED_MESSAGE =
  'I could not post the meeting card in this channel — check that I can view the channel, send messages and embed links.';

const RETRY_MESSAGE = 'Kaltura is not answering right now; try again in a minute.';

/**
 * Turns an UpstreamError from Kaltura into what the member should read; anything else
 * (a bug) is returned unchanged so the dispatcher answers with its generic reply.
 */
export function kalturaFailure(err: unknown, what: 'create' | 'end', ref: string, logger: Logger): unknown {
  if (!(err instanceof UpstreamError)) {
    logger.error({ err, ref }, `unexpected error while trying to ${what} a meeting`);
    return err;
  }
  logger.error({ err, ref, retryable: err.retryable }, `Kaltura could not ${what} the meeting`);
  if (err.retryable) return new UserError('meeting.kaltura-unavailable', `${RETRY_MESSAGE} (reference: ${ref})`, { cause: err });
  const refused =
    what === 'create'
      ? 'Kaltura refused to create the meeting; ask the bot\'s operator to run `kaltura-discord doctor`.'
      : 'Kaltura refused to end the meeting; ask the bot\'s operator to run `kaltura-discord doctor`.';
  return new UserError('meeting.kaltura-refused', `${refused} (reference: ${ref})`, { cause: err });
}

/** Starting took so long that the reconciler gave up on it. */
export const startAbandoned = (ref: string): UserError =>
  new UserError('meeting.kaltura-unavailable', `${RETRY_MESSAGE} (reference: ${ref})`);
