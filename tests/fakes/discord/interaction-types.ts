import type {
  APIEmbed,
  APIInteraction,
  APIInteractionDataResolved,
  APIMessage,
  APIMessageTopLevelComponent,
  ApplicationCommandOptionType,
} from 'discord-api-types/v10';
import type { FakeMember } from './types';

/** Public types for driving interactions: what tests pass in and the handle they get back. */

export interface InteractionAck {
  type: number;
  // `any`: the callback's `data` as the bot sent it.
  data?: any;
  /** Time from dispatching INTERACTION_CREATE to the callback. */
  latencyMs: number;
  at: number;
}

export interface CallbackRecord extends InteractionAck {
  status: number;
  errorCode?: number;
  withResponse: boolean;
  /** Present when the answer was the body of the bot's HTTP response to Discord's POST (HTTP delivery). */
  via?: 'http-response';
}

/** One POST of an interaction to the Interactions Endpoint URL and what the bot answered. */
export interface HttpDeliveryRecord {
  readonly at: number;
  /** HTTP status of the bot's answer; absent when it never answered (network error, or Discord gave up at the deadline). */
  status?: number;
  contentType?: string;
  /** The raw response body. */
  body?: string;
  latencyMs?: number;
  /** Why Discord would show "This interaction failed" for it, if it would. */
  failure?: string;
}

export interface WebhookEditRecord {
  method: 'PATCH' | 'DELETE';
  /** `@original` or a followup message id. */
  target: string;
  body?: any;
  at: number;
  status: number;
  errorCode?: number;
}

/** What the member sees as the bot's answer. */
export interface ReplyView {
  id: string;
  content: string;
  embeds: APIEmbed[];
  components: APIMessageTopLevelComponent[];
  flags: number;
  ephemeral: boolean;
  message: APIMessage;
}

export interface InteractionHandle {
  readonly id: string;
  readonly token: string;
  /** 2 APPLICATION_COMMAND, 3 MESSAGE_COMPONENT, 4 AUTOCOMPLETE. */
  readonly type: number;
  readonly payload: APIInteraction;
  /** The first accepted callback; rejects when the deadline passes without one. */
  readonly acknowledged: Promise<InteractionAck>;
  /** Every callback attempt, including rejected ones (10062, 40060, 50035…). */
  readonly callbacks: readonly CallbackRecord[];
  /** PATCH/DELETE of `@original` and of followups. */
  readonly edits: readonly WebhookEditRecord[];
  /** With an Interactions Endpoint URL: the signed POST of this interaction to it (none over the gateway). */
  readonly deliveries: readonly HttpDeliveryRecord[];
  /** Followup messages created (a followup that replaced a deferred "thinking…" original is not one). */
  readonly followups: readonly APIMessage[];
  /** The current `@original` message (the reply, or for types 6/7 the component's message). */
  original(): APIMessage | undefined;
  /**
   * The member-visible reply: an immediate type-4 reply, or after a type-5 defer the first edit or
   * followup, or for components the updated message (type 7, or type 6 then an edit) or a followup.
   * Resolves with its state at that moment (or now, if it is already visible); rejects on timeout,
   * when the deadline passed unacknowledged, or when the answer was not a message (modal, autocomplete).
   */
  reply(opts?: { timeoutMs?: number }): Promise<ReplyView>;
}

export type CommandOptionInput =
  | string
  | number
  | boolean
  | { type: ApplicationCommandOptionType; value: string | number | boolean };

interface InteractionTarget {
  /** Default: the first guild. */
  guildId?: string;
  /** Default: the guild's first channel (for components: the message's channel). */
  channelId?: string;
  /** Default: a member "tester" with no roles. */
  member?: FakeMember;
  /** Override `interactionDeadlineMs` for this interaction. */
  deadlineMs?: number;
  appPermissions?: bigint | string;
}

export interface InvokeCommandOptions extends InteractionTarget {
  name: string;
  group?: string;
  subcommand?: string;
  /** Typed from the registered command when there is one, else string→3, integer→4, number→10, boolean→5. */
  options?: Readonly<Record<string, CommandOptionInput>>;
  /** Extra `data.resolved` entries (users/roles/channels are filled in for options of those types). */
  resolved?: APIInteractionDataResolved;
}

export interface AutocompleteOptions extends InvokeCommandOptions {
  focused: string;
  /** What the member has typed so far. */
  value: string;
}

export interface ClickButtonOptions extends InteractionTarget {
  customId: string;
  /** A message in the channel store (found in any channel when `channelId` is omitted). */
  messageId?: string;
  /** Click a component on this interaction's reply (e.g. an ephemeral one) instead. */
  fromReply?: InteractionHandle;
}

export interface SelectMenuOptions extends ClickButtonOptions {
  values: string[];
}
