import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from './config-error';
import type { Config } from './config-types';
import { evaluateConfig } from './evaluate-config';
import { resolveConfig } from './resolve-config';

export const DEFAULT_CONFIG_FILE = 'kaltura-discord.yaml';

/** `--config`, else `$KALTURA_DISCORD_CONFIG`, else `./kaltura-discord.yaml`, resolved against cwd. */
export function resolveConfigPath(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string {
  return path.resolve(cwd, flag ?? (env.KALTURA_DISCORD_CONFIG || DEFAULT_CONFIG_FILE));
}

/** Reads the file, or throws a ConfigError that says what to do. */
export function readConfigText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? 'file not found; create it with `kaltura-discord init` or pass --config <path>'
        : code === 'EACCES'
          ? 'permission denied reading the file; run as the user that owns it'
          : code === 'EISDIR'
            ? 'is a directory, not a file'
            : `cannot be read (${code ?? String(err)})`;
    throw new ConfigError(file, [{ path: '', message }], { cause: err });
  }
}

/** The one way to get a Config: read, evaluate, throw every problem at once, or resolve and freeze. */
export function loadConfig(file: string, env: NodeJS.ProcessEnv): Config {
  const evaluated = evaluateConfig(readConfigText(file), file, env);
  if (evaluated.issues.length > 0) throw new ConfigError(file, evaluated.issues);
  return resolveConfig(evaluated.value, file);
}
