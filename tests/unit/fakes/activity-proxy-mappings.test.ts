import { describe, expect, it } from 'vitest';
import { parseMappings, resolve } from '../../fakes/discord/proxy-mappings';

/** How the fake Activity proxy picks a URL mapping (Discord's portal rules, reference §7.2). */
describe('fake Activity proxy URL mappings', () => {
  const mappings = parseMappings([
    { prefix: '/', target: 'http://127.0.0.1:8080/activity' },
    { prefix: '/kaltura-cdn', target: '127.0.0.1:9000' },
    { prefix: '/kaltura-cdn/vod', target: 'http://127.0.0.1:9001/deliver/' },
  ]);
  const at = (path: string) => resolve(mappings, path)?.href;

  it('takes the longest prefix on a segment boundary, keeping the query', () => {
    expect(at('/kaltura-cdn/vod/a.mp4?ks=1')).toBe('http://127.0.0.1:9001/deliver/a.mp4?ks=1');
    expect(at('/kaltura-cdn/p/1/x.jpg')).toBe('http://127.0.0.1:9000/p/1/x.jpg');
    expect(at('/kaltura-cdnx/y')).toBe('http://127.0.0.1:8080/activity/kaltura-cdnx/y');
    expect(at('/kaltura-cdn')).toBe('http://127.0.0.1:9000/');
    expect(at('/kaltura-cdn/')).toBe('http://127.0.0.1:9000/');
  });

  it("sends a request for a mapping's own root to the target directory without a slash (the stricter reading) or, when asked, with one", () => {
    expect(at('/?frame_id=f')).toBe('http://127.0.0.1:8080/activity?frame_id=f');
    expect(at('/kaltura-cdn/vod')).toBe('http://127.0.0.1:9001/deliver');
    expect(resolve(mappings, '/?frame_id=f', 'slash')?.href).toBe('http://127.0.0.1:8080/activity/?frame_id=f');
    expect(resolve(mappings, '/kaltura-cdn/vod', 'slash')?.href).toBe('http://127.0.0.1:9001/deliver/');
  });

  it('treats /.proxy/x as /x', () => {
    expect(at('/.proxy/api/token')).toBe('http://127.0.0.1:8080/activity/api/token');
  });

  it('leaves paths without a mapping unmapped, and refuses malformed or reserved prefixes', () => {
    expect(resolve(parseMappings([{ prefix: '/api', target: 'h:1' }]), '/other')).toBeUndefined();
    expect(() => parseMappings([{ prefix: 'api', target: 'h:1' }])).toThrow(/bad mapping prefix/);
    expect(() => parseMappings([{ prefix: '/api/', target: 'h:1' }])).toThrow(/bad mapping prefix/);
    expect(() => parseMappings([{ prefix: '/__fake-discord', target: 'h:1' }])).toThrow(/reserved/);
    expect(() => parseMappings([{ prefix: '/x', target: 'h:1/dir?q=1' }])).toThrow(/directory/);
  });
});
