import type { CheckResult } from '../core/health-check';
import { DiscordCheckError, fetchBotIdentity, interactionsEndpointProblem, type BotIdentity } from '../discord/fetch-bot-identity';
import type { CliOutput } from './cli-io';
import { checkKaltura } from './doctor-kaltura';
import { createCheckProgress, type StopReason } from './doctor-progress';
import type { InitAnswers } from './init-answers';

export interface InitCheckOptions {
  /** Where the progress lines go (standard error). */
  readonly out: CliOutput;
  /** Per check, from `--timeout`. */
  readonly timeoutMs: number;
  /** Aborts when the operator presses Ctrl-C: the checks are skipped, the answers kept. */
  readonly interrupt?: AbortSignal;
}

export interface InitCheckOutcome {
  /** The answers, completed with what Discord told (application id, public key). */
  readonly answers: InitAnswers;
  /** One result per check, to print. */
  readonly results: readonly CheckResult[];
  /** Problems that make the file not work (a credential a service rejected), each with its message. */
  readonly blocking: readonly string[];
}

const TOKEN = { id: 'discord.token', title: 'Discord bot token' } as const;

function stopped(base: { id: string; title: string }, what: string): (reason: StopReason, seconds: number) => CheckResult {
  return (reason, seconds) => ({
    ...base,
    status: 'warn',
    detail: reason === 'timeout' ? `no answer within ${seconds} s from ${what}; not checked` : 'not checked: skipped with Ctrl-C',
    fix: 'run `kaltura-discord doctor` once this machine can reach it',
  });
}

/**
 * Checks the answers against the real services, in parallel, each bounded by the timeout:
 * a credential a service *rejects* is blocking (the file would not work); a service that cannot
 * be *reached* in time is only "not verified", since VPS firewalls and proxies often block
 * set-up machines. Ctrl-C skips whatever is still running.
 */
export async function runInitChecks(answers: InitAnswers, options: InitCheckOptions): Promise<InitCheckOutcome> {
  const progress = createCheckProgress(options.out, { timeoutMs: options.timeoutMs, ...(options.interrupt && { interrupt: options.interrupt }) });
  const apiBase = answers.discordApiBaseUrl ?? 'https://discord.com/api';
  const blocking: string[] = [];
  let identity: BotIdentity | undefined;
  const discord = progress.run<CheckResult>({
    label: 'the Discord bot token',
    work: async () => {
      try {
        identity = await fetchBotIdentity(apiBase, answers.discordToken, options.timeoutMs);
      } catch (err) {
        if (!(err instanceof DiscordCheckError)) throw err;
        if (err.kind === 'unreachable') return { ...TOKEN, status: 'warn', detail: `${err.message}; the token was not checked`, fix: 'run `kaltura-discord doctor` once this machine can reach Discord' };
        blocking.push(err.message);
        return { ...TOKEN, status: 'fail', detail: err.message };
      }
      const id = identity.application.id;
      if (answers.applicationId && answers.applicationId !== id) {
        const message = `the bot token belongs to application ${id}, not ${answers.applicationId}; fix --application-id or the token`;
        blocking.push(message);
        return { ...TOKEN, status: 'fail', detail: message };
      }
      const portal = interactionsEndpointProblem(identity);
      if (portal) {
        blocking.push(`${portal.detail}\n  fix: ${portal.fix}, then run init again`);
        return { ...TOKEN, status: 'fail', detail: portal.detail, fix: portal.fix };
      }
      return { ...TOKEN, status: 'ok', detail: `bot ${identity.user.username} of application "${identity.application.name}" (${id})` };
    },
    stopped: stopped(TOKEN, apiBase),
  });
  const kaltura = progress.run<readonly CheckResult[]>({
    label: 'the Kaltura credentials',
    work: () => checkKalturaAnswers(answers, options.timeoutMs),
    stopped: (reason, seconds) => [stopped({ id: 'kaltura.credentials', title: 'Kaltura credentials' }, answers.serviceUrl)(reason, seconds)],
  });
  let results: CheckResult[];
  try {
    results = [await discord, ...(await kaltura)];
  } finally {
    progress.done();
  }
  const reachable = results.find((c) => c.id === 'kaltura.service-url')?.status === 'ok';
  const credentials = results.find((c) => c.id === 'kaltura.credentials');
  if (reachable && credentials?.status === 'fail') {
    blocking.push(`Kaltura rejected the credentials: ${credentials.detail}${credentials.fix ? `\n  fix: ${credentials.fix}` : ''}`);
  }
  const learned: InitAnswers = identity && blocking.length === 0
    ? {
        ...answers,
        applicationId: identity.application.id,
        ...(answers.publicKey || !identity.application.verifyKey ? {} : { publicKey: identity.application.verifyKey }),
      }
    : answers;
  return { answers: learned, results, blocking };
}

/** Starts and uses a Kaltura session with the answers (the doctor's Kaltura checks). */
function checkKalturaAnswers(answers: InitAnswers, timeoutMs: number): Promise<CheckResult[]> {
  const kaltura = {
    partnerId: answers.partnerId,
    ...(answers.adminSecret ? { adminSecret: answers.adminSecret } : {}),
    ...(answers.appToken ? { appToken: { ...answers.appToken, hashType: answers.appToken.hashType as 'SHA256' } } : {}),
    serviceUrl: answers.serviceUrl.replace(/\/+$/, ''),
    kafUrl: (answers.kafUrl ?? `https://${answers.partnerId}.kaf.kaltura.com`).replace(/\/+$/, ''),
    requestTimeout: timeoutMs,
    search: 'auto' as const,
  };
  return checkKaltura(kaltura, [answers.discordToken, answers.adminSecret, answers.appToken?.token], timeoutMs);
}
