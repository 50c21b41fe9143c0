import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { captureLogger } from '../../helpers/capture-logger';
import { useTempDirs } from '../../helpers/temp-dir';
import { CHANNEL, expectCleanLogs, GUILD, host, LINKS_SECRET, member, moderator, startHarness, type Harness } from './harness';
import { MEETING_STORE_DRIVERS } from './store-under-test';

const logs = captureLogger();
const tempDir = useTempDirs();
let h: Harness;

describe.each(MEETING_STORE_DRIVERS)('join links, fuzzed (%s)', (driver) => {
  beforeEach(async () => {
    h = await startHarness({ logger: logs.logger, dir: tempDir(), driver });
  });
  afterEach(async () => {
    await h.close();
  });
  afterAll(() => expectCleanLogs(logs.text(), [LINKS_SECRET, 'abcdef0123456789abcdef0123456789']));

  /** mulberry32: a seeded generator, so a failure reproduces. */
  function prng(seed: number) {
    let a = seed >>> 0;
    const next = () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const int = (n: number) => Math.floor(next() * n);
    const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
    const pick = <T,>(xs: readonly T[]): T => xs[int(xs.length)]!;
    return { int, bytes, pick };
  }

  const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const NASTY = ['..%2f', '..%2F..%2F', '%00', '%2e%2e', '%25', '%ZZ', '%C0%AF', '%E2%80%AE', '\u202e', 'ё', '🎥', '\u0000', '<script>alert(1)</script>', "'\"", ' ', '.', '..', '...', '=', '+', '~', ';', ',', '*', '!', '$'];

  const ALLOWED = new Set([302, 400, 401, 404, 410]);

  /**
   * Paths the join route sees. h3 answers the others itself before routing: a pathname with
   * invalid percent-encoding (400), or one whose dot segments resolve outside `/j/` (404).
   */
  function reachesJoinRoute(request: Request): boolean {
    const pathname = new URL(request.url).pathname;
    try {
      return decodeURI(pathname).startsWith('/j/') && !/(^|\/)(\.|%2e){1,2}(\/|$)/i.test(pathname.slice(3));
    } catch {
      return false;
    }
  }

  describe('GET /j/<anything>', () => {
    it('answers a few thousand random and mutated tokens with 302/400/401/404/410 only, never a 500, a stack or a KS', async () => {
      const rnd = prng(20261125);
      const meeting = await h.service.start(host, { guildId: GUILD, channelId: CHANNEL, title: 'Fuzz' });
      const real: string[] = [];
      for (const actor of [host, moderator, member]) for (let i = 0; i < 4; i++) real.push(new URL((await h.service.issueJoinLink(actor, GUILD, meeting.id)).url).pathname.slice(3));

      const mutate = (token: string): string => {
        const chars = [...token];
        switch (rnd.int(9)) {
          case 0: // flip one bit of one character (stays base64url when it can)
          {
            const i = rnd.int(chars.length);
            const c = B64URL.indexOf(chars[i]!);
            chars[i] = c < 0 ? 'A' : B64URL[c ^ (1 << rnd.int(6))]!;
            return chars.join('');
          }
          case 1:
            return token.slice(0, rnd.int(token.length));
          case 2:
            return token + rnd.pick(B64URL.split('')).repeat(1 + rnd.int(8));
          case 3: {
            const [a, b, c] = token.split('.');
            return rnd.pick([`${a}.${c}.${b}`, `${b}.${a}.${c}`, `${a}..${c}`, `${a}.${b}`, `${a}.${b}.${c}.${c}`, `.${b}.${c}`]);
          }
          case 4: {
            const i = rnd.int(chars.length);
            chars.splice(i, 0, rnd.pick(NASTY));
            return chars.join('');
          }
          case 5:
            return token.replace(/[A-Za-z]/g, (ch) => (rnd.int(20) === 0 ? (ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase()) : ch));
          case 6: {
            const [a, , c] = token.split('.');
            return `${a}.${Buffer.from(rnd.bytes(rnd.int(300))).toString('base64url')}.${c}`;
          }
          case 7:
            return token.repeat(2 + rnd.int(8));
          default:
            return `${token.split('.')[0]}.${token.split('.')[1]}.${Buffer.from(rnd.bytes(32)).toString('base64url')}`;
        }
      };
      const generators: Array<() => string> = [
        () => Buffer.from(rnd.bytes(rnd.int(400))).toString('base64url'),
        () => Array.from({ length: 3 }, () => Buffer.from(rnd.bytes(1 + rnd.int(120))).toString('base64url')).join('.'),
        () => Buffer.from(rnd.bytes(rnd.int(200))).toString('latin1'),
        () => Array.from({ length: 1 + rnd.int(30) }, () => rnd.pick(NASTY)).join(''),
        () => 'A'.repeat(rnd.pick([2049, 4096, 20_000, 100_000])),
        () => `${'eyJhbGciOiJIUzI1NiJ9'}.${'A'.repeat(rnd.int(5000))}.${'B'.repeat(43)}`,
        () => String.fromCodePoint(...Array.from({ length: 1 + rnd.int(40) }, () => rnd.int(0x10ffff - 0x800) + 0x800).filter((cp) => cp < 0xd800 || cp > 0xdfff)),
        () => rnd.pick(real), // the first use of each redirects, every later one is "used"
        () => mutate(rnd.pick(real)),
        () => mutate(mutate(rnd.pick(real))),
      ];

      const statuses = new Map<number, number>();
      let sent = 0;
      let others = 0;
      for (let i = 0; i < 3000; i++) {
        const token = rnd.pick(generators)();
        const paths = [`/j/${encodeURIComponent(token)}`];
        if (/^[\x21-\x7e]*$/.test(token) && !/[#?]/.test(token)) paths.push(`/j/${token}`);
        for (const path of paths) {
          let request: Request;
          try {
            request = new Request(`http://bot.test${path}`);
          } catch {
            continue; // not a URL a browser could send
          }
          const res = await h.app.fetch(request);
          sent++;
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          const body = await res.text();
          if (!ALLOWED.has(res.status) || /djJ8|\n\s+at |Error:|stack/i.test(body)) {
            throw new Error(`status ${res.status} for ${JSON.stringify(path.slice(0, 200))}: ${body.slice(0, 300)}`);
          }
          if (res.status === 302) expect(res.headers.get('location')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/kaf\/virtualEvent\/launch\?ks=/);
          else if (reachesJoinRoute(request)) {
            if (res.headers.get('cache-control') !== 'no-store' || !body.startsWith('<!doctype html>')) {
              throw new Error(`no join page for ${JSON.stringify(path.slice(0, 200))}: ${res.status} ${body.slice(0, 200)}`);
            }
          } else {
            others++;
            expect([400, 404]).toContain(res.status); // h3's own answer for a path that never reaches /j/
          }
        }
      }
      expect(sent).toBeGreaterThan(3000);
      expect(others).toBeLessThan(sent / 10);
      expect(statuses.get(500)).toBeUndefined();
      // the corpus reached every layer: shape, signature, expiry/single use
      expect(statuses.get(400)).toBeGreaterThan(100);
      expect(statuses.get(401)).toBeGreaterThan(100);
      expect(statuses.get(302)).toBeGreaterThanOrEqual(real.length);
      expect(statuses.get(410)).toBeGreaterThan(100);
      expect((await h.ledger.listJoins(meeting.id)).length).toBe(statuses.get(302));
      expect(logs.lines.filter((l) => (l.level as number) >= 50)).toEqual([]);
    });
  });
});
