import type { Meeting } from '../meetings/meeting';

export type CardUpdate = 'edited' | 'ended-notice';

/**
 * Posts and edits the public meeting card. The Discord adapter renders and sends it; the
 * core only decides when. Errors are UpstreamErrors (retryable or not).
 */
export interface MeetingCards {
  /** Posts the card in the meeting's channel; resolves with the message id. */
  post(meeting: Meeting): Promise<string>;
  /**
   * Edits the posted card in place to show the meeting as it is now. `ended-notice`: the card could
   * not be edited (an archived thread the bot may not reopen), so a short "ended" reply was posted
   * under it instead — done, but not by an edit. Nothing (or `edited`): the card was edited.
   */
  update(meeting: Meeting): Promise<CardUpdate | void>;
}
