import path from 'node:path';
import { configSchema, envVarFor, schemaNodeAt } from '../config/config-keys';
import type { AppTokenHashType } from '../config/config-types';
import { CliError, EXIT } from './cli-error';
import type { Prompter } from './prompter';
import type { InitialConfig } from './render-initial-config';

export interface InitFlags {
  discordToken?: string;
  applicationId?: string;
  publicKey?: string;
  clientSecret?: string;
  discordApiBaseUrl?: string;
  partnerId?: string;
  adminSecret?: string;
  appTokenId?: string;
  appToken?: string;
  appTokenHashType?: string;
  serviceUrl?: string;
  kafUrl?: string;
  publicUrl?: string;
  listen?: string;
  dataDir?: string;
}

export type InitAnswers = Omit<InitialConfig, 'linkSecret' | 'metricsToken'>;

/** The secrets `init` may take from the environment; the file then references the variable. */
export type SecretAnswer = 'discordToken' | 'adminSecret' | 'appToken' | 'clientSecret';

const HASH_TYPES = ['SHA256', 'SHA512', 'SHA1', 'MD5'] as const;

/** Checks a value against the schema's pattern for a key, with the schema's own hint. */
function patternCheck(segments: string[]): (value: string) => true | string {
  const node = schemaNodeAt(segments, configSchema) as { pattern?: string; 'x-pattern-hint'?: string } | undefined;
  const re = node?.pattern ? new RegExp(node.pattern) : undefined;
  return (value) => (!re || re.test(value.trim()) ? true : `must be ${node?.['x-pattern-hint'] ?? 'valid'}`);
}

const checks = {
  token: patternCheck(['discord', 'token']),
  applicationId: patternCheck(['discord', 'applicationId']),
  clientSecret: patternCheck(['discord', 'clientSecret']),
  url: patternCheck(['http', 'publicUrl']),
  listen: patternCheck(['http', 'listen']),
  partnerId: (v: string) => (/^[1-9][0-9]*$/.test(v.trim()) ? true : 'must be a whole number (KMC → Settings → Integration Settings)'),
  secret: (v: string) => (v.trim().length >= 8 ? true : 'looks too short to be a Kaltura secret'),
};

/**
 * Gathers what `init` needs: flags first, then the matching environment variables, then (only
 * when a prompter is given) questions; without a prompter, everything still missing is listed
 * in one error.
 */
export async function collectInitAnswers(
  flags: InitFlags,
  env: NodeJS.ProcessEnv,
  prompter: Prompter | undefined,
  options: { offline: boolean },
): Promise<InitAnswers> {
  const missing: string[] = [];
  const invalid: string[] = [];
  const fromEnv = (segments: string[]) => env[envVarFor(segments)] || undefined;
  /** Secrets that came from the environment: the file says `${NAME}` instead of the value. */
  const secretRefs: Partial<Record<SecretAnswer, string>> = {};
  const envRef = (name: SecretAnswer, segments: string[], flag: string | undefined) => {
    if (flag === undefined && fromEnv(segments) !== undefined) secretRefs[name] = envVarFor(segments);
  };

  async function get(
    label: string,
    flag: string,
    segments: string[] | undefined,
    given: string | undefined,
    ask: ((p: Prompter) => Promise<string>) | undefined,
    check: (value: string) => true | string,
    fallback?: string,
  ): Promise<string> {
    const value = given ?? (segments ? fromEnv(segments) : undefined);
    if (value !== undefined) {
      const ok = check(value);
      if (ok !== true) invalid.push(`${label} (${flag}): ${ok}`);
      return value.trim();
    }
    if (prompter && ask) return (await ask(prompter)).trim();
    if (fallback !== undefined) return fallback;
    missing.push(`${label}: ${flag}${segments ? ` or ${envVarFor(segments)}` : ''}`);
    return '';
  }

  const discordToken = await get('Discord bot token', '--discord-token', ['discord', 'token'], flags.discordToken,
    (p) => p.password({ message: 'Discord bot token (Developer Portal → Bot → Reset Token):', validate: checks.token }), checks.token);
  const partnerId = await get('Kaltura partner id', '--partner-id', ['kaltura', 'partnerId'], flags.partnerId,
    (p) => p.input({ message: 'Kaltura partner id:', validate: checks.partnerId }), checks.partnerId);

  envRef('discordToken', ['discord', 'token'], flags.discordToken);
  const appTokenGiven = flags.appTokenId ?? fromEnv(['kaltura', 'appToken', 'id']) ?? flags.appToken ?? fromEnv(['kaltura', 'appToken', 'token']);
  const adminGiven = flags.adminSecret ?? fromEnv(['kaltura', 'adminSecret']);
  if (appTokenGiven !== undefined && adminGiven !== undefined) {
    // the same rule as `config validate`: one way to start Kaltura sessions, so it is clear which is used
    invalid.push('Kaltura credentials: give either the admin secret (--admin-secret) or an app token (--app-token-id and --app-token), not both');
  }
  let useAppToken = appTokenGiven !== undefined && adminGiven === undefined;
  if (!appTokenGiven && !adminGiven && prompter) {
    useAppToken = (await prompter.select({ message: 'How should the bot authenticate to Kaltura?', choices: [
      { name: 'Admin secret (all features)', value: 'admin' },
      { name: 'App token (no admin secret stored; see docs/kaltura.md)', value: 'apptoken' },
    ], default: 'admin' })) === 'apptoken';
  }
  let adminSecret: string | undefined;
  let appToken: InitAnswers['appToken'];
  if (useAppToken) {
    const id = await get('Kaltura app token id', '--app-token-id', ['kaltura', 'appToken', 'id'], flags.appTokenId,
      (p) => p.input({ message: 'Kaltura app token id:' }), (v) => (v.trim() ? true : 'is empty'));
    const token = await get('Kaltura app token', '--app-token', ['kaltura', 'appToken', 'token'], flags.appToken,
      (p) => p.password({ message: 'Kaltura app token value:', validate: checks.secret }), checks.secret);
    envRef('appToken', ['kaltura', 'appToken', 'token'], flags.appToken);
    const hashGiven = flags.appTokenHashType ?? fromEnv(['kaltura', 'appToken', 'hashType']);
    const hashType = (hashGiven ?? (prompter
      ? await prompter.select({ message: 'Hash type the app token was created with (its hashType in appToken.add):', choices: HASH_TYPES.map((h) => ({ name: h, value: h })), default: 'SHA256' })
      : 'SHA256')).toUpperCase();
    if (!(HASH_TYPES as readonly string[]).includes(hashType)) invalid.push(`--app-token-hash-type: "${hashGiven}" must be MD5, SHA1, SHA256 or SHA512`);
    appToken = { id, token, hashType: hashType as AppTokenHashType };
  } else {
    adminSecret = await get('Kaltura admin secret', '--admin-secret', ['kaltura', 'adminSecret'], flags.adminSecret,
      (p) => p.password({ message: 'Kaltura admin secret (KMC → Settings → Integration Settings):', validate: checks.secret }), checks.secret);
    envRef('adminSecret', ['kaltura', 'adminSecret'], flags.adminSecret);
  }
  const serviceUrl = await get('Kaltura service URL', '--service-url', ['kaltura', 'serviceUrl'], flags.serviceUrl,
    (p) => p.input({ message: 'Kaltura service URL:', default: 'https://www.kaltura.com', validate: checks.url }), checks.url, 'https://www.kaltura.com');
  const publicUrl = await get('public URL of the bot', '--public-url', ['http', 'publicUrl'], flags.publicUrl,
    (p) => p.input({ message: 'Public HTTPS URL where members and Kaltura reach the bot:', validate: checks.url }), checks.url);
  const listen = await get('listen address', '--listen', ['http', 'listen'], flags.listen,
    (p) => p.input({ message: 'Listen address (host:port):', default: '127.0.0.1:8080', validate: checks.listen }), checks.listen, '127.0.0.1:8080');
  const dataDir = await get('data directory', '--data-dir', undefined, flags.dataDir,
    (p) => p.input({ message: 'Data directory (relative to the config file):', default: './data' }), () => true, './data');

  const applicationId = flags.applicationId ?? fromEnv(['discord', 'applicationId']);
  if (applicationId === undefined && options.offline && !prompter) {
    missing.push(`Discord application id (needed with --offline): --application-id or ${envVarFor(['discord', 'applicationId'])}`);
  }
  if (applicationId !== undefined && checks.applicationId(applicationId) !== true) invalid.push(`application id (--application-id): ${checks.applicationId(applicationId) as string}`);
  // Optional, never asked: the Watch together Activity is off without it (docs/activity.md turns it on later).
  const clientSecret = flags.clientSecret ?? fromEnv(['discord', 'clientSecret']);
  if (clientSecret !== undefined && checks.clientSecret(clientSecret) !== true) invalid.push(`Discord client secret (--client-secret): ${checks.clientSecret(clientSecret) as string}`);
  envRef('clientSecret', ['discord', 'clientSecret'], flags.clientSecret);
  for (const [label, value] of [['--kaf-url', flags.kafUrl], ['--discord-api-base-url', flags.discordApiBaseUrl]] as const) {
    if (value !== undefined && checks.url(value) !== true) invalid.push(`${label}: ${checks.url(value) as string}`);
  }
  if (missing.length > 0 || invalid.length > 0) {
    const lines = [...(missing.length ? ['missing:', ...missing.map((m) => `  ${m}`)] : []), ...(invalid.length ? ['invalid:', ...invalid.map((m) => `  ${m}`)] : [])];
    throw new CliError(`cannot write the configuration:\n${lines.join('\n')}`, EXIT.usage);
  }
  return {
    discordToken,
    applicationId: applicationId ?? '',
    ...(flags.publicKey ? { publicKey: flags.publicKey } : {}),
    ...(clientSecret !== undefined ? { clientSecret: clientSecret.trim() } : {}),
    ...(flags.discordApiBaseUrl ? { discordApiBaseUrl: flags.discordApiBaseUrl } : {}),
    partnerId: Number(partnerId),
    ...(adminSecret !== undefined ? { adminSecret } : {}),
    ...(appToken ? { appToken } : {}),
    serviceUrl,
    ...(flags.kafUrl ? { kafUrl: flags.kafUrl } : {}),
    publicUrl,
    listen,
    storagePath: `${path.posix.join(dataDir.replace(/\\/g, '/'), 'kaltura-discord.db')}`,
    ...(Object.keys(secretRefs).length > 0 ? { secretRefs } : {}),
  };
}

/** The application id, from the answers or (interactive) a question; offline it must be given. */
export async function requireApplicationId(answers: InitAnswers, prompter: Prompter | undefined): Promise<InitAnswers> {
  if (answers.applicationId) return answers;
  if (!prompter) throw new CliError('the application id is needed: pass --application-id (the token was not checked online)', EXIT.usage);
  const id = await prompter.input({ message: 'Discord application id:', validate: checks.applicationId });
  return { ...answers, applicationId: id.trim() };
}
