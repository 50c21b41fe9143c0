/**
 * `POST /interactions`: Discord's HTTP delivery of interactions (`discord.mode: http`; the
 * portal's Interactions Endpoint URL is `<http.publicUrl>/interactions`). The raw body is read
 * with a hard limit (the signature covers the exact bytes, so it is verified before any parsing),
 * then answered by the interaction handler: 401 for anything not signed by Discord, 400 for a
 * signed body we cannot read, otherwise the initial interaction response as JSON. Never a 500.
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#receiving-an-interaction
 */
import type { H3, H3Event } from 'h3';
import { createInteractionHandler, type InteractionHandlerOptions } from '../discord/http-interactions/create-interaction-handler';
import { INTERACTIONS_PATH } from '../discord/http-interactions/interactions-endpoint';
import { createRateLimitedLog } from '../logging/rate-limited-log';
import type { RouteGroup } from './create-http-app';
import { readLimitedBody } from './read-limited-body';

export { INTERACTIONS_PATH };
/**
 * Discord does not document a maximum; a component interaction carries its whole message (2,000
 * characters of content, 6,000 of embeds, components), far below this.
 */
export const DEFAULT_MAX_INTERACTION_BYTES = 512 * 1024;

export interface HttpInteractionsOptions extends InteractionHandlerOptions {
  readonly maxBodyBytes?: number;
}

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });

/** The HTTP interactions endpoint as a route group for the composition root (E5: mount it when `discord.mode` is http). */
export function createHttpInteractions(options: HttpInteractionsOptions): { readonly routes: RouteGroup } {
  const handle = createInteractionHandler(options);
  const maxBytes = options.maxBodyBytes ?? DEFAULT_MAX_INTERACTION_BYTES;
  // Anyone can POST here (and Discord itself sends bad signatures on purpose): refusals are rate-limited lines.
  const refusals = createRateLimitedLog({ logger: options.logger });

  async function receive(event: H3Event): Promise<Response> {
    let body: Uint8Array | 'too-large';
    try {
      body = await readLimitedBody(event.req, maxBytes);
    } catch {
      return json(400, { message: 'the request body could not be read' });
    }
    if (body === 'too-large') {
      refusals('warn', 'interaction refused: body too large', { maxBytes }, 'interaction refused: body too large');
      return json(413, { message: `the body is larger than ${maxBytes} bytes` });
    }
    const headers = event.req.headers;
    const outcome = await handle({ signature: headers.get('x-signature-ed25519'), timestamp: headers.get('x-signature-timestamp'), body });
    if (outcome.status === 401) {
      refusals('info', 'interaction refused: invalid request signature', { reason: outcome.reason }, 'interaction refused: invalid request signature');
      return json(401, { message: 'invalid request signature' });
    }
    if (outcome.status === 400) {
      refusals('warn', 'interaction refused: malformed body', { detail: outcome.detail }, 'signed interaction with a body we cannot read');
      return json(400, { message: outcome.detail });
    }
    return json(200, outcome.body);
  }

  return {
    routes: (app: H3) => {
      app.post(INTERACTIONS_PATH, receive);
    },
  };
}
