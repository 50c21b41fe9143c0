/**
 * The port the HTTP layer uses to accept push notifications from the video platform.
 * It verifies the signature over the raw bytes, then parses the body into a typed event.
 * Failures are `WebhookError`s whose `code` says what was wrong and `status` what to answer.
 */
export interface WebhookRequest {
  /** The exact request bytes; the signature covers them. */
  readonly rawBody: Uint8Array;
  /** Header names in any case. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
}

export interface WebhookEntry {
  readonly id: string;
  readonly name?: string;
  /** Kaltura entry status; 2 is READY. */
  readonly status?: number;
  readonly durationSeconds?: number;
  readonly ownerId?: string;
  readonly categoryIds?: readonly number[];
  /**
   * Kaltura's read-only `rootEntryId` (the entry's own id when it has no root). A recording made
   * from a meeting's template has the template here; absent in the DataFields form shape.
   */
  readonly rootEntryId?: string;
  /** The template the entry was created from (insert-only: anyone adding an entry may set it). */
  readonly templateEntryId?: string;
}

export interface WebhookScheduleEvent {
  readonly id: number;
  /** Kaltura schedule event status: 1 cancelled, 2 active, 3 deleted. */
  readonly status?: number;
  readonly startsAt?: Date;
  readonly endsAt?: Date;
  readonly referenceId?: string;
}

interface WebhookEventBase {
  /** Stable per notification job; use it to drop redeliveries. Absent in form variants. */
  readonly jobId?: string;
  readonly templateId?: number;
  readonly templateSystemName?: string;
}

export type WebhookEvent =
  | (WebhookEventBase & { readonly kind: 'entry.ready'; readonly entry: WebhookEntry })
  | (WebhookEventBase & { readonly kind: 'entry.added'; readonly entry: WebhookEntry })
  | (WebhookEventBase & { readonly kind: 'schedule-event.changed'; readonly event: WebhookScheduleEvent })
  | (WebhookEventBase & {
      readonly kind: 'unknown';
      readonly eventType?: number;
      readonly eventObjectType?: string;
      readonly objectType?: string;
    });

export type WebhookErrorCode =
  | 'MISSING_SIGNATURE'
  | 'BAD_SIGNATURE'
  | 'UNSUPPORTED_ALGO'
  | 'MALFORMED_BODY'
  | 'MISSING_FIELDS'
  /** Verification needs the admin secret, which is not configured (app-token mode). */
  | 'WEBHOOKS_UNAVAILABLE';

const statusByCode: Record<WebhookErrorCode, number> = {
  MISSING_SIGNATURE: 401,
  BAD_SIGNATURE: 401,
  UNSUPPORTED_ALGO: 400,
  MALFORMED_BODY: 400,
  MISSING_FIELDS: 400,
  WEBHOOKS_UNAVAILABLE: 503,
};

export class WebhookError extends Error {
  override readonly name = 'WebhookError';
  /** The HTTP status to answer with. */
  readonly status: number;
  constructor(
    readonly code: WebhookErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.status = statusByCode[code];
  }
}

export interface WebhookVerifier {
  /** False when signatures cannot be checked (no admin secret); `receive` then always throws. */
  readonly available: boolean;
  receive(request: WebhookRequest): WebhookEvent;
}
