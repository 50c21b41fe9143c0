import { describe, expect, it } from 'vitest';
import { toNumberedPlaceholders } from '../../../src/store/sql/numbered-placeholders';
import { redactStorageUrl, storageUrlPassword } from '../../../src/store/redact-storage-url';

describe('toNumberedPlaceholders', () => {
  it('numbers each ? in order', () => {
    expect(toNumberedPlaceholders('UPDATE t SET a = ?, b = ? WHERE id IN (?, ?)')).toBe('UPDATE t SET a = $1, b = $2 WHERE id IN ($3, $4)');
  });

  it('leaves a ? inside literals, quoted names, dollar quotes and comments alone', () => {
    expect(toNumberedPlaceholders(`SELECT 'a?''?' AS "q?", $$?$$, $x$ ? $x$ -- why?\n FROM t WHERE a = ? /* or ? */ AND b = ?`)).toBe(
      `SELECT 'a?''?' AS "q?", $$?$$, $x$ ? $x$ -- why?\n FROM t WHERE a = $1 /* or ? */ AND b = $2`,
    );
  });

  it('returns text without placeholders unchanged', () => {
    expect(toNumberedPlaceholders('SELECT 1')).toBe('SELECT 1');
  });
});

describe('storage URLs in logs and messages', () => {
  it('hides the password, in the authority and in the options', () => {
    expect(redactStorageUrl('postgres://kd:s3cr%40t@db.example:5432/kd?sslmode=require&password=other')).toBe(
      'postgres://kd:***@db.example:5432/kd?sslmode=require&password=***',
    );
    expect(redactStorageUrl('postgres://db.example/kd')).toBe('postgres://db.example/kd');
    expect(redactStorageUrl('not a url with p4ss')).not.toContain('p4ss');
  });

  it('gives the scrubber the decoded password', () => {
    expect(storageUrlPassword('postgres://kd:s3cr%40t@db/kd')).toBe('s3cr@t');
    expect(storageUrlPassword('postgres://db/kd?password=x1')).toBe('x1');
    expect(storageUrlPassword(undefined)).toBeUndefined();
  });
});
