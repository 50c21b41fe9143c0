import { apiErrors, FormErrors } from './api-errors';
import type { ChannelRecord, FakeState, StoredMessage } from './fake-state';
import { asObject, isObject } from './json-value';
import { createMessage, deleteMessage, editMessage, liveChannelMessages } from './message-store';
import { PERMISSIONS } from './guild-objects';
import { botPermissionsIn } from './permissions';
import { ok, type RestRequest, type RestRoute } from './rest-route';
import { validateMessageBody } from './validate-message';

/**
 * Channel message routes (bot auth).
 * @see https://discord.com/developers/docs/resources/message#create-message
 */

/** How long `enforce_nonce` remembers a nonce; Discord documents "the past few minutes". */
const NONCE_WINDOW_MS = 5 * 60_000;

function channelFor(state: FakeState, req: RestRequest, sending = false): ChannelRecord {
  const record = state.channels.get(req.params.channel ?? '');
  if (!record) throw apiErrors.unknownChannel();
  if (record.denied === 50001) throw apiErrors.missingAccess();
  if (record.denied === 50013 && sending) throw apiErrors.missingPermissions();
  return record;
}

interface ThreadMetadata {
  archived: boolean;
  locked?: boolean;
}

const threadMetadata = (record: ChannelRecord): ThreadMetadata | undefined => (record.channel as { thread_metadata?: ThreadMetadata }).thread_metadata;

/**
 * Archived threads are immutable: "Users cannot edit messages … in archived threads" (50083).
 * "Sending a message will automatically unarchive the thread, unless the thread has been locked by
 * a moderator" — then only MANAGE_THREADS may act there.
 * @see https://discord.com/developers/docs/topics/threads#archiving--unarchiving
 * @see https://discord.com/developers/docs/topics/opcodes-and-status-codes#json
 */
function refuseIfArchived(state: FakeState, record: ChannelRecord, action: 'edit' | 'send'): void {
  const meta = threadMetadata(record);
  if (!meta?.archived) return;
  if (action === 'edit') throw apiErrors.threadArchived();
  if (meta.locked && !(botPermissionsIn(state, record.channel.id) & PERMISSIONS.MANAGE_THREADS)) throw apiErrors.threadArchived();
  setThreadArchived(state, record, false);
}

/** Changes a thread's archived state and tells the bot's session (THREAD_UPDATE). */
export function setThreadArchived(state: FakeState, record: ChannelRecord, archived: boolean, locked?: boolean): void {
  const meta = threadMetadata(record);
  if (!meta) throw new Error(`fake Discord: channel ${record.channel.id} is not a thread`);
  meta.archived = archived;
  if (locked !== undefined) meta.locked = locked;
  (meta as { archive_timestamp?: string }).archive_timestamp = new Date(state.now()).toISOString();
  // @see https://discord.com/developers/docs/events/gateway-events#thread-update (GUILDS intent; HTTP mode may have no session)
  if (state.gateway.hasIntent(1)) state.gateway.dispatch('THREAD_UPDATE', structuredClone(record.channel));
}

/**
 * `PATCH /channels/{thread}` with `archived`/`locked`: "When setting archived to false, when locked
 * is also false, only the SEND_MESSAGES permission is required. Otherwise, requires the
 * MANAGE_THREADS permission." Other fields are not modelled (ignored).
 * @see https://discord.com/developers/docs/resources/channel#modify-channel-json-params-thread
 */
function modifyThread(state: FakeState, req: RestRequest) {
  const record = state.channels.get(req.params.channel ?? '');
  if (!record) throw apiErrors.unknownChannel();
  const meta = threadMetadata(record);
  const bits = botPermissionsIn(state, record.channel.id);
  if (!(bits & PERMISSIONS.VIEW_CHANNEL)) throw apiErrors.missingAccess();
  if (!meta) return ok(record.channel); // a plain channel: nothing modelled to change
  const body = asObject(req.body);
  const archived = typeof body.archived === 'boolean' ? body.archived : meta.archived;
  const locked = typeof body.locked === 'boolean' ? body.locked : meta.locked === true;
  const onlyUnarchive = archived === false && locked === false && (meta.locked !== true);
  const needed = onlyUnarchive ? PERMISSIONS.SEND_MESSAGES : PERMISSIONS.MANAGE_THREADS;
  if (!(bits & needed)) throw apiErrors.missingPermissions();
  setThreadArchived(state, record, archived, locked);
  return ok(record.channel);
}

function messageIn(state: FakeState, channel: ChannelRecord, id: string | undefined): StoredMessage {
  const stored = id ? state.messages.get(id) : undefined;
  if (!stored || stored.deleted || stored.ephemeral || stored.channelId !== channel.channel.id) throw apiErrors.unknownMessage();
  return stored;
}

function checkReference(state: FakeState, channelId: string, reference: unknown): void {
  if (!isObject(reference) || typeof reference.message_id !== 'string') return;
  const target = state.messages.get(reference.message_id);
  const errors = new FormErrors();
  if (!target || target.deleted || target.ephemeral) {
    if (reference.fail_if_not_exists !== false) errors.add(['message_reference'], 'REPLIES_UNKNOWN_MESSAGE', 'Unknown message');
  } else if (target.channelId !== channelId) {
    errors.add(['message_reference'], 'REPLIES_CANNOT_REFERENCE_OTHER_CHANNEL', 'Cannot reply to a message in a different channel');
  }
  errors.throwIfAny();
}

function postMessage(state: FakeState, req: RestRequest) {
  const channel = channelFor(state, req, true);
  refuseIfArchived(state, channel, 'send');
  const body = asObject(req.body);
  validateMessageBody(body, { requireContent: true, fileCount: req.files.length });
  checkReference(state, channel.channel.id, body.message_reference);
  if (body.enforce_nonce === true && (typeof body.nonce === 'string' || typeof body.nonce === 'number')) {
    // Discord de-duplicates: the message created earlier with this nonce is returned instead.
    const since = state.now() - NONCE_WINDOW_MS;
    const earlier = liveChannelMessages(state, channel.channel.id).find(
      (m) => m.createdAt >= since && m.message.nonce !== undefined && String(m.message.nonce) === String(body.nonce),
    );
    if (earlier) return ok(earlier.message);
  }
  const stored = createMessage(state, { channelId: channel.channel.id, body, files: req.files });
  return ok(stored.message);
}

function listMessages(state: FakeState, req: RestRequest) {
  const channel = channelFor(state, req);
  const limit = req.query.has('limit') ? Number(req.query.get('limit')) : 50;
  const errors = new FormErrors();
  if (!Number.isInteger(limit)) errors.add(['limit'], 'NUMBER_TYPE_COERCE', `Value "${req.query.get('limit')}" is not int.`);
  else if (limit > 100) errors.add(['limit'], 'NUMBER_TYPE_MAX', 'int value should be less than or equal to 100.');
  else if (limit < 1) errors.add(['limit'], 'NUMBER_TYPE_MIN', 'int value should be greater than or equal to 1.');
  errors.throwIfAny();
  const before = req.query.get('before');
  const after = req.query.get('after');
  let messages = liveChannelMessages(state, channel.channel.id).reverse();
  if (before) messages = messages.filter((m) => BigInt(m.message.id) < BigInt(before));
  if (after) messages = messages.filter((m) => BigInt(m.message.id) > BigInt(after)).slice(-limit);
  return ok(messages.slice(0, limit).map((m) => m.message));
}

export const messageRoutes: RestRoute[] = [
  { method: 'PATCH', template: '/channels/:channel', auth: 'bot', handle: modifyThread },
  { method: 'POST', template: '/channels/:channel/messages', auth: 'bot', handle: postMessage },
  { method: 'GET', template: '/channels/:channel/messages', auth: 'bot', handle: listMessages },
  {
    method: 'GET',
    template: '/channels/:channel/messages/:message',
    auth: 'bot',
    handle: (state, req) => ok(messageIn(state, channelFor(state, req), req.params.message).message),
  },
  {
    method: 'PATCH',
    template: '/channels/:channel/messages/:message',
    auth: 'bot',
    handle: (state, req) => {
      const channel = channelFor(state, req);
      const stored = messageIn(state, channel, req.params.message);
      if (stored.message.author.id !== state.botUser.id) throw apiErrors.cannotEditOthersMessage();
      refuseIfArchived(state, channel, 'edit');
      const body = asObject(req.body);
      validateMessageBody(body);
      editMessage(state, stored, body, req.files);
      return ok(stored.message);
    },
  },
  {
    method: 'DELETE',
    template: '/channels/:channel/messages/:message',
    auth: 'bot',
    handle: (state, req) => {
      deleteMessage(state, messageIn(state, channelFor(state, req), req.params.message));
      return ok();
    },
  },
];
