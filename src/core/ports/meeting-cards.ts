import type { Meeting } from '../meetings/meeting';

/**
 * Posts and edits the public meeting card. The Discord adapter renders and sends it; the
 * core only decides when. Errors are UpstreamErrors (retryable or not).
 */
export interface MeetingCards {
  /** Posts the card in the meeting's channel; resolves with the message id. */
  post(meeting: Meeting): Promise<string>;
  /** Edits the posted card in place to show the meeting as it is now. */
  update(meeting: Meeting): Promise<void>;
}
