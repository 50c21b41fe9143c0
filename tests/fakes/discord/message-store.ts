import type { APIAttachment, APIEmbed, APIMessage, APIMessageTopLevelComponent, APIUser } from 'discord-api-types/v10';
import type { FakeState, StoredMessage } from './fake-state';
import { asArray, isObject, type JsonObject } from './json-value';

/**
 * The fake's messages: channel messages and interaction responses (ephemeral ones live only here).
 * Non-ephemeral changes go out as MESSAGE_CREATE/UPDATE/DELETE when the bot asked for GUILD_MESSAGES.
 * @see https://discord.com/developers/docs/resources/message#message-object
 */

const GUILD_MESSAGES_INTENT = 1 << 9;
export const MESSAGE_FLAGS = { SUPPRESS_EMBEDS: 1 << 2, EPHEMERAL: 1 << 6, LOADING: 1 << 7, IS_COMPONENTS_V2: 1 << 15 } as const;
/** Flags a sender may set: SUPPRESS_EMBEDS, SUPPRESS_NOTIFICATIONS, IS_VOICE_MESSAGE, IS_COMPONENTS_V2 (+ EPHEMERAL for interactions). */
const SETTABLE_FLAGS = (1 << 2) | (1 << 12) | (1 << 13) | (1 << 15);

export interface UploadedFile {
  field: string;
  name: string;
  size: number;
  contentType: string;
}

/** Where an interaction response came from, for `webhook_id` and `interaction_metadata`. */
export interface InteractionOrigin {
  id: string;
  type: number;
  name?: string;
  user: APIUser;
  guildId?: string;
  interactedMessageId?: string;
  originalResponseId?: string;
}

export interface NewMessage {
  channelId: string;
  body: JsonObject;
  ephemeral?: boolean;
  loading?: boolean;
  /** MessageType; default 0, or 19 REPLY with a `message_reference`. */
  type?: number;
  origin?: InteractionOrigin;
  files?: readonly UploadedFile[];
}

export function createMessage(state: FakeState, input: NewMessage): StoredMessage {
  const id = state.nextId();
  const body = input.body;
  const flags =
    (Number(body.flags ?? 0) & SETTABLE_FLAGS) |
    (input.ephemeral ? MESSAGE_FLAGS.EPHEMERAL : 0) |
    (input.loading ? MESSAGE_FLAGS.LOADING : 0);
  const reference = isObject(body.message_reference) ? body.message_reference : undefined;
  const referenced = typeof reference?.message_id === 'string' ? state.messages.get(reference.message_id) : undefined;
  const guildId = state.channels.get(input.channelId)?.guildId;
  const message: APIMessage = {
    id,
    channel_id: input.channelId,
    author: state.botUser,
    content: typeof body.content === 'string' ? body.content : '',
    timestamp: new Date(state.now()).toISOString(),
    edited_timestamp: null,
    tts: body.tts === true,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: toAttachments(state, input.files ?? []),
    embeds: toEmbeds(body.embeds),
    components: toComponents(body.components),
    pinned: false,
    type: input.type ?? (referenced ? 19 : 0),
    flags,
    ...(typeof body.nonce === 'string' || typeof body.nonce === 'number' ? { nonce: body.nonce } : {}),
    ...(referenced
      ? {
          message_reference: { type: 0, message_id: referenced.message.id, channel_id: referenced.channelId, ...(guildId ? { guild_id: guildId } : {}) },
          referenced_message: structuredClone(referenced.message),
        }
      : {}),
    ...(input.origin ? interactionFields(state, input.origin, input.type === 20) : {}),
  };
  const stored: StoredMessage = { message, channelId: input.channelId, ephemeral: input.ephemeral ?? false, deleted: false, createdAt: state.now(), ...(guildId ? { guildId } : {}) };
  state.messages.set(id, stored);
  if (!stored.ephemeral) {
    state.channels.get(input.channelId)?.messageIds.push(id);
    emit(state, stored, 'MESSAGE_CREATE');
  }
  return stored;
}

/** Applies an edit body. The first edit of a deferred "thinking…" message is its content, not an edit. */
export function editMessage(state: FakeState, stored: StoredMessage, body: JsonObject, files: readonly UploadedFile[] = []): void {
  const message = stored.message;
  const wasLoading = ((message.flags ?? 0) & MESSAGE_FLAGS.LOADING) !== 0;
  if ('content' in body) message.content = typeof body.content === 'string' ? body.content : '';
  if ('embeds' in body) message.embeds = toEmbeds(body.embeds);
  if ('components' in body) message.components = toComponents(body.components);
  if ('attachments' in body) {
    const keep = new Set(asArray(body.attachments).flatMap((a) => (isObject(a) && typeof a.id === 'string' ? [a.id] : [])));
    message.attachments = message.attachments.filter((a) => keep.has(a.id));
  }
  message.attachments.push(...toAttachments(state, files));
  if (typeof body.flags === 'number') {
    const keep = (message.flags ?? 0) & (MESSAGE_FLAGS.EPHEMERAL | MESSAGE_FLAGS.IS_COMPONENTS_V2);
    message.flags = keep | (body.flags & (MESSAGE_FLAGS.SUPPRESS_EMBEDS | MESSAGE_FLAGS.IS_COMPONENTS_V2));
  }
  if (wasLoading) message.flags = (message.flags ?? 0) & ~MESSAGE_FLAGS.LOADING;
  else message.edited_timestamp = new Date(state.now()).toISOString();
  emit(state, stored, 'MESSAGE_UPDATE');
}

export function deleteMessage(state: FakeState, stored: StoredMessage): void {
  stored.deleted = true;
  emit(state, stored, 'MESSAGE_DELETE');
}

/** Live (not deleted) messages of a channel, oldest first. */
export function liveChannelMessages(state: FakeState, channelId: string): StoredMessage[] {
  const ids = state.channels.get(channelId)?.messageIds ?? [];
  return ids.flatMap((id) => {
    const stored = state.messages.get(id);
    return stored && !stored.deleted ? [stored] : [];
  });
}

function emit(state: FakeState, stored: StoredMessage, event: 'MESSAGE_CREATE' | 'MESSAGE_UPDATE' | 'MESSAGE_DELETE'): void {
  if (stored.ephemeral || !stored.guildId || !state.gateway.hasIntent(GUILD_MESSAGES_INTENT)) return;
  const { message } = stored;
  if (event === 'MESSAGE_DELETE') {
    state.gateway.dispatch(event, { id: message.id, channel_id: message.channel_id, guild_id: stored.guildId });
    return;
  }
  const member = { roles: [], joined_at: '2024-01-15T10:00:00.000000+00:00', deaf: false, mute: false, flags: 0, pending: false };
  state.gateway.dispatch(event, { ...structuredClone(message), guild_id: stored.guildId, member });
}

function interactionFields(state: FakeState, origin: InteractionOrigin, isOriginalCommandResponse: boolean): Partial<APIMessage> {
  const metadata = {
    id: origin.id,
    type: origin.type,
    user: origin.user,
    authorizing_integration_owners: origin.guildId ? { '0': origin.guildId } : {},
    ...(origin.interactedMessageId ? { interacted_message_id: origin.interactedMessageId } : {}),
    ...(origin.originalResponseId ? { original_response_message_id: origin.originalResponseId } : {}),
  };
  return {
    webhook_id: state.applicationId,
    application_id: state.applicationId,
    interaction_metadata: metadata as APIMessage['interaction_metadata'],
    ...(isOriginalCommandResponse && origin.name ? { interaction: { id: origin.id, type: 2, name: origin.name, user: origin.user } } : {}),
  };
}

function toEmbeds(value: unknown): APIEmbed[] {
  return asArray(value).flatMap((e) => (isObject(e) ? [{ type: 'rich', ...(e as APIEmbed) } as APIEmbed] : []));
}

function toComponents(value: unknown): APIMessageTopLevelComponent[] {
  // Stored as sent; validateMessageBody has checked the layout already.
  return structuredClone(asArray(value).filter(isObject)) as unknown as APIMessageTopLevelComponent[];
}

function toAttachments(state: FakeState, files: readonly UploadedFile[]): APIAttachment[] {
  return files.map((f) => {
    const id = state.nextId();
    const url = `https://cdn.discordapp.com/attachments/0/${id}/${encodeURIComponent(f.name)}`;
    return { id, filename: f.name, size: f.size, url, proxy_url: url, content_type: f.contentType };
  });
}
