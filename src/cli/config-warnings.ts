import fs from 'node:fs';
import type { Config } from '../config/config-types';

/** Things that work but that an operator should fix; printed by `config validate` and `doctor`. */
export function configWarnings(file: string, value: Record<string, unknown>): string[] {
  const warnings: string[] = [];
  try {
    const mode = fs.statSync(file).mode & 0o777;
    // 640 is what `service install` sets (root:<service group>): the service reads, cannot write.
    if (mode & 0o027) warnings.push(`${file} is readable by other users (mode ${mode.toString(8)}); run: chmod 600 ${file} (or 640 with its group the service's own)`);
  } catch {
    // unreadable files were reported already
  }
  const section = (name: string) => (value[name] ?? {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const metrics = section('metrics');
  warnings.push(
    ...exposureWarnings({
      publicUrl: text(section('http').publicUrl),
      discordApiBaseUrl: text(section('discord').apiBaseUrl),
      kalturaServiceUrl: text(section('kaltura').serviceUrl),
      kalturaKafUrl: text(section('kaltura').kafUrl),
      listenHost: hostOfListen(text(section('http').listen) ?? '127.0.0.1:8080'),
      metricsOpen: metrics.enabled !== false && metrics.token === undefined,
    }),
  );
  return warnings;
}

/** The same warnings from a loaded configuration, logged by `serve` at start. */
export function serveWarnings(config: Config): string[] {
  return exposureWarnings({
    publicUrl: config.http.publicUrl,
    discordApiBaseUrl: config.discord.apiBaseUrl,
    kalturaServiceUrl: config.kaltura.serviceUrl,
    kalturaKafUrl: config.kaltura.kafUrl,
    listenHost: config.http.host,
    metricsOpen: config.metrics.enabled && config.metrics.token === undefined,
  });
}

interface Exposure {
  readonly publicUrl?: string;
  readonly discordApiBaseUrl?: string;
  readonly kalturaServiceUrl?: string;
  readonly kalturaKafUrl?: string;
  readonly listenHost: string;
  readonly metricsOpen: boolean;
}

function exposureWarnings(e: Exposure): string[] {
  const warnings: string[] = [];
  const plain: [string, string | undefined, string][] = [
    ['http.publicUrl', e.publicUrl, 'join links (credentials) and webhooks would travel unencrypted; put the bot behind HTTPS'],
    ['discord.apiBaseUrl', e.discordApiBaseUrl, 'the bot token would travel unencrypted; use https'],
    ['kaltura.serviceUrl', e.kalturaServiceUrl, 'the Kaltura secret and every KS would travel unencrypted; use https'],
    ['kaltura.kafUrl', e.kalturaKafUrl, 'members would join over an unencrypted connection; use https'],
  ];
  for (const [key, url, why] of plain) {
    if (url !== undefined && isPlainHttpBeyondLoopback(url)) warnings.push(`${key} uses plain http (${hostOf(url)}): ${why}`);
  }
  if (e.metricsOpen && !isLoopbackHost(e.listenHost)) {
    warnings.push(`/metrics is served on ${e.listenHost} without a token: anyone who reaches that address can read it; set metrics.token (or metrics.enabled: false)`);
  }
  return warnings;
}

/** `http://` to anything but this machine (127.0.0.0/8, ::1, localhost). */
export function isPlainHttpBeyondLoopback(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false; // validation reports it
  }
  return parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname);
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(h) || h === '::1' || h === '::ffff:127.0.0.1';
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function hostOfListen(listen: string): string {
  const i = listen.lastIndexOf(':');
  return i > 0 ? listen.slice(0, i) : listen;
}
