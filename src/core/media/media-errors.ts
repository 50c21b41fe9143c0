/**
 * The errors of the video library. Messages are safe to show; none carries a token, a KS or an
 * access token. The HTTP layer matches WatchLinkError and ActivityAuthError by `name` and fields.
 */
import { UserError } from '../user-error';

export const unknownMedia = (): UserError => new UserError('media.unknown', 'No such video in this server’s library.');

/** Why a `/v/<token>` link was refused. `gone`: the video left the server's library or is no longer the member's to see. */
export type WatchLinkFailure = 'invalid' | 'expired' | 'used' | 'gone';

export class WatchLinkError extends Error {
  override readonly name = 'WatchLinkError';
  constructor(
    readonly reason: WatchLinkFailure,
    options?: { cause?: unknown },
  ) {
    super(`watch link refused: ${reason}`, options);
  }
}

/** Why the Activity refused to authenticate or to go on; `status` is the HTTP status to answer with. */
export type ActivityAuthFailure =
  | 'activity.disabled'
  | 'activity.bad-code'
  | 'activity.code-refused'
  | 'activity.bad-token'
  | 'activity.token-refused'
  | 'activity.bad-instance'
  | 'activity.unknown-instance'
  | 'activity.not-in-instance'
  | 'activity.not-in-server'
  | 'activity.unknown-server'
  | 'activity.not-member'
  | 'activity.channel-hidden';

const STATUS: Record<ActivityAuthFailure, 400 | 401 | 403 | 404> = {
  'activity.disabled': 404,
  'activity.bad-code': 400,
  'activity.code-refused': 401,
  'activity.bad-token': 400,
  'activity.token-refused': 401,
  'activity.bad-instance': 400,
  'activity.unknown-instance': 404,
  'activity.not-in-instance': 403,
  'activity.not-in-server': 403,
  'activity.unknown-server': 403,
  'activity.not-member': 403,
  'activity.channel-hidden': 403,
};

const MESSAGE: Record<ActivityAuthFailure, string> = {
  'activity.disabled': 'Watch together is not set up on this bot.',
  'activity.bad-code': 'The authorization code is missing or malformed.',
  'activity.code-refused': 'Discord refused the authorization. Close the Activity and open it again.',
  'activity.bad-token': 'The access token is missing or malformed.',
  'activity.token-refused': 'Discord did not accept the access token. Close the Activity and open it again.',
  'activity.bad-instance': 'The Activity instance id is missing or malformed.',
  'activity.unknown-instance': 'This Activity instance does not exist (any more).',
  'activity.not-in-instance': 'You are not a participant of this Activity.',
  'activity.not-in-server': 'Watch together works in a server channel, not in direct messages.',
  'activity.unknown-server': 'This bot does not serve the server or channel of this Activity.',
  'activity.not-member': 'You are not a member of this server.',
  'activity.channel-hidden': 'You cannot see the channel this Activity runs in.',
};

export class ActivityAuthError extends Error {
  override readonly name = 'ActivityAuthError';
  readonly status: 400 | 401 | 403 | 404;
  constructor(
    readonly id: ActivityAuthFailure,
    options?: { cause?: unknown },
  ) {
    super(MESSAGE[id], options);
    this.status = STATUS[id];
  }
}
