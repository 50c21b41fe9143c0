import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { FakeKaltura, RecordedRequest } from '../../fakes/kaltura/index';
import { commentedConfig, GOOD } from '../../helpers/config-fixtures';
import { runCli, type CliRun } from '../../helpers/run-cli';

export const TEMPLATE_SERVICE = 'eventnotification_eventnotificationtemplate';
export const APP_TOKEN = { id: '0_tok123', token: 'apptoken-value-123456', hashType: 'SHA256' } as const;
const WRITES = new Set(['clone', 'update', 'updatestatus', 'delete', 'add']);

export interface ConfigOptions {
  readonly kaltura: FakeKaltura;
  readonly discordApiBaseUrl?: string;
  readonly publicUrl?: string;
  readonly webhooksEnabled?: boolean;
  readonly appToken?: boolean;
}

/** The operator's config file, pointed at the fakes; returns the folder to run the CLI in. */
export function writeConfig(cwd: string, o: ConfigOptions): string {
  let text = commentedConfig()
    .replace('  serviceUrl: https://www.kaltura.com', `  serviceUrl: ${o.kaltura.url}\n  kafUrl: ${o.kaltura.kafUrl}`)
    .replace('publicUrl: https://bot.example.org', `publicUrl: ${o.publicUrl ?? 'https://bot.example.org'}`);
  if (o.discordApiBaseUrl) text = text.replace('discord:\n', `discord:\n  apiBaseUrl: ${o.discordApiBaseUrl}\n`);
  if (o.appToken) text = text.replace(`  adminSecret: ${GOOD.adminSecret}\n`, `  appToken:\n    id: ${APP_TOKEN.id}\n    token: ${APP_TOKEN.token}\n    hashType: ${APP_TOKEN.hashType}\n`);
  if (o.webhooksEnabled !== undefined) text += `\nwebhooks:\n  enabled: ${o.webhooksEnabled}\n`;
  fs.writeFileSync(path.join(cwd, 'kaltura-discord.yaml'), text, { mode: 0o600 });
  return cwd;
}

/** Runs the CLI and asserts that nothing secret reached the terminal. */
export async function cli(args: string[], cwd: string): Promise<CliRun> {
  const r = await runCli(args, { cwd });
  const all = r.stdout + r.stderr;
  for (const s of [GOOD.token, GOOD.adminSecret, GOOD.linkSecret, APP_TOKEN.token, 'djJ8']) expect(all).not.toContain(s);
  return r;
}

export const templateCalls = (fake: FakeKaltura, from = 0): RecordedRequest[] => fake.requests.slice(from).filter((r) => r.service === TEMPLATE_SERVICE);
export const templateWrites = (fake: FakeKaltura, from = 0): RecordedRequest[] => templateCalls(fake, from).filter((r) => WRITES.has(r.action.toLowerCase()));

/** Our templates in the fake's store (not deleted). */
export function ourTemplates(fake: FakeKaltura): any[] {
  return [...fake.store.templates.values()].filter((t) => String(t.systemName).startsWith('kaltura_discord_') && t.status !== 3);
}
