import { DiscordAPIError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { serializeError } from '../../../src/logging/serialize-error';

describe('serializeError and interaction tokens', () => {
  it("never writes an interaction token from discord.js's error url, nor the request body members typed", () => {
    const token = 'aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OTpTRUNSRVQ';
    const err = new DiscordAPIError(
      { code: 10062, message: 'Unknown interaction' },
      10062,
      404,
      'PATCH',
      `https://discord.com/api/v10/webhooks/1234567890123456789/${token}/messages/@original`,
      { body: { content: 'what a member typed' }, files: undefined },
    );
    const out = JSON.stringify(serializeError(err));
    expect(out).not.toContain(token);
    expect(out).not.toContain('what a member typed');
    expect(out).toContain('webhooks/1234567890123456789/[REDACTED]/messages/@original');
    expect(out).toContain('Unknown interaction');
  });
});
