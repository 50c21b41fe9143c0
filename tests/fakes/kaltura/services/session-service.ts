import { optionalNumber, optionalText, requiredText } from '../action-params';
import { apiError } from '../api-error';
import { ERR } from '../error-catalog';
import { DEFAULT_SESSION_DURATION, type FakeState } from '../fake-state';
import { encodeKsV2, type DecodedKs } from '../ks-codec';
import type { Params } from '../request-params';
import { requireKs, type ActionContext, type ServiceDefinition } from '../service-definition';
import { verifyKs } from '../verify-ks';

/** session.start caps the expiry at the partner's maximum (24 h by default); ≤0 also means the maximum. */
function cappedExpiry(requested: number | undefined): number {
  const expiry = requested ?? DEFAULT_SESSION_DURATION;
  return expiry <= 0 || expiry > DEFAULT_SESSION_DURATION ? DEFAULT_SESSION_DURATION : expiry;
}

/**
 * §7.5: the admin secret works for any type, the user secret for type 0 only; anything else,
 * or another partner id, is START_SESSION_ERROR {PID}. The KS is always signed with the admin
 * secret, so locally generated KSs pass the same check.
 */
function start(params: Params, { state }: ActionContext): string {
  const secret = requiredText(params, 'secret');
  const pidText = optionalText(params, 'partnerId') ?? '';
  const type = optionalNumber(params, 'type') ?? 0;
  // Partner::validateSecret: the primary or an enabled additional admin secret, or the user secret for USER sessions
  const secretOk = state.account.adminSecrets.includes(secret) || (secret === state.userSecret && type === 0);
  if (Number(pidText) !== state.partnerId || !secretOk) throw apiError(ERR.START_SESSION_ERROR, pidText);
  return encodeKsV2(state.adminSecret, {
    partnerId: state.partnerId,
    userId: optionalText(params, 'userId') ?? '',
    type,
    expiresAt: state.now() + cappedExpiry(optionalNumber(params, 'expiry')),
    privileges: optionalText(params, 'privileges') ?? '',
  });
}

/** Widget sessions are USER sessions of user "0" with `view:*,widget:1` (§1.6). */
function startWidgetSession(params: Params, { state }: ActionContext): Record<string, unknown> {
  const widgetId = requiredText(params, 'widgetId');
  if (widgetId !== `_${state.partnerId}`) throw apiError(ERR.INVALID_WIDGET_ID, widgetId);
  const ks = encodeKsV2(state.adminSecret, {
    partnerId: state.partnerId,
    userId: '0',
    type: 0,
    expiresAt: state.now() + cappedExpiry(optionalNumber(params, 'expiry')),
    privileges: 'view:*,widget:1',
  });
  return { partnerId: state.partnerId, ks, userId: 0, objectType: 'KalturaStartWidgetSessionResponse' };
}

export function sessionInfo(state: FakeState, ksString: string, ks: DecodedKs): Record<string, unknown> {
  return {
    ks: ksString,
    sessionType: ks.type,
    partnerId: state.partnerId,
    userId: ks.userId,
    expiry: ks.expiresAt,
    privileges: ks.privileges,
    objectType: 'KalturaSessionInfo',
  };
}

function get(params: Params, ctx: ActionContext): Record<string, unknown> {
  const other = optionalText(params, 'session');
  if (other === undefined) return sessionInfo(ctx.state, ctx.ksString ?? '', requireKs(ctx));
  const check = verifyKs(ctx.state, other);
  if (!check.ok) throw check.error;
  return sessionInfo(ctx.state, other, check.ks);
}

function end(_params: Params, ctx: ActionContext): undefined {
  if (ctx.ksString) ctx.state.revokedKs.add(ctx.ksString);
  return undefined;
}

export const sessionService: ServiceDefinition = {
  id: 'session',
  actions: [
    { name: 'start', auth: 'none', run: start },
    { name: 'startWidgetSession', auth: 'none', run: startWidgetSession },
    { name: 'get', auth: 'ks', run: get },
    { name: 'end', auth: 'ks', run: end },
  ],
};
