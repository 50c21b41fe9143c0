/**
 * What the core and the adapters record for operators, without knowing how it is exported
 * (the Prometheus adapter in `src/metrics/` implements it). Labels are low-cardinality by
 * construction: route/command names, Kaltura service/action, reasons from closed sets —
 * never a user, guild, meeting or channel id.
 */
export type CommandOutcome = 'ok' | 'refused' | 'user-error' | 'error';

/**
 * `api-error`: Kaltura answered with an exception; `transport-error`: no answer (network,
 * timeout, HTTP error); `bad-response`: an answer that is not what the API documents
 * (non-JSON, wrong shape).
 */
export type KalturaCallOutcome = 'ok' | 'api-error' | 'transport-error' | 'bad-response';

export interface DiscordRateLimit {
  /** discord.js' bucket route with ids replaced, e.g. `/channels/:id/messages`. */
  readonly route: string;
  readonly method: string;
  /** `user`, `global` or `shared`. */
  readonly scope: string;
  readonly global: boolean;
}

export interface MetricsRecorder {
  /** An interaction was deferred or answered, `seconds` after it was received. */
  interactionAcknowledged(route: string, seconds: number): void;
  commandFinished(route: string, outcome: CommandOutcome): void;
  /** One Kaltura API attempt (retries are separate calls). */
  kalturaCall(service: string, action: string, outcome: KalturaCallOutcome, seconds: number): void;
  joinLinkIssued(): void;
  joinLinkRedeemed(): void;
  /** `reason` is a `JoinFailure` (`used`, `expired`, …) or `unavailable`. */
  joinLinkRefused(reason: string): void;
  webhookReceived(): void;
  /** `reason` is the short code the route answers with (`BAD_SIGNATURE`, `BODY_TOO_LARGE`, …). */
  webhookRejected(reason: string): void;
  webhookDuplicate(): void;
  /** A notification send failed and will be tried again. */
  outboxRetry(): void;
  /** A notification was given up on (refused for good, or out of attempts). */
  outboxDeadLetter(): void;
  /** Discord answered 429 to a request the bot made (these count towards Discord's invalid-request ban). */
  discordRateLimited(info: DiscordRateLimit): void;
  /** discord.js held a request back because its bucket was exhausted (normal throttling, no 429). */
  discordRateLimitWait(info: DiscordRateLimit): void;
}

const nothing = (): void => undefined;

/** Records nothing: the default when metrics are off or a test does not care. Stateless, so sharing it is safe. */
export const noopMetrics: MetricsRecorder = Object.freeze({
  interactionAcknowledged: nothing,
  commandFinished: nothing,
  kalturaCall: nothing,
  joinLinkIssued: nothing,
  joinLinkRedeemed: nothing,
  joinLinkRefused: nothing,
  webhookReceived: nothing,
  webhookRejected: nothing,
  webhookDuplicate: nothing,
  outboxRetry: nothing,
  outboxDeadLetter: nothing,
  discordRateLimited: nothing,
  discordRateLimitWait: nothing,
});
