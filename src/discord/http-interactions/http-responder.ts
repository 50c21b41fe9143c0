import type { AutocompleteChoice, InteractionResponder, Reply } from '../interactions/reply';

/**
 * The `InteractionResponder` of HTTP mode. Discord takes the HTTP response to its POST as the
 * interaction's initial response ("respond to the received POST request … with an Interaction
 * Response object"), so the first answer resolves `initial`, which the route returns as the body;
 * every later answer edits the original message through the interaction webhook
 * (`PATCH /webhooks/{application.id}/{token}/messages/@original`, no bot token: the interaction
 * token authenticates), exactly what discord.js's `editReply` does in gateway mode.
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-callback
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#edit-original-interaction-response
 */

/** The interaction response object sent as the HTTP body. */
export interface InteractionCallback {
  readonly type: number;
  readonly data?: Record<string, unknown>;
}

/** What this responder needs of discord.js's REST client. */
export interface WebhookRest {
  patch(route: `/${string}`, options: { body: unknown; auth: false }): Promise<unknown>;
}

export interface HttpResponder {
  readonly responder: InteractionResponder;
  /** Resolves with the first answer, the body of the HTTP response. */
  readonly initial: Promise<InteractionCallback>;
  /** Whether the HTTP response is decided. */
  answered(): boolean;
  /**
   * The deadline is near and the handler has not answered: acknowledge for it (a deferred ephemeral
   * message; for autocomplete, no choices — an answer after 3 s is dropped anyway).
   */
  deferNow(): void;
  /** The dispatcher ended without answering (it should not): an apology instead of "thinking…" for 15 minutes. */
  answerIfSilent(content: string): void;
}

const EPHEMERAL = 1 << 6;
/** @see https://discord.com/developers/docs/topics/opcodes-and-status-codes#json-json-error-codes */
const UNKNOWN_WEBHOOK = 10015;
const EDIT_ATTEMPTS = 3;
const CALLBACK = { message: 4, deferredMessage: 5, autocompleteResult: 8, launchActivity: 12 } as const;

/** A reply as a message body; replies echo member-written titles, so they never ping anyone. */
export function toMessageBody(reply: Reply): Record<string, unknown> {
  return {
    ...(reply.content !== undefined ? { content: reply.content } : {}),
    embeds: [...(reply.embeds ?? [])],
    components: [...(reply.components ?? [])],
    allowed_mentions: { parse: [] },
  };
}

export function createHttpResponder(options: {
  readonly interactionType: 2 | 3 | 4;
  readonly applicationId: string;
  readonly token: string;
  readonly rest: WebhookRest;
  /** Pause before retrying an edit that overtook the response (× attempt). Default 250 ms. */
  readonly retryDelayMs?: number;
}): HttpResponder {
  const { interactionType, rest } = options;
  const retryDelayMs = options.retryDelayMs ?? 250;
  const autocomplete = interactionType === 4;
  let resolveInitial!: (callback: InteractionCallback) => void;
  const initial = new Promise<InteractionCallback>((resolve) => (resolveInitial = resolve));
  let answered = false;
  const answer = (callback: InteractionCallback) => {
    answered = true;
    resolveInitial(callback);
  };
  const editOriginal = async (reply: Reply): Promise<void> => {
    const route = `/webhooks/${options.applicationId}/${options.token}/messages/@original` as const;
    for (let attempt = 1; ; attempt++) {
      try {
        await rest.patch(route, { body: toMessageBody(reply), auth: false });
        return;
      } catch (err) {
        const { status, code } = err as { status?: unknown; code?: unknown };
        // Our HTTP response and this edit travel separately: an edit that overtakes the response finds no
        // webhook yet (404, 10015 Unknown Webhook). Wait briefly and try again, a bounded number of times.
        if (status === 404 && code === UNKNOWN_WEBHOOK && attempt < EDIT_ATTEMPTS) {
          await new Promise((resolve) => setTimeout(resolve, retryDelayMs * attempt));
          continue;
        }
        // discord.js's error carries the request URL, which holds the interaction token (it lets anyone
        // answer as the bot for 15 minutes): never chain it into what gets logged.
        throw new Error(`editing the interaction response failed: ${typeof status === 'number' ? `HTTP ${status}` : 'no answer'}${typeof code === 'number' || typeof code === 'string' ? ` (code ${code})` : ''}`);
      }
    }
  };

  const responder: InteractionResponder = {
    async defer({ ephemeral }) {
      if (autocomplete || answered) return; // answered: the deadline already deferred for the handler
      answer({ type: CALLBACK.deferredMessage, data: ephemeral ? { flags: EPHEMERAL } : {} });
    },
    async reply(reply) {
      if (autocomplete) return;
      if (reply.launchActivity) {
        // Type 12 exists only as the initial response; discord.js refuses it after a defer too.
        if (answered) throw new Error('the Activity can only be launched as the first answer to an interaction');
        return answer({ type: CALLBACK.launchActivity });
      }
      if (!answered) return answer({ type: CALLBACK.message, data: { ...toMessageBody(reply), ...(reply.ephemeral !== false ? { flags: EPHEMERAL } : {}) } });
      await editOriginal(reply);
    },
    async autocomplete(choices: readonly AutocompleteChoice[]) {
      if (!autocomplete || answered) return;
      answer({ type: CALLBACK.autocompleteResult, data: { choices: choices.map((c) => ({ name: c.name, value: c.value })) } });
    },
  };
  return {
    responder,
    initial,
    answered: () => answered,
    deferNow() {
      if (answered) return;
      answer(autocomplete ? { type: CALLBACK.autocompleteResult, data: { choices: [] } } : { type: CALLBACK.deferredMessage, data: { flags: EPHEMERAL } });
    },
    answerIfSilent(content) {
      if (answered) return;
      answer(autocomplete ? { type: CALLBACK.autocompleteResult, data: { choices: [] } } : { type: CALLBACK.message, data: { content, flags: EPHEMERAL, allowed_mentions: { parse: [] } } });
    },
  };
}
