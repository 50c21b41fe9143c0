import { describe, expect, it } from 'vitest';
import { formatConfigIssue } from '../../../src/config/config-error';
import { configSchema } from '../../../src/config/config-keys';
import { evaluateConfig } from '../../../src/config/evaluate-config';
import { MAX_PUBLIC_URL_LENGTH } from '../../../src/core/meetings/join-tokens';
import { commentedConfig, EXAMPLE_ENV } from '../../helpers/config-fixtures';

/** `http.publicUrl` is bounded so that every join link fits a Discord link button (512 characters). */
describe('http.publicUrl length', () => {
  const withUrl = (url: string) => commentedConfig().replace('publicUrl: https://bot.example.org', () => `publicUrl: ${url}`);

  it('is bounded in the schema by the same number the join links are built with', () => {
    const http = configSchema.properties!.http!.properties!.publicUrl as { maxLength?: number };
    expect(http.maxLength).toBe(MAX_PUBLIC_URL_LENGTH);
  });

  it('accepts the longest allowed URL and refuses one character more, saying why', () => {
    const base = 'https://bot.example.org/';
    const longest = base + 'p'.repeat(MAX_PUBLIC_URL_LENGTH - base.length);
    expect(evaluateConfig(withUrl(longest), 'c.yaml', EXAMPLE_ENV).issues).toEqual([]);
    const { issues } = evaluateConfig(withUrl(`${longest}p`), 'c.yaml', EXAMPLE_ENV);
    expect(issues).toHaveLength(1);
    expect(formatConfigIssue('c.yaml', issues[0]!)).toMatch(
      new RegExp(`http\\.publicUrl: must be at most ${MAX_PUBLIC_URL_LENGTH} characters long: a join link, .* must fit the 512 characters of a Discord link button`),
    );
  });
});
