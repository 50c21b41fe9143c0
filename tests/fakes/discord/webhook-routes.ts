import { apiErrors, DiscordApiError } from './api-errors';
import type { FakeState, StoredMessage } from './fake-state';
import type { InteractionRecord } from './interaction-record';
import { asObject } from './json-value';
import { createMessage, deleteMessage, editMessage, MESSAGE_FLAGS } from './message-store';
import { ok, type RestReply, type RestRequest, type RestRoute } from './rest-route';
import { validateMessageBody } from './validate-message';

/**
 * Interaction webhooks: `@original` and followups, authenticated by the interaction token alone.
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#followup-messages
 */

function interactionFor(state: FakeState, req: RestRequest): InteractionRecord {
  if (req.params.webhook !== state.applicationId) throw apiErrors.unknownWebhook();
  const record = state.interactionsByToken.get(req.params.token ?? '');
  if (!record || state.now() > record.createdAt + state.settings.interactionTokenTtlMs) throw apiErrors.invalidWebhookToken();
  // The webhook exists only once the interaction was acknowledged.
  if (!record.ack) throw apiErrors.unknownWebhook();
  return record;
}

function messageFor(state: FakeState, record: InteractionRecord, target: string): StoredMessage {
  const id = target === '@original' ? record.originalId : target;
  const known = id !== undefined && (id === record.originalId || record.followupIds.includes(id));
  const stored = known ? state.messages.get(id) : undefined;
  if (!stored || stored.deleted) throw apiErrors.unknownMessage();
  return stored;
}

function followup(state: FakeState, req: RestRequest): RestReply {
  const record = interactionFor(state, req);
  const body = asObject(req.body);
  validateMessageBody(body, { requireContent: true, fileCount: req.files.length });
  const original = record.originalId ? state.messages.get(record.originalId) : undefined;
  let stored: StoredMessage;
  if (record.loading && original && !original.deleted) {
    // Right after a type-5 defer the first followup becomes the deferred message (reference §1.5).
    editMessage(state, original, body, req.files);
    record.loading = false;
    stored = original;
  } else {
    const ephemeral = (Number(body.flags ?? 0) & MESSAGE_FLAGS.EPHEMERAL) !== 0;
    stored = createMessage(state, {
      channelId: record.channelId,
      body,
      ephemeral,
      files: req.files,
      origin: { ...record.origin, ...(record.originalId ? { originalResponseId: record.originalId } : {}) },
    });
    record.followupIds.push(stored.message.id);
  }
  record.changed();
  return req.query.get('wait') === 'false' ? ok() : ok(stored.message);
}

/** PATCH/DELETE of `@original` or a followup, logged on the interaction whatever the outcome. */
function change(method: 'PATCH' | 'DELETE') {
  return (state: FakeState, req: RestRequest): RestReply => {
    const record = interactionFor(state, req);
    const target = req.params.message ?? '';
    const body = asObject(req.body);
    const entry = { method, target, ...(method === 'PATCH' ? { body } : {}), at: state.now() };
    try {
      const stored = messageFor(state, record, target);
      if (method === 'DELETE') {
        deleteMessage(state, stored);
      } else {
        validateMessageBody(body);
        editMessage(state, stored, body, req.files);
        if (stored.message.id === record.originalId) record.loading = false;
      }
      record.edits.push({ ...entry, status: method === 'DELETE' ? 204 : 200 });
      record.changed();
      return method === 'DELETE' ? ok() : ok(stored.message);
    } catch (error) {
      if (error instanceof DiscordApiError) record.edits.push({ ...entry, status: error.status, errorCode: error.body.code });
      throw error;
    }
  };
}

export const webhookRoutes: RestRoute[] = [
  { method: 'POST', template: '/webhooks/:webhook/:token', auth: 'none', handle: followup },
  {
    method: 'GET',
    template: '/webhooks/:webhook/:token/messages/:message',
    auth: 'none',
    handle: (state, req) => ok(messageFor(state, interactionFor(state, req), req.params.message ?? '').message),
  },
  { method: 'PATCH', template: '/webhooks/:webhook/:token/messages/:message', auth: 'none', handle: change('PATCH') },
  { method: 'DELETE', template: '/webhooks/:webhook/:token/messages/:message', auth: 'none', handle: change('DELETE') },
];
