/**
 * An in-test ChannelSender that behaves like Discord with `enforce_nonce`: a repeated nonce
 * returns the message already posted instead of posting again. It records every attempt,
 * and can be told to fail chosen sends (retryable or not), to "crash" after accepting a
 * message, or to hold sends until released.
 */
import type { ChannelSender, OutgoingMessage } from '../../../src/core/ports/channel-sender';
import { FakeDiscordError } from '../meetings/harness';

export interface PostedMessage {
  readonly id: string;
  readonly channelId: string;
  readonly message: OutgoingMessage;
  readonly nonce: string;
}

interface FailureRule {
  readonly match: (channelId: string, message: OutgoingMessage) => boolean;
  remaining: number;
  readonly retryable: boolean;
  readonly reason: string;
}

export interface TestSender extends ChannelSender {
  /** What the channels show: one entry per message actually posted. */
  readonly posted: PostedMessage[];
  /** Every call, including failed and repeated ones. */
  readonly attempts: { channelId: string; nonce: string; content: string }[];
  /** The next `times` sends matching `match` fail before reaching "Discord". */
  fail(times: number, options: { retryable: boolean; reason?: string; match?: (channelId: string, message: OutgoingMessage) => boolean }): void;
  /** The next `times` sends are posted, then throw as if the process died before hearing back. */
  crashAfterAccept: number;
  /** The next `times` sends are posted and then never answer. */
  hangAfterAccept: number;
  /** While set, sends to these channels wait until `release()`. */
  hold(channelId: string): void;
  release(channelId: string): void;
  contents(channelId?: string): string[];
}

export function createTestSender(): TestSender {
  const byNonce = new Map<string, PostedMessage>();
  const rules: FailureRule[] = [];
  const held = new Map<string, { promise: Promise<void>; resolve: () => void }>();
  let nextId = 1_000;
  const sender: TestSender = {
    posted: [],
    attempts: [],
    crashAfterAccept: 0,
    hangAfterAccept: 0,
    fail(times, options) {
      rules.push({ match: options.match ?? (() => true), remaining: times, retryable: options.retryable, reason: options.reason ?? (options.retryable ? 'Service Unavailable' : 'Missing Access') });
    },
    hold(channelId) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      held.set(channelId, { promise, resolve });
    },
    release(channelId) {
      held.get(channelId)?.resolve();
      held.delete(channelId);
    },
    contents: (channelId) => sender.posted.filter((p) => channelId === undefined || p.channelId === channelId).map((p) => p.message.content),
    async send(channelId, message, nonce) {
      sender.attempts.push({ channelId, nonce, content: message.content });
      expect25(nonce);
      const gate = held.get(channelId);
      if (gate) await gate.promise;
      const rule = rules.find((r) => r.remaining > 0 && r.match(channelId, message));
      if (rule) {
        rule.remaining--;
        throw new FakeDiscordError(rule.retryable, rule.reason);
      }
      let posted = byNonce.get(nonce);
      if (!posted) {
        posted = { id: `${++nextId}000000000000000`, channelId, message, nonce };
        byNonce.set(nonce, posted);
        sender.posted.push(posted);
      }
      if (sender.crashAfterAccept > 0) {
        sender.crashAfterAccept--;
        throw new Error('the process died before hearing back from Discord');
      }
      if (sender.hangAfterAccept > 0) {
        sender.hangAfterAccept--;
        return new Promise<string>(() => undefined);
      }
      return posted.id;
    },
  };
  return sender;
}

function expect25(nonce: string): void {
  if (nonce.length < 1 || nonce.length > 25) throw new Error(`nonce must be 1..25 characters, got ${nonce.length}`);
}

/** Polls `check` (sync or async) until it holds (bounded), so tests never assert on timing. */
export async function until(check: () => boolean | Promise<boolean>, what = 'condition', timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}
