/**
 * Discord → our server sign-in (discord-api.md §7.3): ready → authorize (code) → POST api/token →
 * authenticate → POST api/session. Every step is bounded, and every failure becomes a sentence a
 * member can act on. No DOM here (unit-tested under node with a fake SDK and a fake fetch).
 */
import { ApiError, type Api, type SessionInfo } from './api-client.js';
import { withTimeout } from './with-timeout.js';

/** The parts of DiscordSDK (and DiscordSDKMock) this flow uses. */
export interface SdkLike {
  readonly instanceId: string;
  ready(): Promise<void>;
  readonly commands: {
    authorize(args: { client_id: string; response_type: 'code'; state: string; prompt: 'none'; scope: 'identify'[] }): Promise<{ code: string }>;
    authenticate(args: { access_token: string }): Promise<unknown>;
  };
}

/** Why the Activity could not start, in words for the member (shown as plain text). */
export class StartError extends Error {
  override readonly name = 'StartError';
  constructor(
    readonly reason: 'not-in-discord' | 'refused' | 'server' | 'forbidden',
    message: string,
  ) {
    super(message);
  }
}

export interface OpenSessionOptions {
  readonly sdk: SdkLike;
  readonly api: Api;
  readonly clientId: string;
  /** ready() never resolves outside Discord (no parent frame answers): give up after this. */
  readonly readyTimeoutMs?: number;
  /** authorize may show Discord's consent dialog; a member gets this long to answer it. */
  readonly authorizeTimeoutMs?: number;
  /** authenticate is answered by the Discord client itself. */
  readonly rpcTimeoutMs?: number;
}

const NOT_IN_DISCORD = 'Discord did not answer. This page only works inside Discord: start it with “Watch together” or from the App Launcher.';

function serverError(err: unknown, step: string): StartError {
  if (err instanceof StartError) return err;
  if (err instanceof ApiError) {
    if (err.status === 403) return new StartError('forbidden', err.message);
    if (err.status === 401 || err.status === 404) return new StartError('refused', err.message);
    return new StartError('server', `${step} failed: ${err.message}`);
  }
  return new StartError('server', `${step} failed.`);
}

export async function openSession(o: OpenSessionOptions): Promise<SessionInfo> {
  await withTimeout(o.sdk.ready(), o.readyTimeoutMs ?? 10_000, () => new StartError('not-in-discord', NOT_IN_DISCORD));
  let code: string;
  try {
    ({ code } = await withTimeout(
      o.sdk.commands.authorize({ client_id: o.clientId, response_type: 'code', state: '', prompt: 'none', scope: ['identify'] }),
      o.authorizeTimeoutMs ?? 120_000,
      () => new StartError('refused', 'Discord did not finish signing you in. Close the Activity and start it again.'),
    ));
  } catch (err) {
    if (err instanceof StartError) throw err;
    throw new StartError('refused', 'You did not allow the Activity to know who you are (Discord’s “Authorize”), so it cannot show this server’s videos.');
  }
  let accessToken: string;
  try {
    accessToken = (await o.api.token(code)).access_token;
  } catch (err) {
    throw serverError(err, 'Signing in');
  }
  try {
    await withTimeout(o.sdk.commands.authenticate({ access_token: accessToken }), o.rpcTimeoutMs ?? 15_000, () => new StartError('not-in-discord', NOT_IN_DISCORD));
  } catch (err) {
    if (err instanceof StartError) throw err;
    throw new StartError('refused', 'Discord refused the sign-in. Close the Activity and start it again.');
  }
  try {
    const info = await o.api.session(accessToken, o.sdk.instanceId);
    o.api.setSession(info.session);
    return info;
  } catch (err) {
    throw serverError(err, 'Joining this Activity');
  }
}
