import type { APIInteraction, APIMessage } from 'discord-api-types/v10';
import { cancelTimer, scheduleTimer, type FakeState } from './fake-state';
import type { InteractionOrigin } from './message-store';
import type { CallbackRecord, HttpDeliveryRecord, InteractionAck, InteractionHandle, ReplyView, WebhookEditRecord } from './types';

/**
 * One dispatched interaction: what the bot answered (callbacks, edits, followups) and the handle
 * tests hold. `changed()` wakes every `reply()` waiting on it.
 */

export interface InteractionRecord {
  readonly id: string;
  readonly token: string;
  readonly type: number;
  readonly payload: APIInteraction;
  readonly origin: InteractionOrigin;
  readonly channelId: string;
  readonly createdAt: number;
  readonly deadlineMs: number;
  /** For component interactions: the message the component is on. */
  readonly sourceMessageId?: string;
  ack?: InteractionAck;
  readonly callbacks: CallbackRecord[];
  readonly edits: WebhookEditRecord[];
  readonly deliveries: HttpDeliveryRecord[];
  readonly followupIds: string[];
  /** The `@original` message: the reply (types 4/5) or the component's message (types 6/7). */
  originalId?: string;
  /** Deferred (type 5) and not yet edited: the first followup replaces the "thinking…" message. */
  loading: boolean;
  acknowledge(ack: InteractionAck): void;
  changed(): void;
}

type ReplyState = { kind: 'visible'; message: APIMessage } | { kind: 'never'; reason: string } | { kind: 'pending' };

export function registerInteraction(
  state: FakeState,
  init: { payload: APIInteraction; origin: InteractionOrigin; channelId: string; deadlineMs: number; sourceMessageId?: string },
): InteractionHandle {
  const listeners = new Set<() => void>();
  let settle: { resolve(ack: InteractionAck): void; reject(error: Error): void } | undefined;
  const acknowledged = new Promise<InteractionAck>((resolve, reject) => (settle = { resolve, reject }));
  // Marked handled so a test that never awaits it does not fail on an unhandled rejection.
  acknowledged.catch(() => undefined);
  const record: InteractionRecord = {
    id: init.payload.id,
    token: init.payload.token,
    type: init.payload.type,
    payload: init.payload,
    origin: init.origin,
    channelId: init.channelId,
    createdAt: state.now(),
    deadlineMs: init.deadlineMs,
    ...(init.sourceMessageId ? { sourceMessageId: init.sourceMessageId } : {}),
    callbacks: [],
    edits: [],
    deliveries: [],
    followupIds: [],
    loading: false,
    acknowledge(ack) {
      record.ack = ack;
      cancelTimer(state, deadline);
      settle?.resolve(ack);
      record.changed();
    },
    changed: () => [...listeners].forEach((listener) => listener()),
  };
  const deadline = scheduleTimer(state, init.deadlineMs + 1, () => {
    if (record.ack) return;
    settle?.reject(new Error(`interaction ${record.id} was not acknowledged within ${init.deadlineMs} ms (Discord answers 10062 after that)`));
    record.changed();
  });
  state.interactions.set(record.id, record);
  state.interactionsByToken.set(record.token, record);

  const current = (id: string | undefined) => (id ? state.messages.get(id)?.message : undefined);
  const handle: InteractionHandle = {
    id: record.id,
    token: record.token,
    type: record.type,
    payload: init.payload,
    acknowledged,
    callbacks: record.callbacks,
    edits: record.edits,
    deliveries: record.deliveries,
    get followups() {
      return record.followupIds.flatMap((id) => {
        const message = current(id);
        return message ? [structuredClone(message)] : [];
      });
    },
    original: () => {
      const message = current(record.originalId);
      return message ? structuredClone(message) : undefined;
    },
    reply: ({ timeoutMs = state.settings.replyTimeoutMs } = {}) =>
      new Promise<ReplyView>((resolve, reject) => {
        const check = () => {
          const outcome = replyState(state, record);
          if (outcome.kind === 'pending') return;
          done();
          if (outcome.kind === 'visible') resolve(toReplyView(outcome.message));
          else reject(new Error(`${outcome.reason}; seen: ${describe(record)}`));
        };
        const timer = scheduleTimer(state, timeoutMs, () => {
          done();
          reject(new Error(`no visible reply to interaction ${record.id} within ${timeoutMs} ms; seen: ${describe(record)}`));
        });
        const done = () => {
          cancelTimer(state, timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      }),
  };
  state.handles.push(handle);
  return handle;
}

function replyState(state: FakeState, record: InteractionRecord): ReplyState {
  const message = (id: string | undefined) => (id ? state.messages.get(id)?.message : undefined);
  const original = message(record.originalId);
  const firstFollowup = message(record.followupIds[0]);
  const ack = record.ack;
  if (!ack) {
    const expired = state.now() > record.createdAt + record.deadlineMs;
    return expired ? { kind: 'never', reason: `interaction ${record.id} was not acknowledged within ${record.deadlineMs} ms` } : { kind: 'pending' };
  }
  switch (ack.type) {
    case 4:
    case 7:
      return original ? { kind: 'visible', message: original } : { kind: 'pending' };
    case 5:
      return original && !record.loading ? { kind: 'visible', message: original } : { kind: 'pending' };
    case 6: {
      const editedOriginal = record.edits.some((e) => e.target === '@original' && e.method === 'PATCH' && e.status === 200);
      if (editedOriginal && original) return { kind: 'visible', message: original };
      return firstFollowup ? { kind: 'visible', message: firstFollowup } : { kind: 'pending' };
    }
    case 8:
      return { kind: 'never', reason: 'the interaction was answered with autocomplete choices (type 8), not a message' };
    case 9:
      return { kind: 'never', reason: 'the interaction was answered with a modal (type 9), not a message' };
    default:
      return { kind: 'never', reason: `the interaction was answered with callback type ${ack.type}, not a message` };
  }
}

function toReplyView(message: APIMessage): ReplyView {
  const copy = structuredClone(message);
  const flags = copy.flags ?? 0;
  return { id: copy.id, content: copy.content, embeds: copy.embeds, components: copy.components ?? [], flags, ephemeral: (flags & 64) !== 0, message: copy };
}

function describe(record: InteractionRecord): string {
  const parts = [
    ...record.callbacks.map((c) => `callback type ${c.type} → ${c.status}${c.errorCode ? ` (${c.errorCode})` : ''}`),
    ...record.edits.map((e) => `${e.method} ${e.target} → ${e.status}${e.errorCode ? ` (${e.errorCode})` : ''}`),
    ...(record.followupIds.length ? [`${record.followupIds.length} followup(s)`] : []),
    ...(record.loading ? ['still "thinking…"'] : []),
    ...record.deliveries.map((d) => `HTTP delivery → ${d.status ?? 'no answer'}${d.failure ? ` (${d.failure})` : ''}`),
  ];
  return parts.length ? parts.join('; ') : 'nothing';
}
