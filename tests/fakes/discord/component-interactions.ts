import type { APIMessageComponentInteractionData } from 'discord-api-types/v10';
import type { FakeState, StoredMessage } from './fake-state';
import { dispatchInteraction, resolveContext } from './interaction-payloads';
import { asArray, isObject, type JsonObject } from './json-value';
import type { ClickButtonOptions, InteractionHandle } from './types';

/**
 * MESSAGE_COMPONENT interactions: a member uses a button or select menu on a message the bot sent.
 * Only components that exist and are enabled can be used, as in the Discord client.
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object-message-component-data-structure
 */

const SELECT_TYPES = new Set([3, 5, 6, 7, 8]);

function sourceMessage(state: FakeState, opts: ClickButtonOptions): StoredMessage {
  let id = opts.messageId;
  if (opts.fromReply) {
    id = state.interactions.get(opts.fromReply.id)?.originalId;
    if (!id) throw new Error(`fake Discord: interaction ${opts.fromReply.id} has no reply to click on`);
  }
  const stored = id ? state.messages.get(id) : undefined;
  if (!stored || stored.deleted) throw new Error(`fake Discord: no message ${id ?? '(give messageId or fromReply)'}`);
  if (opts.channelId !== undefined && stored.channelId !== opts.channelId) {
    throw new Error(`fake Discord: message ${stored.message.id} is in channel ${stored.channelId}, not ${opts.channelId}`);
  }
  return stored;
}

/** Every component with a custom_id, through action rows and Components V2 containers. */
function interactiveComponents(value: unknown): JsonObject[] {
  return asArray(value).flatMap((c) => {
    if (!isObject(c)) return [];
    const nested = [...interactiveComponents(c.components), ...(isObject(c.accessory) ? interactiveComponents([c.accessory]) : [])];
    return typeof c.custom_id === 'string' ? [c, ...nested] : nested;
  });
}

export function useComponent(state: FakeState, opts: ClickButtonOptions, values?: string[]): InteractionHandle {
  const stored = sourceMessage(state, opts);
  const available = interactiveComponents(stored.message.components);
  const component = available.find((c) => c.custom_id === opts.customId);
  if (!component) {
    const ids = available.map((c) => String(c.custom_id)).join(', ') || 'none';
    throw new Error(`fake Discord: message ${stored.message.id} has no component "${opts.customId}" (has: ${ids})`);
  }
  if (component.disabled === true) throw new Error(`fake Discord: component "${opts.customId}" is disabled`);
  const componentType = Number(component.type);
  if (SELECT_TYPES.has(componentType) !== (values !== undefined)) {
    throw new Error(`fake Discord: "${opts.customId}" is a ${componentType === 2 ? 'button (use clickButton)' : 'select menu (use selectMenu)'}`);
  }
  const ctx = resolveContext(state, { ...opts, channelId: stored.channelId, ...(stored.guildId ? { guildId: stored.guildId } : {}) });
  const data = {
    custom_id: opts.customId,
    component_type: componentType,
    ...(values !== undefined ? { values } : {}),
  } as APIMessageComponentInteractionData;
  return dispatchInteraction(state, ctx, opts, {
    type: 3,
    data,
    message: structuredClone(stored.message),
    sourceMessageId: stored.message.id,
  });
}
