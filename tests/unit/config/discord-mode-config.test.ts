import { describe, expect, it } from 'vitest';
import { evaluateConfig } from '../../../src/config/evaluate-config';
import { resolveConfig } from '../../../src/config/resolve-config';
import { commentedConfig } from '../../helpers/config-fixtures';

const KEY = 'ab'.repeat(32);
const withDiscord = (lines: string) => commentedConfig().replace('discord:\n', `discord:\n${lines}`);
const evaluate = (text: string, env: NodeJS.ProcessEnv = {}) => evaluateConfig(text, 'c.yaml', env);

describe('discord.mode', () => {
  it('defaults to gateway, so an existing file keeps working as before', () => {
    const { value, issues } = evaluate(commentedConfig());
    expect(issues).toEqual([]);
    expect(resolveConfig(value!, 'c.yaml').discord.mode).toBe('gateway');
  });

  it('http needs discord.publicKey, and says why', () => {
    const issues = evaluate(withDiscord('  mode: http\n')).issues;
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'discord.publicKey: is needed when discord.mode is http: Discord signs every interaction it POSTs, and the bot verifies it with this key (Developer Portal → General Information → Public Key)',
    ]);
    const ok = evaluate(withDiscord(`  mode: http\n  publicKey: ${KEY.toUpperCase()}\n`));
    expect(ok.issues).toEqual([]);
    expect(resolveConfig(ok.value!, 'c.yaml').discord).toMatchObject({ mode: 'http', publicKey: KEY });
  });

  it('refuses another mode, and may come from the environment', () => {
    expect(evaluate(withDiscord('  mode: webhook\n')).issues.map((i) => i.path)).toEqual(['discord.mode']);
    const fromEnv = evaluate(withDiscord(`  publicKey: ${KEY}\n`), { KALTURA_DISCORD_DISCORD__MODE: 'http' });
    expect(fromEnv.issues).toEqual([]);
    expect(resolveConfig(fromEnv.value!, 'c.yaml').discord.mode).toBe('http');
  });
});
