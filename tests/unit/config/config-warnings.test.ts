import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configWarnings, serveWarnings } from '../../../src/cli/config-warnings';
import { loadConfig } from '../../../src/config/load-config';
import { commentedConfig } from '../../helpers/config-fixtures';
import { useTempDirs } from '../../helpers/temp-dir';

describe('config warnings: plain http beyond this machine, and /metrics open to the network', () => {
  const tempDir = useTempDirs();
  function write(edit: (text: string) => string): string {
    const file = path.join(tempDir(), 'kaltura-discord.yaml');
    fs.writeFileSync(file, edit(commentedConfig()), { mode: 0o600 });
    return file;
  }
  const warningsOf = (file: string) => {
    const fromFile = configWarnings(file, parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>);
    const fromServe = serveWarnings(loadConfig(file, {}));
    expect(fromServe).toEqual(fromFile); // `config validate`, `doctor` and `serve` say the same
    return fromFile;
  };

  it('says nothing for the defaults (loopback listen, https everywhere)', () => {
    expect(warningsOf(write((t) => t))).toEqual([]);
  });

  it('warns for each http:// URL that leaves the machine, naming the key and what would travel in clear', () => {
    const file = write((t) =>
      t
        .replace('https://bot.example.org', 'http://bot.example.org')
        .replace('  serviceUrl: https://www.kaltura.com', '  serviceUrl: http://kaltura.internal\n  kafUrl: http://127.0.0.1:9000/kaf')
        .replace('discord:\n', 'discord:\n  apiBaseUrl: http://discord-proxy.lan/api\n'),
    );
    const warnings = warningsOf(file);
    expect(warnings).toEqual([
      expect.stringMatching(/^http\.publicUrl uses plain http \(bot\.example\.org\): join links/),
      expect.stringMatching(/^discord\.apiBaseUrl uses plain http \(discord-proxy\.lan\): the bot token/),
      expect.stringMatching(/^kaltura\.serviceUrl uses plain http \(kaltura\.internal\): the Kaltura secret/),
    ]); // kafUrl on 127.0.0.1 is this machine: no warning
  });

  it('warns when /metrics listens beyond loopback without a token, not when it has one or is off', () => {
    expect(warningsOf(write((t) => t.replace('listen: 127.0.0.1:8080', 'listen: 0.0.0.0:8080')))).toEqual([
      '/metrics is served on 0.0.0.0 without a token: anyone who reaches that address can read it; set metrics.token (or metrics.enabled: false)',
    ]);
    expect(warningsOf(write((t) => `${t.replace('listen: 127.0.0.1:8080', 'listen: 0.0.0.0:8080')}metrics:\n  token: a-long-metrics-token-0123456789\n`))).toEqual([]);
    expect(warningsOf(write((t) => `${t.replace('listen: 127.0.0.1:8080', 'listen: "[::]:8080"')}metrics:\n  enabled: false\n`))).toEqual([]);
    expect(warningsOf(write((t) => t.replace('listen: 127.0.0.1:8080', 'listen: "[::1]:8080"')))).toEqual([]);
  });
});
