import { launchFor } from './activity-instances';
import { apiErrors, DiscordApiError, FormErrors } from './api-errors';
import type { FakeState, StoredMessage } from './fake-state';
import type { InteractionRecord } from './interaction-record';
import { asArray, asObject, isObject, type JsonObject } from './json-value';
import { createMessage, editMessage, MESSAGE_FLAGS } from './message-store';
import { ok, type RestRequest, type RestRoute } from './rest-route';
import { validateMessageBody } from './validate-message';

/**
 * The initial interaction response: one per interaction, within the deadline (reference §1.4).
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#create-interaction-response
 */

/**
 * Callback types Discord accepts per interaction type (2 command, 3 component, 4 autocomplete, 5 modal submit).
 * LAUNCH_ACTIVITY (12) answers commands, components and modal submits, and is "Only available for apps with
 * Activities enabled": without the switch it is refused like any type the interaction does not allow (guessed 50035).
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-response-object-interaction-callback-type
 * @see https://discord.com/developers/docs/activities/how-activities-work (launching via interactions)
 */
const ALLOWED_CALLBACKS: Record<number, number[]> = { 2: [4, 5, 9, 10, 12], 3: [4, 5, 6, 7, 9, 10, 12], 4: [8], 5: [4, 5, 6, 7, 12] };

function checkCallback(state: FakeState, record: InteractionRecord, type: number, data: JsonObject | undefined): void {
  const allowed = (ALLOWED_CALLBACKS[record.type] ?? []).filter((t) => t !== 12 || state.activity.enabled);
  const errors = new FormErrors();
  if (!allowed.includes(type)) errors.add(['type'], 'BASE_TYPE_CHOICES', `Value must be one of (${allowed.join(', ')}).`);
  errors.throwIfAny();
  const d = data ?? {};
  if (type === 4) validateMessageBody(d, { at: ['data'], requireContent: true });
  if (type === 7) validateMessageBody(d, { at: ['data'] });
  if (type === 8) {
    errors.checkCount(['data', 'choices'], d.choices, 25);
    asArray(d.choices).forEach((raw, k) => {
      const choice = asObject(raw);
      errors.checkLength(['data', 'choices', k, 'name'], choice.name, 1, 100);
      errors.checkLength(['data', 'choices', k, 'value'], choice.value, 1, 100);
    });
  }
  if (type === 9) {
    errors.checkLength(['data', 'custom_id'], d.custom_id, 1, 100);
    errors.checkLength(['data', 'title'], d.title, 1, 45);
    const count = asArray(d.components).length;
    if (count < 1 || count > 5) errors.add(['data', 'components'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 5 in length.');
  }
  errors.throwIfAny();
}

/** LAUNCH_ACTIVITY: the clicker joins the instance running in the interaction's channel, or starts one. */
function launchActivity(state: FakeState, record: InteractionRecord): string {
  const payload = record.payload as { guild_id?: string; member?: { user?: { id?: string } }; user?: { id?: string } };
  const userId = payload.member?.user?.id ?? payload.user?.id ?? '';
  return launchFor(state, record.id, payload.guild_id ?? '', record.channelId, userId).instanceId;
}

/** Carries the callback out; returns the message it created or updated, if any. */
function applyCallback(state: FakeState, record: InteractionRecord, type: number, data: JsonObject | undefined): StoredMessage | undefined {
  const flags = typeof data?.flags === 'number' ? data.flags : 0;
  const ephemeral = (flags & MESSAGE_FLAGS.EPHEMERAL) !== 0;
  if (type === 4 || type === 5) {
    const stored = createMessage(state, {
      channelId: record.channelId,
      // A deferred response is an empty "thinking…" message until its first edit.
      body: type === 4 ? (data ?? {}) : {},
      ephemeral,
      loading: type === 5,
      type: record.type === 2 ? 20 : 0,
      origin: record.origin,
    });
    record.originalId = stored.message.id;
    record.loading = type === 5;
    return stored;
  }
  if (type === 6 || type === 7) {
    const source = record.sourceMessageId ? state.messages.get(record.sourceMessageId) : undefined;
    if (!source || source.deleted) throw apiErrors.unknownMessage();
    record.originalId = source.message.id;
    if (type === 7) editMessage(state, source, data ?? {});
    return type === 7 ? source : undefined;
  }
  return undefined;
}

function callbackResponse(record: InteractionRecord, type: number, stored: StoredMessage | undefined, activityId: string) {
  const message = stored?.message;
  return {
    interaction: {
      id: record.id,
      type: record.type,
      ...(type === 12 ? { activity_instance_id: activityId } : {}),
      ...(message
        ? { response_message_id: message.id, response_message_loading: type === 5, response_message_ephemeral: stored.ephemeral }
        : {}),
    },
    ...(message ? { resource: { type, message } } : type === 12 ? { resource: { type, activity_instance: { id: activityId } } } : {}),
  };
}

/**
 * The initial response, however it came: the callback endpoint, or (HTTP delivery) the body of the
 * bot's answer to Discord's POST — the same rules apply to both. Throws the DiscordApiError the
 * callback endpoint would answer (recorded either way).
 */
export function acknowledgeInteraction(
  state: FakeState,
  record: InteractionRecord,
  body: JsonObject,
  options: { withResponse: boolean; via: 'callback' | 'http-response' },
) {
  const type = Number(body.type);
  const data = isObject(body.data) ? body.data : undefined;
  const { withResponse, via } = options;
  const at = state.now();
  const attempt = { type, ...(data ? { data } : {}), latencyMs: at - record.createdAt, at, withResponse, ...(via === 'http-response' ? { via } : {}) };
  try {
    if (record.ack) throw apiErrors.alreadyAcknowledged();
    if (attempt.latencyMs > record.deadlineMs) throw apiErrors.unknownInteraction();
    checkCallback(state, record, type, data);
    const stored = applyCallback(state, record, type, data);
    const instanceId = type === 12 ? launchActivity(state, record) : '';
    record.callbacks.push({ ...attempt, status: withResponse ? 200 : 204 });
    record.acknowledge({ type, ...(data ? { data } : {}), latencyMs: attempt.latencyMs, at });
    return withResponse ? callbackResponse(record, type, stored, instanceId) : undefined;
  } catch (error) {
    if (error instanceof DiscordApiError) {
      record.callbacks.push({ ...attempt, status: error.status, errorCode: error.body.code });
      record.changed();
    }
    throw error;
  }
}

function interactionCallback(state: FakeState, req: RestRequest) {
  const record = state.interactions.get(req.params.interaction ?? '');
  if (!record || record.token !== req.params.token) throw apiErrors.unknownInteraction();
  const withResponse = req.query.get('with_response') === 'true';
  const response = acknowledgeInteraction(state, record, asObject(req.body), { withResponse, via: 'callback' });
  return withResponse ? ok(response) : ok();
}

export const interactionRoutes: RestRoute[] = [
  { method: 'POST', template: '/interactions/:interaction/:token/callback', auth: 'none', handle: interactionCallback },
];
