import { describe, expect, it } from 'vitest';
import { activityPortalMappings, formatPortalMappings } from '../../../src/cli/doctor-activity';
import type { Config } from '../../../src/config/config-types';

/** Only what the mappings read; the rest of Config does not matter here. */
const config = (http: string, cdn: string | undefined, media: { prefix: string; target: string }[] = []) =>
  ({ http: { publicUrl: http }, kaltura: { ...(cdn !== undefined && { cdnUrl: cdn }) }, activity: { mediaMappings: media } }) as unknown as Config;

describe('the Developer Portal URL mappings doctor prints', () => {
  it('maps / to the bot’s /activity and /kaltura-cdn to the CDN host, in the portal’s form (no protocol, no default port, no trailing slash)', () => {
    expect(activityPortalMappings(config('https://bot.example.org', 'https://cdnapisec.kaltura.com'))).toEqual([
      { prefix: '/kaltura-cdn', target: 'cdnapisec.kaltura.com' },
      { prefix: '/', target: 'bot.example.org/activity' },
    ]);
    expect(activityPortalMappings(config('https://bot.example.org:443/kd/', 'https://cdn.example.net:8443/kaltura/'))).toEqual([
      { prefix: '/kaltura-cdn', target: 'cdn.example.net:8443/kaltura' },
      { prefix: '/', target: 'bot.example.org/kd/activity' },
    ]);
  });

  it('uses Kaltura’s default CDN when kaltura.cdnUrl is not set, and lists longer prefixes first, keeping the given order among equals', () => {
    const mappings = activityPortalMappings(config('https://bot.example.org', undefined, [{ prefix: '/vod', target: 'vod.example.net' }, { prefix: '/kaltura-vod-eu', target: 'cfvod.kaltura.com' }, { prefix: '/abc', target: 'abc.example.net/x' }]));
    expect(mappings.map((m) => m.prefix)).toEqual(['/kaltura-vod-eu', '/kaltura-cdn', '/vod', '/abc', '/']);
    expect(mappings.find((m) => m.prefix === '/kaltura-cdn')?.target).toBe('cdnapisec.kaltura.com');
    expect(formatPortalMappings(mappings).split('\n')).toEqual([
      '  /kaltura-vod-eu  →  cfvod.kaltura.com',
      '  /kaltura-cdn     →  cdnapisec.kaltura.com',
      '  /vod             →  vod.example.net',
      '  /abc             →  abc.example.net/x',
      '  /                →  bot.example.org/activity',
    ]);
  });
});
