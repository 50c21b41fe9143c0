import { DiscordCheckError, fetchBotIdentity, interactionsEndpointProblem } from '../discord/fetch-bot-identity';
import { CliError, EXIT } from './cli-error';
import type { CliIo } from './cli-io';
import type { InitAnswers } from './init-answers';
import type { Prompter } from './prompter';
import { checkKaltura } from './doctor-kaltura';
import { withSpinner } from './spinner';

interface InitCheckContext {
  readonly io: CliIo;
  readonly prompter: Prompter | undefined;
  readonly say: (line: string) => void;
}

/**
 * Checks the answers against the real services where the network allows: a credential that
 * a service *rejects* stops `init` (the file would not work); a service that cannot be
 * *reached* is a warning, since VPS firewalls and proxies often block set-up machines.
 */
export async function runInitChecks(answers: InitAnswers, ctx: InitCheckContext): Promise<InitAnswers> {
  let result = answers;
  const apiBase = answers.discordApiBaseUrl ?? 'https://discord.com/api';
  try {
    const identity = await withSpinner(ctx.io.stderr, 'Checking the Discord bot token', () => fetchBotIdentity(apiBase, answers.discordToken),
      (id) => `ok, bot ${id.user.username} of application "${id.application.name}" (${id.application.id})`);
    if (answers.applicationId && answers.applicationId !== identity.application.id) {
      throw new CliError(`the bot token belongs to application ${identity.application.id}, not ${answers.applicationId}; fix --application-id or the token`);
    }
    const portal = interactionsEndpointProblem(identity);
    if (portal) throw new CliError(`${portal.detail}\n  fix: ${portal.fix}, then run init again`);
    result = {
      ...result,
      applicationId: identity.application.id,
      ...(result.publicKey || !identity.application.verifyKey ? {} : { publicKey: identity.application.verifyKey }),
    };
  } catch (err) {
    if (!(err instanceof DiscordCheckError)) throw err;
    if (err.kind !== 'unreachable') throw new CliError(err.message, EXIT.failure, { cause: err });
    ctx.say(`warning: ${err.message}; the token was not checked`);
  }
  await checkKalturaAnswers(result, ctx);
  return result;
}

/**
 * Starts and uses a Kaltura session with the answers. Credentials Kaltura rejects stop `init`;
 * an unreachable API, a missing meeting-room permission or KAF are warnings to fix later.
 */
async function checkKalturaAnswers(answers: InitAnswers, ctx: InitCheckContext): Promise<void> {
  const kaltura = {
    partnerId: answers.partnerId,
    ...(answers.adminSecret ? { adminSecret: answers.adminSecret } : {}),
    ...(answers.appToken ? { appToken: { ...answers.appToken, hashType: answers.appToken.hashType as 'SHA256' } } : {}),
    serviceUrl: answers.serviceUrl.replace(/\/+$/, ''),
    kafUrl: (answers.kafUrl ?? `https://${answers.partnerId}.kaf.kaltura.com`).replace(/\/+$/, ''),
    requestTimeout: 15_000,
    search: 'auto' as const,
  };
  const secrets = [answers.discordToken, answers.adminSecret, answers.appToken?.token];
  const results = await withSpinner(ctx.io.stderr, 'Checking the Kaltura credentials', () => checkKaltura(kaltura, secrets),
    (r) => (r.find((c) => c.id === 'kaltura.credentials')?.status === 'ok' ? 'ok' : 'see below'));
  const reachable = results.find((c) => c.id === 'kaltura.service-url')?.status === 'ok';
  const credentials = results.find((c) => c.id === 'kaltura.credentials');
  if (reachable && credentials?.status === 'fail') {
    throw new CliError(`Kaltura rejected the credentials: ${credentials.detail}${credentials.fix ? `\n  fix: ${credentials.fix}` : ''}`);
  }
  for (const c of results.filter((r) => r.status !== 'ok')) {
    ctx.say(`warning: ${c.title}: ${c.detail}${c.fix ? ` (fix: ${c.fix})` : ''}`);
  }
}
