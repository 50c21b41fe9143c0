import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/cli-error';
import { commentedConfig } from '../helpers/config-fixtures';
import { BUNDLE } from '../helpers/spawn-serve';
import { useTempDirs } from '../helpers/temp-dir';
import { useFakeServices } from '../helpers/use-fake-services';

/**
 * An error escaping every handler, in the real process: a preloaded script (standing for a bug in
 * any library) throws or rejects once `serve` runs. Nothing in the product is there for the test.
 */
describe('a crash of the running serve process', () => {
  const tempDir = useTempDirs();
  const fakes = useFakeServices();

  for (const kind of ['unhandled promise rejection', 'uncaught exception'] as const) {
    it(`${kind}: one clear log line, the database checkpointed, exit ${EXIT.crashed}`, async () => {
      const cwd = tempDir();
      const text = commentedConfig({ listen: '127.0.0.1:0' })
        .replace('discord:\n', `discord:\n  apiBaseUrl: ${fakes.discord.apiBaseUrl}\n`)
        .replace('  serviceUrl: https://www.kaltura.com', `  serviceUrl: ${fakes.kaltura.url}\n  kafUrl: ${fakes.kaltura.kafUrl}`);
      fs.writeFileSync(path.join(cwd, 'kaltura-discord.yaml'), `${text}logging: {format: json}\n`, { mode: 0o600 });
      const bug = kind === 'uncaught exception' ? `throw new Error('library bug: boom')` : `Promise.reject(new Error('library bug: boom'))`;
      const preload = path.join(cwd, 'bug.cjs');
      // after "listening on": the crash comes while serve is running
      // (the logger writes standard error with fs.writeSync)
      fs.writeFileSync(preload, `const fs = require('node:fs'); const w = fs.writeSync; let armed = false;
fs.writeSync = function (fd, c, ...a) { if (!armed && fd === 2 && String(c).includes('listening on')) { armed = true; setTimeout(() => { ${bug}; }, 300); } return w.call(this, fd, c, ...a); };\n`);
      const child = spawn(process.execPath, ['--require', preload, BUNDLE, 'serve'], { cwd, env: { PATH: process.env.PATH, HOME: cwd }, stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
      expect(code).toBe(EXIT.crashed);
      const lines = err.trim().split('\n').map((l) => JSON.parse(l) as { level: number; msg: string });
      const crashed = lines.filter((l) => l.msg.startsWith('crashed:'));
      expect(crashed).toHaveLength(1);
      expect(crashed[0]).toMatchObject({ level: 60, msg: `crashed: ${kind}: library bug: boom; exiting with code ${EXIT.crashed}` });
      expect(lines.at(-1)!.msg).toBe(crashed[0]!.msg); // nothing after it: no Node stack dump
      const db = path.join(cwd, 'data', 'kd.db');
      expect(fs.existsSync(`${db}-wal`) ? fs.statSync(`${db}-wal`).size : 0).toBe(0);
    });
  }
});
