/**
 * Is the configured admin secret the partner's **primary** one? Kaltura accepts KSs signed
 * with any enabled admin secret (kSessionBase::getAdminSecrets), but signs every HTTP
 * notification with the primary one only (kaltura/server HttpNotificationTemplate::getJobData,
 * `$partner->getAdminSecret()`). With a secondary secret the bot works, and every webhook is
 * refused as BAD_SIGNATURE. `partner.getInfo` (allowed to partner admins: INTEGRATION_BASE,
 * ADMIN_BASE, ACCOUNT_BASE) returns the partner with `adminSecret`, the primary, readable with
 * INTEGRATION_BASE (deployment/permissions/object.KalturaPartner.ini) unless the partner hides
 * its secrets (KalturaPartner::doFromObject). The answer is compared in constant time and never
 * kept, logged or shown.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { CheckResult } from '../core/health-check';
import { KalturaAPIError } from './errors';
import type { KalturaContext } from './kaltura-context';
import { asRecord } from './parse';

export const WEBHOOK_SECRET_CHECK_ID = 'kaltura.webhooks';
const TITLE = 'Kaltura webhook verification';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** `true`/`false`: primary or not; `undefined`: Kaltura did not show the primary secret. */
export async function isPrimaryAdminSecret(ctx: KalturaContext, configured: string): Promise<boolean | undefined> {
  return ctx.call({
    service: 'partner',
    action: 'getInfo',
    kind: 'read',
    build: (s) => s.partner.getInfo(),
    parse: (raw) => {
      const primary = asRecord(raw, 'partner')['adminSecret'];
      if (typeof primary !== 'string' || primary === '') return undefined;
      ctx.redact.remember(primary); // belt and braces: it must never reach a message
      return timingSafeEqual(digest(primary), digest(configured));
    },
  });
}

const UNVERIFIED_FIX =
  'Make sure kaltura.adminSecret is the Administrator Secret that KMC > Settings > Integration Settings shows (the primary one): ' +
  'Kaltura signs webhooks with the primary secret only, so with an additional (secondary) secret every webhook is refused. ' +
  'Once webhooks are set up, a recording announced through a webhook proves it.';

/** The webhook-verification check: capability in app-token mode, primary-secret comparison in admin-secret mode. */
export async function checkWebhookSecret(ctx: KalturaContext, sessionWorks: boolean): Promise<CheckResult> {
  const base = { id: WEBHOOK_SECRET_CHECK_ID, title: TITLE };
  const secret = ctx.config.adminSecret;
  if (!secret) {
    return {
      ...base,
      status: 'warn',
      detail: 'With an app token there is no admin secret, so Kaltura webhook signatures cannot be verified; webhooks are refused',
      fix: 'To get "recording ready" notifications, configure kaltura.adminSecret; otherwise recordings are found by asking Kaltura.',
    };
  }
  if (!sessionWorks) return { ...base, status: 'warn', detail: 'Not checked: no working Kaltura session', fix: 'Fix the "Kaltura credentials" check first.' };
  const pid = ctx.config.partnerId;
  try {
    const primary = await isPrimaryAdminSecret(ctx, secret);
    if (primary === true) return { ...base, status: 'ok', detail: `The admin secret is partner ${pid}'s primary one, which Kaltura signs webhooks with` };
    if (primary === false) {
      return {
        ...base,
        status: 'fail',
        detail:
          `The configured admin secret is accepted for sessions, but it is not partner ${pid}'s primary admin secret. ` +
          'Kaltura signs every webhook with the primary secret only, so each one would be refused (BAD_SIGNATURE).',
        fix:
          'Put the primary Administrator Secret (KMC > Settings > Integration Settings) into kaltura.adminSecret ' +
          '(`kaltura-discord config set kaltura.adminSecret -`), or ask Kaltura to make the configured secret the primary one.',
      };
    }
    return { ...base, status: 'warn', detail: `Not verified: Kaltura does not show partner ${pid}'s primary admin secret to this session (the account hides its secrets)`, fix: UNVERIFIED_FIX };
  } catch (err) {
    const why = err instanceof KalturaAPIError ? `partner.getInfo answered ${err.code}` : 'partner.getInfo did not answer';
    return { ...base, status: 'warn', detail: `Not verified: ${why}, so the secret could not be compared with the primary one`, fix: UNVERIFIED_FIX };
  }
}
