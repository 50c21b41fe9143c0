import type { Logger } from '../../core/logger';
import type { ChannelAccess } from '../../core/ports/channel-access';
import type { Dispatcher } from '../interactions/create-dispatcher';
import { createHttpResponder, type InteractionCallback, type WebhookRest } from './http-responder';
import { InteractionPayloadError, parseInteraction } from './parse-interaction';
import { createInteractionVerifier, type SignatureFailure, type SignedRequest } from './verify-interaction-signature';

/**
 * One signed POST from Discord → the HTTP answer, independent of the web framework: verify
 * (401 on any failure), parse (400), PING → PONG, anything else through the same dispatcher as
 * gateway mode, the first answer being the response. Discord waits 3 seconds for it; if the
 * handler has not answered by `deferAfterMs` the answer is a deferral and the handler's reply
 * becomes an edit of it.
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#receiving-an-interaction
 */

export interface InteractionHandlerOptions {
  readonly dispatcher: Dispatcher;
  /** `discord.publicKey`, 64 hex characters. */
  readonly publicKey: string;
  /** Follow-ups (edits of the original response) go through it, without the bot token. */
  readonly rest: WebhookRest;
  /** `discord.applicationId`: a signed interaction of another application is refused. */
  readonly applicationId: string;
  readonly logger: Logger;
  readonly now?: () => number;
  /**
   * Read before a guild interaction is dispatched so that the meeting visibility checks, which are
   * synchronous, find the server's roles and channels (REST channel access); bounded by its own
   * wait and by `deferAfterMs`.
   */
  readonly channelAccess?: Pick<ChannelAccess, 'load'>;
  /** Answer with a deferral when the handler has not answered by then. Default 2,500 ms (Discord: 3 s). */
  readonly deferAfterMs?: number;
  /** Default 5 minutes. */
  readonly timestampWindowMs?: number;
}

export type InteractionOutcome =
  | { readonly status: 200; readonly body: InteractionCallback }
  | { readonly status: 400; readonly reason: 'malformed-body'; readonly detail: string }
  | { readonly status: 401; readonly reason: SignatureFailure };

export const DEFAULT_DEFER_AFTER_MS = 2_500;
const EPHEMERAL = 1 << 6;
const NOT_HANDLED = 'This bot does not handle this kind of interaction.';
const SILENT = 'Something went wrong on my side, sorry. Please try again in a moment.';

export function createInteractionHandler(options: InteractionHandlerOptions): (request: SignedRequest) => Promise<InteractionOutcome> {
  const { dispatcher, logger, channelAccess } = options;
  const now = options.now ?? Date.now;
  const deferAfterMs = options.deferAfterMs ?? DEFAULT_DEFER_AFTER_MS;
  const verify = createInteractionVerifier({ publicKey: options.publicKey, now, ...(options.timestampWindowMs !== undefined ? { windowMs: options.timestampWindowMs } : {}) });

  return async (signed) => {
    const receivedAt = now();
    const failure = verify(signed);
    if (failure) return { status: 401, reason: failure };
    let parsed;
    try {
      parsed = parseInteraction(JSON.parse(Buffer.from(signed.body).toString('utf8')), receivedAt);
    } catch (err) {
      const detail = err instanceof InteractionPayloadError ? err.message : 'the body is not JSON';
      return { status: 400, reason: 'malformed-body', detail };
    }
    if (parsed.kind === 'ping') return { status: 200, body: { type: 1 } };
    if (parsed.applicationId !== options.applicationId) {
      return { status: 400, reason: 'malformed-body', detail: `interaction payload: application_id ${parsed.applicationId} is not discord.applicationId` };
    }
    if (parsed.kind === 'unsupported') {
      logger.info({ interaction: parsed.id, type: parsed.type }, 'interaction of a kind this bot does not handle');
      return { status: 200, body: { type: 4, data: { content: NOT_HANDLED, flags: EPHEMERAL } } };
    }

    const { request } = parsed;
    const http = createHttpResponder({ interactionType: parsed.type, applicationId: parsed.applicationId, token: parsed.token, rest: options.rest });
    const timer = setTimeout(() => {
      if (!http.answered()) logger.warn({ interaction: request.id, afterMs: deferAfterMs }, 'no answer before the deadline: deferred on the handler\'s behalf');
      http.deferNow();
    }, Math.max(0, deferAfterMs - (now() - receivedAt)));
    void (async () => {
      try {
        if (channelAccess?.load && request.guildId && request.channelId) await channelAccess.load(request.guildId, request.channelId);
        await dispatcher.dispatch(request, http.responder);
      } catch (err) {
        logger.error({ err, interaction: request.id }, 'interaction could not be handled');
      } finally {
        clearTimeout(timer);
        http.answerIfSilent(SILENT);
      }
    })();
    const body = await http.initial;
    clearTimeout(timer);
    return { status: 200, body };
  };
}
