import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commentedConfig } from '../../helpers/config-fixtures';
import { spawnCli } from '../../helpers/spawn-serve';
import { useTempDirs } from '../../helpers/temp-dir';

/**
 * `kaltura-discord config list | head -1`: the reader is gone before (most of) the output is
 * written. Every command must finish with its own exit code and no EPIPE stack trace.
 */
describe('a closed standard output', () => {
  const tempDir = useTempDirs();

  async function runWithClosedStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, 'kaltura-discord.yaml'), commentedConfig(), { mode: 0o600 });
    const child = spawnCli(args, { cwd });
    child.stdout!.destroy(); // the read end closes at once: the first write meets EPIPE
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    return { code, stderr };
  }

  it.each([
    [['config', 'list'], 0],
    [['config', 'get', 'defaults'], 0],
    [['--help'], 0],
    [['version'], 0],
    [['doctor', '--timeout', '1'], 1],
  ] as const)('%j exits %i without a stack trace', async (args, expected) => {
    const r = await runWithClosedStdout([...args]);
    expect(r.stderr).not.toMatch(/EPIPE|at .*\(.*:\d+:\d+\)|unexpected failure|crashed/);
    expect(r.code).toBe(expected);
  }, 20_000);
});
