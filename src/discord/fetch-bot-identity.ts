import { discordHeaders } from './discord-headers';

/** Who a bot token belongs to, as Discord says. */
export interface BotIdentity {
  readonly user: { readonly id: string; readonly username: string };
  readonly application: {
    readonly id: string;
    readonly name: string;
    readonly verifyKey?: string;
    /** The portal's Interactions Endpoint URL; when set, Discord delivers no interactions over the gateway. */
    readonly interactionsEndpointUrl?: string;
  };
}

/** Why a token check did not succeed: `rejected` means Discord answered no; `unreachable` means we could not ask. */
export class DiscordCheckError extends Error {
  override readonly name = 'DiscordCheckError';
  constructor(
    readonly kind: 'rejected' | 'unreachable' | 'unexpected',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

async function getJson(url: string, token: string, timeoutMs: number): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetch(url, { headers: discordHeaders(token), signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000}s` : (cause?.code ?? cause?.message ?? (err as Error).message);
    throw new DiscordCheckError('unreachable', `could not reach Discord at ${new URL(url).origin} (${why})`, { cause: err });
  }
  if (res.status === 401) {
    throw new DiscordCheckError('rejected', 'Discord rejected the bot token (401 Unauthorized). Copy it again from the Developer Portal → Bot → Reset Token.');
  }
  if (res.status === 429) throw new DiscordCheckError('unreachable', 'Discord is rate-limiting this machine (429); try again in a minute');
  if (!res.ok) throw new DiscordCheckError('unexpected', `Discord answered HTTP ${res.status} for ${new URL(url).pathname}`);
  const body: unknown = await res.json().catch(() => undefined);
  if (!body || typeof body !== 'object' || typeof (body as { id?: unknown }).id !== 'string') {
    throw new DiscordCheckError('unexpected', `Discord's answer for ${new URL(url).pathname} was not the expected JSON`);
  }
  return body as Record<string, unknown>;
}

/**
 * Checks a bot token: `GET /users/@me` (the bot user) and `GET /applications/@me` (its
 * application id and public key), so `init` can fill them in and catch a token pasted
 * for the wrong application.
 * @see https://discord.com/developers/docs/resources/user#get-current-user
 * @see https://discord.com/developers/docs/resources/application#get-current-application
 */
export async function fetchBotIdentity(apiBaseUrl: string, token: string, timeoutMs = 10_000): Promise<BotIdentity> {
  const base = `${apiBaseUrl.replace(/\/+$/, '')}/v10`;
  const user = await getJson(`${base}/users/@me`, token, timeoutMs);
  const app = await getJson(`${base}/applications/@me`, token, timeoutMs);
  return {
    user: { id: String(user.id), username: String(user.username ?? '') },
    application: {
      id: String(app.id),
      name: String(app.name ?? ''),
      ...(typeof app.verify_key === 'string' ? { verifyKey: app.verify_key } : {}),
      ...(typeof app.interactions_endpoint_url === 'string' && app.interactions_endpoint_url !== '' ? { interactionsEndpointUrl: app.interactions_endpoint_url } : {}),
    },
  };
}

/**
 * An app receives interactions either over the gateway or as HTTP POSTs to the portal's
 * Interactions Endpoint URL, never both: with a URL set, this gateway bot sees no command at all
 * and every `/kaltura` shows "The application did not respond". `GET /applications/@me` tells.
 * In http mode (`expected` given: `<http.publicUrl>/interactions`) it is the other way round: the
 * portal must hold exactly that URL, or Discord sends the commands elsewhere (or over a gateway
 * this bot does not open).
 * @see https://discord.com/developers/docs/resources/application#application-object
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#receiving-an-interaction
 */
export function interactionsEndpointProblem(identity: BotIdentity, expected?: string): { detail: string; fix: string } | undefined {
  const url = identity.application.interactionsEndpointUrl;
  if (expected !== undefined) {
    if (url === expected) return undefined;
    return {
      detail: url
        ? `the Developer Portal's Interactions Endpoint URL is ${url}, not this bot's ${expected} (discord.mode is http), so Discord sends the commands elsewhere`
        : `the Developer Portal has no Interactions Endpoint URL, so Discord sends the commands over the gateway, which this bot does not open (discord.mode is http)`,
      fix: `in the Developer Portal open your application → General Information, set "Interactions Endpoint URL" to ${expected} and save (Discord tests it first: \`serve\` must be running and reachable there)`,
    };
  }
  if (!url) return undefined;
  return {
    detail: `the Developer Portal has an Interactions Endpoint URL set (${url}), so Discord sends the commands there and this gateway bot receives none`,
    fix: 'in the Developer Portal open your application → General Information, clear "Interactions Endpoint URL" and save',
  };
}

/**
 * In http mode every delivery is verified with `discord.publicKey`: another application's key (or a
 * mistyped one) refuses every interaction with 401, and the portal will not save the URL.
 * @see https://discord.com/developers/docs/resources/application#application-object (verify_key)
 */
export function publicKeyProblem(identity: BotIdentity, publicKey: string | undefined): { detail: string; fix: string } | undefined {
  const portal = identity.application.verifyKey;
  if (!portal || publicKey?.toLowerCase() === portal.toLowerCase()) return undefined;
  return {
    detail: `discord.publicKey is not this application's Public Key, so every interaction Discord sends would be refused as forged`,
    fix: `set it to the Public Key from the Developer Portal (General Information): kaltura-discord config set discord.publicKey ${portal}`,
  };
}
