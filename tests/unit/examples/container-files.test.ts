/**
 * The container files cannot be built and run here (no registry access, and podman's runtime cannot
 * set up a container in this sandbox: docs/containers.md), so their promises are checked as text:
 * non-root, read-only root file system, /data the only writable place, a health check on /healthz
 * that really works, secrets only from the environment, every variable a real configuration key,
 * and the Activity's sync socket routed by the id the client sends.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { listConfigKeys } from '../../../src/config/config-keys';
import { freePort } from '../../helpers/free-port';

const repo = path.resolve(import.meta.dirname, '../../..');
const read = (file: string) => fs.readFileSync(path.join(repo, file), 'utf8');
const run = promisify(execFile);

/** Variables the executable reads besides configuration keys (src/config/evaluate-config.ts). */
const NON_KEY_ENV = new Set(['KALTURA_DISCORD_CONFIG', 'KALTURA_DISCORD_CACHE_DIR']);
const KEY_ENV = new Map(listConfigKeys().map((k) => [k.envVar, k]));
const unknownVariables = (names: Iterable<string>) => [...names].filter((n) => n.startsWith('KALTURA_DISCORD_') && !NON_KEY_ENV.has(n) && !KEY_ENV.has(n));

/** The Containerfile's instructions, continuation lines joined. */
function instructions(text: string): { op: string; args: string }[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => ({ op: l.split(/\s/)[0]!.toUpperCase(), args: l.slice(l.split(/\s/)[0]!.length).trim() }));
}

/** Serves one status on 127.0.0.1:port for the time of `fn`. */
async function serving<T>(port: number, status: number, fn: () => Promise<T>): Promise<T> {
  const server = http.createServer((req, res) => res.writeHead(req.url === '/healthz' ? status : 404).end('{}'));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  try {
    return await fn();
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

async function exitCode(argv: readonly string[]): Promise<number> {
  try {
    await run(argv[0]!, argv.slice(1), { timeout: 10_000 });
    return 0;
  } catch (err) {
    return (err as { code?: number }).code ?? -1;
  }
}

describe('Containerfile', () => {
  const steps = instructions(read('Containerfile'));
  const one = (op: string) => steps.filter((s) => s.op === op);

  it('runs the single executable as a fixed unprivileged user, with /data as its volume', () => {
    expect(one('USER').map((s) => s.args)).toEqual(['10001:10001']);
    expect(one('VOLUME').map((s) => JSON.parse(s.args))).toEqual([['/data']]);
    expect(one('COPY').some((s) => /\bdist\/kaltura-discord\s+\/usr\/local\/bin\/kaltura-discord$/.test(s.args))).toBe(true);
    expect(JSON.parse(one('ENTRYPOINT')[0]!.args)).toEqual(['/usr/local/bin/kaltura-discord']);
    expect(JSON.parse(one('CMD').at(-1)!.args)).toEqual(['serve']);
  });

  it('sets only real configuration variables, and keeps the SQLite file and the addon cache on the volume', () => {
    const env = Object.fromEntries(one('ENV').flatMap((s) => [...s.args.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!])));
    expect(unknownVariables(Object.keys(env))).toEqual([]);
    expect(env.KALTURA_DISCORD_STORAGE__PATH).toMatch(/^\/data\//);
    expect(env.KALTURA_DISCORD_CACHE_DIR).toMatch(/^\/data\//);
    expect(env.KALTURA_DISCORD_HTTP__LISTEN).toBe('0.0.0.0:8080');
  });

  it("its HEALTHCHECK passes while /healthz answers 200 and fails on a 503 or when nothing listens", async () => {
    const check = one('HEALTHCHECK')[0]!.args;
    const argv = JSON.parse(check.slice(check.indexOf('CMD') + 3).trim()) as string[];
    expect(argv.join(' ')).toContain('/healthz');
    expect(argv.join(' ')).toContain('/127.0.0.1/8080');
    const port = await freePort();
    const at = argv.map((a) => a.replace('/127.0.0.1/8080', `/127.0.0.1/${port}`));
    expect(await serving(port, 200, () => exitCode(at))).toBe(0);
    expect(await serving(port, 503, () => exitCode(at))).not.toBe(0);
    expect(await exitCode(at)).not.toBe(0);
  });
});

describe('examples/compose.yaml', () => {
  const compose = parse(read('examples/compose.yaml'), { merge: true }) as { services: Record<string, Record<string, unknown>> };
  const bots = Object.entries(compose.services).filter(([, s]) => String(s.image).includes('kaltura-discord'));

  it('runs two instances, each non-root, read-only, with its own /data and the /healthz check', () => {
    expect(bots.map(([name]) => name)).toEqual(['bot-1', 'bot-2']);
    const volumes = new Set<string>();
    for (const [, bot] of bots) {
      expect(bot.user).toBe('10001:10001');
      expect(bot.read_only).toBe(true);
      expect(bot.cap_drop).toEqual(['ALL']);
      const data = (bot.volumes as string[]).find((v) => v.endsWith(':/data'));
      expect(data).toBeDefined();
      volumes.add(data!);
      expect(JSON.stringify((bot.healthcheck as { test: unknown }).test)).toContain('/healthz');
      expect(bot.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    }
    expect(volumes.size).toBe(2);
  });

  it('shares one PostgreSQL in discord.mode http, with every secret taken from the environment', () => {
    for (const [, bot] of bots) {
      const env = bot.environment as Record<string, string>;
      expect(unknownVariables(Object.keys(env))).toEqual([]);
      expect(env.KALTURA_DISCORD_STORAGE__DRIVER).toBe('postgres');
      expect(env.KALTURA_DISCORD_DISCORD__MODE).toBe('http');
      for (const [name, value] of Object.entries(env)) if (KEY_ENV.get(name)?.secret) expect(value, name).toMatch(/\$\{[A-Z_]+:\?/);
      expect(env.KALTURA_DISCORD_STORAGE__URL).toContain('${POSTGRES_PASSWORD:?');
    }
    expect(compose.services.postgres!.healthcheck).toBeDefined();
  });

  it('puts Caddy in front of both instances with the example Caddyfile', () => {
    const caddy = compose.services.caddy!;
    expect((caddy.environment as Record<string, string>).KD_UPSTREAMS!.split(/\s+/)).toEqual(bots.map(([name]) => `${name}:8080`));
    expect(caddy.volumes).toContain('./Caddyfile:/etc/caddy/Caddyfile:ro');
  });
});

describe('examples/Caddyfile', () => {
  const caddyfile = read('examples/Caddyfile');

  it('hashes the sync socket on the query parameter the Activity client sends its instance id in', () => {
    const param = /searchParams\.set\('(\w+)', instanceId\)/.exec(read('src/activity-client/main.ts'))?.[1];
    expect(param).toBe('instance');
    const sync = caddyfile.slice(caddyfile.indexOf('handle @sync'));
    expect(caddyfile).toMatch(/@sync path \/activity\/ws\n/);
    expect(sync.slice(0, sync.indexOf('\n\t}\n'))).toContain(`lb_policy query ${param}`);
  });

  it('serves what Discord, members and Kaltura need (HTTP interactions included) and not /metrics', () => {
    const matcher = /@bot path (.+)\n/.exec(caddyfile)![1]!.split(' ');
    expect(matcher).toEqual(expect.arrayContaining(['/j/*', '/v/*', '/activity/*', '/interactions', '/webhooks/*', '/healthz', '/readyz']));
    expect(matcher.some((p) => p.startsWith('/metrics'))).toBe(false);
  });
});

describe('examples/kubernetes', () => {
  const docs = (file: string) => parseAllDocuments(read(`examples/kubernetes/${file}`)).map((d) => d.toJS() as Record<string, any>);

  it('runs non-root with a read-only root file system, /data mounted, /healthz for liveness and /readyz for readiness', () => {
    const [deployment] = docs('deployment.yaml');
    const pod = deployment!.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
    const [container] = pod.containers;
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.volumeMounts.map((m: { mountPath: string }) => m.mountPath)).toContain('/data');
    expect(deployment!.spec.replicas).toBe(2);
  });

  it('keeps secrets in a Secret under real variable names, and the configuration in a ConfigMap in http mode', () => {
    const [secret] = docs('secret.example.yaml');
    expect(unknownVariables(Object.keys(secret!.stringData))).toEqual([]);
    expect(Object.keys(secret!.stringData).every((name) => KEY_ENV.get(name)?.secret)).toBe(true);
    const [configMap] = docs('configmap.yaml');
    const file = parse(configMap!.data['kaltura-discord.yaml']) as Record<string, any>;
    expect(file.discord.mode).toBe('http');
    expect(file.storage.driver).toBe('postgres');
  });

  it('hashes the sync socket on the instance parameter; the rest goes to any instance', () => {
    const [main, sync] = docs('ingress.yaml');
    expect(sync!.metadata.annotations['nginx.ingress.kubernetes.io/upstream-hash-by']).toBe('$arg_instance');
    expect(sync!.spec.rules[0].http.paths.map((p: { path: string }) => p.path)).toEqual(['/activity/ws']);
    expect(main!.spec.rules[0].http.paths.map((p: { path: string }) => p.path)).not.toContain('/metrics');
  });
});
