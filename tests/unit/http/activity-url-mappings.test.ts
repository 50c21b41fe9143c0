import { describe, expect, it } from 'vitest';
import { activityMediaMappings, mediaHostOf, toActivityUrl } from '../../../src/http/activity-url-mappings';

describe('toActivityUrl: absolute media URLs become proxy-relative paths under a URL mapping', () => {
  const mappings = activityMediaMappings('https://cdnapisec.kaltura.com', [
    { prefix: '/kaltura-vod', target: 'cfvod.kaltura.com' },
    { prefix: '/kaltura-vod-hls', target: 'cfvod.kaltura.com/hls' },
    { prefix: '/fake/', target: 'http://127.0.0.1:4567/base' },
  ]);

  it('rewrites the CDN host to /kaltura-cdn, keeping path and query', () => {
    expect(toActivityUrl('https://cdnapisec.kaltura.com/p/1/thumbnail/entry_id/0_abc/width/320?ks=K', mappings)).toBe('/kaltura-cdn/p/1/thumbnail/entry_id/0_abc/width/320?ks=K');
    expect(toActivityUrl('https://CDNAPISEC.kaltura.com:443/p/1', mappings)).toBe('/kaltura-cdn/p/1');
  });

  it('picks the mapping with the longest matching target path', () => {
    expect(toActivityUrl('https://cfvod.kaltura.com/hls/p/1/a.m3u8', mappings)).toBe('/kaltura-vod-hls/p/1/a.m3u8');
    expect(toActivityUrl('https://cfvod.kaltura.com/hlsx/p/1', mappings)).toBe('/kaltura-vod/hlsx/p/1');
  });

  it('honours a target with protocol, port and path (the fake proxy form)', () => {
    expect(toActivityUrl('http://127.0.0.1:4567/base/p/1/serveFlavor/x.mp4', mappings)).toBe('/fake/p/1/serveFlavor/x.mp4');
    expect(toActivityUrl('https://127.0.0.1:4567/base/p/1', mappings)).toBeUndefined(); // protocol named, so it must match
    expect(toActivityUrl('http://127.0.0.1:4568/base/p/1', mappings)).toBeUndefined();
    expect(toActivityUrl('http://127.0.0.1:4567/other/p/1', mappings)).toBeUndefined();
  });

  it('answers undefined for unmapped hosts and non-URLs, and names only the host for the error', () => {
    expect(toActivityUrl('https://evil.example.com/p/1?ks=SECRET', mappings)).toBeUndefined();
    expect(toActivityUrl('not a url', mappings)).toBeUndefined();
    expect(toActivityUrl('javascript:alert(1)', mappings)).toBeUndefined();
    expect(mediaHostOf('https://evil.example.com:8443/p/1?ks=SECRET')).toBe('evil.example.com:8443');
    expect(mediaHostOf('::')).toBe('invalid-url');
  });

  it('never maps a media host to the root (that mapping is the Activity itself)', () => {
    expect(toActivityUrl('https://x.example/p', [{ prefix: '/', target: 'x.example' }])).toBeUndefined();
  });

  it('maps a CDN configured with a port and path', () => {
    const m = activityMediaMappings('http://127.0.0.1:9000/cdn/');
    expect(toActivityUrl('http://127.0.0.1:9000/cdn/p/1/thumb', m)).toBe('/kaltura-cdn/p/1/thumb');
  });
});
