import type { Config } from '../config/config-types';

/** Every secret value in the configuration, for scrubbing logs and messages. */
export function secretsOf(config: Config): (string | undefined)[] {
  return [config.discord.token, config.kaltura.adminSecret, config.kaltura.appToken?.token, config.links.secret, config.metrics.token, config.discord.clientSecret];
}
