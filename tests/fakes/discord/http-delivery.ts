import { DiscordApiError } from './api-errors';
import type { FakeState } from './fake-state';
import type { InteractionRecord } from './interaction-record';
import { acknowledgeInteraction } from './interaction-routes';
import { isObject } from './json-value';
import type { HttpDeliveryRecord } from './types';

/**
 * HTTP delivery: with an Interactions Endpoint URL set, Discord POSTs each interaction there
 * (instead of the gateway), signed (interaction-signer.ts), and takes the HTTP response as the
 * initial response: "respond to the received POST request … with a 200 status code, as well as
 * specifying a type and data, which is an Interaction Response object". The same rules as the
 * callback endpoint apply to that body (interaction-routes.ts). Anything else — a non-2xx status,
 * a body that is not a JSON interaction response, no answer within the deadline — and the member
 * sees "This interaction failed" (recorded in `deliveries[].failure`).
 * A bot that answers through the callback endpoint instead responds "to the original HTTP request with a
 * 202 and no body" (documented under Interaction Callback). Stricter readings where the docs are silent:
 * only 200 with `Content-Type: application/json` counts as an answer ("You must provide a valid
 * Content-Type" is documented for PINGs); Discord stops waiting at the deadline (3 s) and aborts.
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#receiving-an-interaction
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-callback
 * @see https://discord.com/developers/docs/interactions/overview#validating-security-request-headers
 */
export function deliverOverHttp(state: FakeState, record: InteractionRecord, url: string): void {
  const body = JSON.stringify(record.payload);
  const delivery: HttpDeliveryRecord = { at: state.now() };
  record.deliveries.push(delivery);
  const fail = (failure: string) => {
    delivery.failure = failure;
    record.changed();
  };
  const signal = AbortSignal.timeout(record.deadlineMs);
  void (async () => {
    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...state.signer.sign(body) }, body, signal });
    } catch (err) {
      return fail(signal.aborted ? `no answer within ${record.deadlineMs} ms` : `could not reach the endpoint: ${(err as Error).message}`);
    }
    const text = await response.text().catch(() => '');
    delivery.status = response.status;
    delivery.contentType = response.headers.get('content-type') ?? '';
    delivery.body = text;
    delivery.latencyMs = state.now() - record.createdAt;
    if (response.status === 202 && text === '') return record.changed(); // answered through the callback endpoint
    if (response.status !== 200) return fail(`the endpoint answered HTTP ${response.status}`);
    if (!/^application\/json\b/i.test(delivery.contentType)) return fail(`the answer's Content-Type is "${delivery.contentType}", not application/json`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return fail('the answer is not JSON');
    }
    if (!isObject(parsed)) return fail('the answer is not an interaction response object');
    try {
      acknowledgeInteraction(state, record, parsed, { withResponse: false, via: 'http-response' });
    } catch (err) {
      if (err instanceof DiscordApiError) return fail(`the answer was refused: ${err.body.code} ${err.body.message}`);
      state.internalErrors.push(err as Error);
      fail(`the fake failed on the answer: ${(err as Error).message}`);
    }
  })();
}

/**
 * What the portal does when the Interactions Endpoint URL is saved: a signed PING must be answered
 * 200 with a `PONG` (`{"type":1}`, valid Content-Type), and the app must validate the security headers
 * "at the time of saving your endpoint" — Discord also sends "purposefully … invalid signatures"
 * (stricter reading: one such PING at save time, which must be refused with 401).
 * Returns the problems the portal would report; empty means it would save the URL.
 * @see https://discord.com/developers/docs/interactions/overview#validating-security-request-headers
 * @see https://discord.com/developers/docs/interactions/overview#acknowledging-ping-requests
 */
export async function checkEndpointLikeThePortal(state: FakeState, url: string): Promise<string[]> {
  const body = JSON.stringify({ id: state.nextId(), application_id: state.applicationId, type: 1, token: 'portal-check', version: 1 });
  const signed = state.signer.sign(body);
  // The same signature over another body: valid hex, wrong bytes.
  const forged = { ...signed, 'x-signature-ed25519': state.signer.sign(`${body} `)['x-signature-ed25519'] };
  const post = async (headers: Record<string, string>) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, signal: AbortSignal.timeout(3_000) });
    return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
  };
  const problems: string[] = [];
  try {
    const good = await post(signed);
    const pong = good.status === 200 && /^application\/json\b/i.test(good.type) && (JSON.parse(good.text || 'null') as { type?: unknown } | null)?.type === 1;
    if (!pong) problems.push(`a signed PING was answered HTTP ${good.status} ${good.text.slice(0, 100)}, not 200 {"type":1}`);
    const bad = await post(forged);
    if (bad.status !== 401) problems.push(`a PING with an invalid signature was answered HTTP ${bad.status}, not 401`);
  } catch (err) {
    problems.push(`the endpoint could not be reached: ${(err as Error).message}`);
  }
  return problems;
}
