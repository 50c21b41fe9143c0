/**
 * The typed error of the webhook-template adapter: what went wrong and what the operator
 * should do about it (`fix`), in plain words. Messages come from already-redacted adapter
 * errors, so they carry no secret or KS. Pure: no `kaltura-client` import.
 */
import { UpstreamError } from '../core/ports/upstream-error';
import { KalturaAPIError, KalturaCapabilityError, KalturaClosedError, KalturaResponseError, KalturaTransportError } from './errors';

export type TemplateErrorReason =
  /** App-token mode: Kaltura signs webhooks with the admin secret, so they could not be verified. */
  | 'no-admin-secret'
  /** The account may not use event notifications (or this action). */
  | 'forbidden'
  /** The session was refused (wrong secret or partner id). */
  | 'credentials'
  /** No usable HTTP answer from the Kaltura API. */
  | 'unreachable'
  /** The server offers no system template to clone for a required bot template. */
  | 'no-system-template'
  /** Another ACTIVE template of the partner already uses our systemName. */
  | 'duplicate-system-name'
  /** Any other refusal by Kaltura. */
  | 'rejected';

export class NotificationTemplateError extends UpstreamError {
  override readonly name = 'NotificationTemplateError';
  readonly upstream = 'kaltura';
  constructor(
    readonly reason: TemplateErrorReason,
    message: string,
    /** What to do, as one sentence or two. */
    readonly fix: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const FORBIDDEN = new Set(['SERVICE_FORBIDDEN', 'SERVICE_DOES_NOT_EXISTS', 'FEATURE_FORBIDDEN', 'ACTION_DOES_NOT_EXISTS', 'PERMISSION_NOT_FOUND']);
const CREDENTIALS = new Set(['INVALID_KS', 'MISSING_KS', 'EXPIRED_KS', 'START_SESSION_ERROR', 'INVALID_PARTNER_ID']);

/** Turns whatever a template call threw into a `NotificationTemplateError` with a fix. */
export function toTemplateError(err: unknown, partnerId: number): NotificationTemplateError {
  if (err instanceof NotificationTemplateError) return err;
  if (err instanceof KalturaAPIError) {
    const what = `Kaltura refused eventNotificationTemplate.${err.action}: ${err.code}`;
    if (FORBIDDEN.has(err.code)) {
      return new NotificationTemplateError(
        'forbidden',
        `${what}: the account does not allow event notifications`,
        `Ask Kaltura (your account manager or vpaas@kaltura.com) to enable HTTP event notifications (the event notification plugin) for partner ${partnerId}.`,
        false,
        { cause: err },
      );
    }
    if (CREDENTIALS.has(err.code)) {
      return new NotificationTemplateError(
        'credentials',
        `${what}: the admin session was not accepted`,
        'Check kaltura.partnerId and kaltura.adminSecret (KMC > Settings > Integration Settings); `kaltura-discord doctor` checks them.',
        false,
        { cause: err },
      );
    }
    if (err.code === 'EVENT_NOTIFICATION_TEMPLATE_DUPLICATE_SYSTEM_NAME') {
      return new NotificationTemplateError(
        'duplicate-system-name',
        `${what}: another active template of partner ${partnerId} already uses this systemName`,
        'Another bot or tool manages a template with the same systemName. Disable or rename that template in KMC (Settings > Integration Settings > Event Notifications), then run setup again.',
        false,
        { cause: err },
      );
    }
    return new NotificationTemplateError('rejected', `${what}: ${err.message.replace(/^[\w.]+: \w+: /, '')}`, 'Run `kaltura-discord doctor`; if the Kaltura checks pass, report this with the message above.', false, { cause: err });
  }
  if (err instanceof KalturaTransportError || err instanceof KalturaResponseError) {
    return new NotificationTemplateError(
      'unreachable',
      `The Kaltura API did not answer usefully: ${err.message}`,
      'Check kaltura.serviceUrl and that this machine can reach it (`kaltura-discord doctor` says more); try again later if Kaltura is down.',
      err.retryable,
      { cause: err },
    );
  }
  if (err instanceof KalturaCapabilityError || err instanceof KalturaClosedError) {
    return new NotificationTemplateError('rejected', err.message, 'Run `kaltura-discord doctor`.', false, { cause: err });
  }
  throw err; // a bug, not an upstream failure: let it surface as such
}

/** The plain statement for app-token mode, shared by the CLI and the doctor. */
export const NO_ADMIN_SECRET_MESSAGE =
  'Kaltura webhooks need kaltura.adminSecret: Kaltura signs every notification with the admin secret, and with an app token the bot cannot verify them (see docs/kaltura.md, "Credentials")';
export const NO_ADMIN_SECRET_FIX =
  'Configure kaltura.adminSecret (KMC > Settings > Integration Settings) instead of kaltura.appToken, or set webhooks.enabled: false and rely on the recording poller.';
