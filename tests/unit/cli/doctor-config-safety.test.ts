import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkConfig } from '../../../src/cli/doctor-checks';
import { commentedConfig } from '../../helpers/config-fixtures';
import { useTempDirs } from '../../helpers/temp-dir';

describe('doctor: the configuration safety line', () => {
  const tempDir = useTempDirs();

  it('claims only what it checked: a loopback http public URL is not "HTTPS"', () => {
    const file = path.join(tempDir(), 'kaltura-discord.yaml');
    fs.writeFileSync(file, commentedConfig().replace('https://bot.example.org', 'http://127.0.0.1:8080'), { mode: 0o600 });
    const safety = checkConfig(file, {}).results.find((r) => r.id === 'config.safety');
    expect(safety).toMatchObject({ status: 'ok' });
    expect(safety!.detail).not.toMatch(/HTTPS/);
    expect(safety!.detail).toBe('file is private; no plain-http URL beyond this machine; /metrics not open beyond loopback');
  });
});
