import { describe, expect, it } from 'vitest';
import { evaluateConfig } from '../../../src/config/evaluate-config';
import { resolveConfig } from '../../../src/config/resolve-config';
import { secretsOf } from '../../../src/cli/secrets-of';
import { commentedConfig } from '../../helpers/config-fixtures';

const postgres = (text = commentedConfig()) => text.replace('storage:\n', 'storage:\n  driver: postgres\n');
const URL_ENV = 'KALTURA_DISCORD_STORAGE__URL';

describe('storage.driver, storage.url, storage.poolSize', () => {
  it('defaults to SQLite with a pool size of 10', () => {
    const evaluated = evaluateConfig(commentedConfig(), '/etc/kd/kd.yaml', {});
    expect(evaluated.issues).toEqual([]);
    expect(resolveConfig(evaluated.value, '/etc/kd/kd.yaml').storage).toEqual({ driver: 'sqlite', path: '/etc/kd/data/kd.db', poolSize: 10 });
  });

  it('takes the PostgreSQL URL from the environment, and counts it (and its password) as a secret', () => {
    const url = 'postgres://kd:pa%24%24word-9@db:5432/kd';
    const evaluated = evaluateConfig(postgres(), '/etc/kd/kd.yaml', { [URL_ENV]: url });
    expect(evaluated.issues).toEqual([]);
    const config = resolveConfig(evaluated.value, '/etc/kd/kd.yaml');
    expect(config.storage).toMatchObject({ driver: 'postgres', url, poolSize: 10 });
    expect(secretsOf(config)).toEqual(expect.arrayContaining([url, 'pa$$word-9']));
  });

  it('refuses postgres without a URL, a URL without postgres, a URL of another database, and a pool out of range', () => {
    const messages = (text: string, env: NodeJS.ProcessEnv = {}) => evaluateConfig(text, 'kd.yaml', env).issues.map((i) => `${i.path}: ${i.message}`);
    expect(messages(postgres())).toEqual([expect.stringMatching(/^storage\.url: is needed when storage\.driver is postgres/)]);
    expect(messages(commentedConfig(), { [URL_ENV]: 'postgres://db/kd' })).toEqual([expect.stringMatching(/^storage\.url: is only used with storage\.driver: postgres/)]);
    expect(messages(postgres(), { [URL_ENV]: 'mysql://u:hunter22@db/kd' })).toEqual(['storage.url: must be a PostgreSQL connection URL: postgres://user:password@host:5432/database']);
    expect(messages(postgres().replace('storage:\n', 'storage:\n  poolSize: 0\n'), { [URL_ENV]: 'postgres://db/kd' })).toEqual(['storage.poolSize: must be at least 1']);
  });
});
