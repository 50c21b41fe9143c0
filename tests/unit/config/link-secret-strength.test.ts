import { describe, expect, it } from 'vitest';
import { evaluateConfig } from '../../../src/config/evaluate-config';
import { estimateSecretBits, weakLinkSecretReason } from '../../../src/config/secret-strength';
import { commentedConfig, GOOD } from '../../helpers/config-fixtures';

const withSecret = (secret: string) => commentedConfig().replace(GOOD.linkSecret, JSON.stringify(secret));
const secretIssues = (secret: string) => evaluateConfig(withSecret(secret), 'c.yaml', {}).issues.filter((i) => i.path === 'links.secret');

describe('links.secret: a low-entropy key is refused by validation', () => {
  it.each([
    ['one character repeated', 'a'.repeat(64)],
    ['a word typed over and over', 'password'.repeat(6)],
    ['a short pattern repeated', 'abc123!?'.repeat(5)],
    ['few different characters', '0101001100011100001111000001111100000011'],
    ['32 digits', '12345678901234567890123456789012'],
  ])('refuses %s, naming the rule and how to make a good one, never the secret', (_what, secret) => {
    const issues = secretIssues(secret);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toMatch(/^is too (predictable|short)/);
    expect(issues[0]!.message).toContain('openssl rand -base64 48');
    expect(issues[0]!.message).not.toContain(secret);
  });

  it.each([
    ['the test fixture', GOOD.linkSecret],
    ['openssl rand -hex 32', 'c6f1e0b7d2a94e3f8b5c7a1d0e9f2b4c6a8d1e3f5b7c9a0e2d4f6b8a1c3e5f70'],
    ['openssl rand -base64 48', 'q2T9xV1mK7pL0sR4uW8yZ3nB6cF5hJ2gD9aE1iO7tY4rU0wQ3eS6vX8bN5mC1kL2'],
    ['init (64 base64url characters)', 'Zb3_kQ9-xW1vT7pL0sR4uY8yN3mB6cF5hJ2gD9aE1iO7tA4rU0wQ3eS6vX8bN5mC'],
  ])('accepts %s', (_what, secret) => {
    expect(secretIssues(secret)).toEqual([]);
  });

  // An operator's existing key at upgrade: 128 random bits in hex that happen not to show all 16 digits.
  it.each([
    ['12 different digits', 'e03f0f4ba2666045229fb11501e19e66'],
    ['13 different digits', '1a4d1bb0112c440795d414b8aa90ec8b'],
    ['13 different digits, upper case', '1AE88C8ED96A3A0A3E64B5B1DED3E190'],
  ])('accepts a random 32-character hex key (openssl rand -hex 16) with %s', (_what, secret) => {
    expect(secretIssues(secret)).toEqual([]);
    expect(estimateSecretBits(secret)).toBeCloseTo(128);
  });

  it('estimates length × log2(distinct characters), 0 for a repeated unit', () => {
    expect(estimateSecretBits('ab'.repeat(20))).toBe(0);
    expect(estimateSecretBits('0123456789abcdef'.repeat(1) + 'fedcba9876543210')).toBeCloseTo(32 * 4);
    expect(weakLinkSecretReason('short')).toMatch(/^is too short: 5 characters/);
  });
});
