import type { Config } from '../config/config-types';
import { CliError, EXIT } from './cli-error';

/** Where the bot receives Kaltura webhooks (the route the HTTP layer mounts). */
export const WEBHOOK_PATH = '/webhooks/kaltura';

export function defaultWebhookUrl(config: Config): string {
  return `${config.http.publicUrl.replace(/\/+$/, '')}${WEBHOOK_PATH}`;
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * The URL Kaltura should call: `--url` if given, else `<http.publicUrl>/webhooks/kaltura`.
 * Plain http is refused unless it is loopback (local testing): notifications carry entry data,
 * and a signature sent in the clear can be replayed by whoever sees it.
 */
export function resolveWebhookUrl(config: Config, override: string | undefined): string {
  const url = override ?? defaultWebhookUrl(config);
  const from = override !== undefined ? '--url' : 'http.publicUrl';
  if (!URL.canParse(url)) throw new CliError(`${from} gives "${url}", which is not an absolute URL`, EXIT.usage);
  const parsed = new URL(url);
  if (parsed.protocol === 'https:') return parsed.href;
  if (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname)) return parsed.href;
  throw new CliError(
    `refusing to point Kaltura webhooks at ${parsed.href}: ${from} must use https:// (plain http is accepted only for loopback addresses, for local testing). ` +
      'Put the bot behind an HTTPS reverse proxy and set http.publicUrl to its https:// address, e.g. `kaltura-discord config set http.publicUrl https://bot.example.org`.',
    override !== undefined ? EXIT.usage : EXIT.config,
  );
}
