/**
 * What the core needs from the chat platform to let a member into the "Watch together" Activity:
 * who holds an OAuth access token, which instance they are in, and their roles in that server.
 * Discord's adapter implements it over REST (src/discord/activity-*.ts). Upstream failures
 * (outage, timeout, 5xx) throw an UpstreamError (core/ports/upstream-error.ts), as other
 * adapters do; the `undefined` answers below are Discord's definite "no".
 */
export interface ActivityUser {
  readonly id: string;
  readonly username: string;
  readonly globalName?: string;
  readonly avatar?: string;
}

export interface ActivityInstance {
  readonly instanceId: string;
  readonly guildId?: string;
  readonly channelId?: string;
  /** Who is in the instance right now. */
  readonly userIds: readonly string[];
}

export interface ActivityMember {
  /** Role ids, without the @everyone role. */
  readonly roleIds: readonly string[];
  readonly displayName: string;
  readonly timedOut?: boolean;
}

export interface ActivityPlatform {
  /** POST /oauth2/token (authorization_code; client secret server-side). `undefined` = code refused (invalid_grant). */
  exchangeCode(code: string): Promise<{ readonly accessToken: string; readonly expiresInS: number } | undefined>;
  /** GET /users/@me with Bearer; undefined when Discord refuses the token (401). */
  userOf(accessToken: string): Promise<ActivityUser | undefined>;
  /** GET /applications/{app}/activity-instances/{id} (bot token); undefined on 404. */
  instance(instanceId: string): Promise<ActivityInstance | undefined>;
  /** GET /guilds/{g}/members/{u} (bot token); undefined when not a member (404 10007). */
  member(guildId: string, userId: string): Promise<ActivityMember | undefined>;
}
