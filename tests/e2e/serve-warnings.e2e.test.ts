import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commentedConfig } from '../helpers/config-fixtures';
import { startServe, type ServeProcess } from '../helpers/spawn-serve';
import { useTempDirs } from '../helpers/temp-dir';
import { useFakeServices } from '../helpers/use-fake-services';

describe('serve warns at start about what exposes the bot', () => {
  const tempDir = useTempDirs();
  const fakes = useFakeServices();
  const running: ServeProcess[] = [];
  afterEach(async () => {
    for (const p of running.splice(0)) await p.stop('SIGKILL');
  });

  it('/metrics on every interface without a token, and a plain-http public URL', async () => {
    const cwd = tempDir();
    const text = commentedConfig({ listen: '0.0.0.0:0' })
      .replace('https://bot.example.org', 'http://bot.example.org')
      .replace('discord:\n', `discord:\n  apiBaseUrl: ${fakes.discord.apiBaseUrl}\n`)
      .replace('  serviceUrl: https://www.kaltura.com', `  serviceUrl: ${fakes.kaltura.url}\n  kafUrl: ${fakes.kaltura.kafUrl}`);
    fs.writeFileSync(path.join(cwd, 'kaltura-discord.yaml'), `${text}logging: {format: json}\n`, { mode: 0o600 });
    const serve = await startServe([], { cwd });
    running.push(serve);
    const warnings = serve
      .stderr()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { level: number; msg: string })
      .filter((l) => l.level === 40)
      .map((l) => l.msg);
    expect(warnings).toEqual([
      expect.stringMatching(/^warning: http\.publicUrl uses plain http \(bot\.example\.org\)/),
      'warning: /metrics is served on 0.0.0.0 without a token: anyone who reaches that address can read it; set metrics.token (or metrics.enabled: false)',
    ]); // the fakes on 127.0.0.1 are this machine: no warning for them
    expect(await serve.stop('SIGTERM')).toBe(0);
  });
});
