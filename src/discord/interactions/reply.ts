import type { APIActionRowComponent, APIComponentInMessageActionRow, APIEmbed } from 'discord-api-types/v10';

/** What a handler answers; the dispatcher decides how it is sent (reply or edit after a defer). */
export interface Reply {
  readonly content?: string;
  readonly embeds?: readonly APIEmbed[];
  readonly components?: readonly APIActionRowComponent<APIComponentInMessageActionRow>[];
  /** Visible to the invoking member only. Replies are ephemeral unless a handler says otherwise. */
  readonly ephemeral?: boolean;
  /**
   * Answer by opening the app's Activity for the member (LAUNCH_ACTIVITY, callback type 12) instead
   * of a message; the other fields are ignored. Only as the initial response: the route must not defer.
   * @see https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-response-object-interaction-callback-type
   */
  readonly launchActivity?: true;
}

export interface AutocompleteChoice {
  readonly name: string;
  readonly value: string;
}

/** How a transport answers Discord for one interaction. Each method is called at most once, in order. */
export interface InteractionResponder {
  /** Acknowledge now ("thinking…"); the reply follows later as an edit. */
  defer(options: { ephemeral: boolean }): Promise<void>;
  /** The reply: an initial response, or the edit of a deferred one (or the Activity's launch, see `Reply.launchActivity`). */
  reply(reply: Reply): Promise<void>;
  autocomplete(choices: readonly AutocompleteChoice[]): Promise<void>;
}

/** Discord's limits for a message, applied so a long title can never make a reply fail. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
