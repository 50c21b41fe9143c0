import type { Config } from '../config/config-types';
import { storageUrlPassword } from '../store/redact-storage-url';

/** Every secret value in the configuration, for scrubbing logs and messages. */
export function secretsOf(config: Config): (string | undefined)[] {
  return [
    config.discord.token,
    config.kaltura.adminSecret,
    config.kaltura.appToken?.token,
    config.links.secret,
    config.metrics.token,
    config.discord.clientSecret,
    // The whole URL, and its password alone (a driver message may quote either).
    config.storage.url,
    storageUrlPassword(config.storage.url),
  ];
}
