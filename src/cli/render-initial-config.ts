import { setConfigValueInText } from '../config/edit-config';

export interface InitialConfig {
  readonly discordToken: string;
  readonly applicationId: string;
  readonly publicKey?: string;
  /** OAuth2 client secret: the Watch together Activity (optional). */
  readonly clientSecret?: string;
  readonly discordApiBaseUrl?: string;
  readonly partnerId: number;
  readonly adminSecret?: string;
  readonly appToken?: { id: string; token: string; hashType: string };
  readonly serviceUrl: string;
  readonly kafUrl?: string;
  readonly publicUrl: string;
  readonly listen: string;
  readonly storagePath: string;
  readonly linkSecret: string;
  /** Bearer token for GET /metrics (generated). */
  readonly metricsToken?: string;
  /** Secrets given through the environment: written as `${NAME}` references, not in clear. */
  readonly secretRefs?: Partial<Record<'discordToken' | 'adminSecret' | 'appToken' | 'clientSecret', string>>;
}

const TEMPLATE = `# kaltura-discord configuration, written by \`kaltura-discord init\`.
# Every key is documented in docs/configuration.md and kaltura-discord.example.yaml.
# This file holds secrets: keep it readable by the bot's user only (mode 600).

discord:
  # Bot token (Developer Portal -> Bot). Secret.
  token: ""
  # Application (client) id.
  applicationId: ""

kaltura:
  # Partner id (KMC -> Settings -> Integration Settings).
  partnerId: 0
  # Kaltura API base URL.
  serviceUrl: https://www.kaltura.com

http:
  # Where the HTTP server listens; keep it on loopback behind an HTTPS reverse proxy.
  listen: 127.0.0.1:8080
  # Public HTTPS URL that members' browsers and Kaltura reach.
  publicUrl: https://bot.example.org

links:
  # Signs personal join links. Generated; rotate with \`kaltura-discord config set links.secret -\`. Secret.
  secret: ""
  # How long a join link stays valid.
  ttl: 5m

storage:
  # SQLite file (relative to this file's folder).
  path: ./data/kaltura-discord.db

logging:
  # fatal, error, warn, info, debug, trace or silent.
  level: info

metrics:
  # GET /metrics answers only with \`Authorization: Bearer <token>\`. Generated. Secret.
  token: ""
`;

/** The commented YAML that `init` writes, with the operator's answers filled in. */
export function renderInitialConfig(answers: InitialConfig): string {
  const refs = answers.secretRefs ?? {};
  const secret = (name: keyof typeof refs, value: string) => (refs[name] ? `\${${refs[name]}}` : value);
  const sets: [string[], unknown][] = [
    [['discord', 'token'], secret('discordToken', answers.discordToken)],
    [['discord', 'applicationId'], answers.applicationId],
    ...(answers.publicKey ? [[['discord', 'publicKey'], answers.publicKey] as [string[], unknown]] : []),
    ...(answers.clientSecret ? [[['discord', 'clientSecret'], secret('clientSecret', answers.clientSecret)] as [string[], unknown]] : []),
    ...(answers.discordApiBaseUrl ? [[['discord', 'apiBaseUrl'], answers.discordApiBaseUrl] as [string[], unknown]] : []),
    [['kaltura', 'partnerId'], answers.partnerId],
    ...(answers.adminSecret ? [[['kaltura', 'adminSecret'], secret('adminSecret', answers.adminSecret)] as [string[], unknown]] : []),
    ...(answers.appToken
      ? ([
          [['kaltura', 'appToken', 'id'], answers.appToken.id],
          [['kaltura', 'appToken', 'token'], secret('appToken', answers.appToken.token)],
          [['kaltura', 'appToken', 'hashType'], answers.appToken.hashType],
        ] as [string[], unknown][])
      : []),
    [['kaltura', 'serviceUrl'], answers.serviceUrl],
    ...(answers.kafUrl ? [[['kaltura', 'kafUrl'], answers.kafUrl] as [string[], unknown]] : []),
    [['http', 'listen'], answers.listen],
    [['http', 'publicUrl'], answers.publicUrl],
    [['links', 'secret'], answers.linkSecret],
    [['storage', 'path'], answers.storagePath],
  ];
  const template = answers.metricsToken ? TEMPLATE : TEMPLATE.slice(0, TEMPLATE.indexOf('\nmetrics:') + 1);
  if (answers.metricsToken) sets.push([['metrics', 'token'], answers.metricsToken]);
  return sets.reduce((text, [segments, value]) => setConfigValueInText(text, segments, value), template);
}
