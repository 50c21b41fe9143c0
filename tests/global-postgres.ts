import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

/**
 * vitest globalSetup: one throwaway PostgreSQL cluster for the whole run. Tests reach it through
 * `inject('postgresUrl')` or `process.env.KD_TEST_POSTGRES_URL` (tests/helpers/stores.ts creates a fresh
 * database per test on it). Tests that don't need PostgreSQL are unaffected when it is missing: they never
 * look; the ones that do get `postgresError` as a clear failure (never a skip).
 *
 * An already-set KD_TEST_POSTGRES_URL (a cluster CI provides) is used as is and nothing is started.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the test cluster ('' when none could be started; see postgresError). */
    postgresUrl: string;
    postgresError: string;
  }
}

const START_TIMEOUT_S = 30;
const STOP_TIMEOUT_S = 20;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const preset = process.env.KD_TEST_POSTGRES_URL;
  if (preset) {
    project.provide('postgresUrl', preset);
    project.provide('postgresError', '');
    return async () => {};
  }
  let cluster: Cluster;
  try {
    cluster = await startCluster();
  } catch (err) {
    const message = `The test PostgreSQL cluster could not be started: ${(err as Error).message}`;
    project.provide('postgresUrl', '');
    project.provide('postgresError', message);
    process.env.KD_TEST_POSTGRES_ERROR = message;
    return async () => {};
  }
  project.provide('postgresUrl', cluster.url);
  project.provide('postgresError', '');
  process.env.KD_TEST_POSTGRES_URL = cluster.url;
  // Ctrl+C / SIGTERM of the run: vitest may not reach the teardown, so stop the cluster on exit too.
  const onExit = (): void => cluster.stopSync();
  process.once('exit', onExit);
  return async () => {
    process.off('exit', onExit);
    cluster.stopSync();
    delete process.env.KD_TEST_POSTGRES_URL;
  };
}

interface Cluster {
  readonly url: string;
  stopSync(): void;
}

/** The newest Debian PostgreSQL server binaries (/usr/lib/postgresql/<major>/bin), else a clear error. */
export function findPostgresBin(): string {
  const root = '/usr/lib/postgresql';
  const majors = fs.existsSync(root)
    ? fs.readdirSync(root).filter((d) => fs.existsSync(path.join(root, d, 'bin', 'postgres')))
    : [];
  majors.sort((a, b) => Number(b) - Number(a));
  if (majors.length === 0) {
    throw new Error(`no PostgreSQL server binaries under ${root}/*/bin (install Debian's "postgresql" package; .ci/run does)`);
  }
  return path.join(root, majors[0]!, 'bin');
}

async function startCluster(): Promise<Cluster> {
  const bin = findPostgresBin();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kd-pg-'));
  const data = path.join(dir, 'data');
  // PostgreSQL refuses to run as root: as root, run the server as the `postgres` system user.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    let uid: number, gid: number;
    try {
      uid = Number(execFileSync('id', ['-u', 'postgres'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim());
      gid = Number(execFileSync('id', ['-g', 'postgres'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim());
    } catch {
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error('running as root, but there is no "postgres" system user to run PostgreSQL as (Debian\'s postgresql package creates it)');
    }
    fs.chownSync(dir, uid, gid);
  }
  const run = (cmd: string, args: string[]): void => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args]] : [path.join(bin, cmd), args];
    execFileSync(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], timeout: (START_TIMEOUT_S + 5) * 1000 });
  };
  let stopped = false;
  let watchdog: number | undefined;
  const stopSync = (): void => {
    if (stopped) return;
    stopped = true;
    try {
      run('pg_ctl', ['stop', '-D', data, '-m', 'fast', '-w', '-t', String(STOP_TIMEOUT_S)]);
    } catch {
      // Already stopped (or never started); the folder goes either way.
    }
    if (watchdog !== undefined) {
      try {
        process.kill(watchdog);
      } catch {
        // It exits by itself once the cluster is gone.
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    // -N: no fsync during initdb; trust auth is fine for a cluster that listens on 127.0.0.1 for one run.
    run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '-N']);
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      const options = [
        `-c listen_addresses=127.0.0.1`,
        `-c port=${port}`,
        `-c unix_socket_directories=${dir}`,
        // Throwaway data: durability buys nothing here and costs the shared 2 cores.
        `-c fsync=off`,
        `-c synchronous_commit=off`,
        `-c full_page_writes=off`,
        // Every test store has a pool plus leadership and LISTEN connections; workers run in parallel.
        `-c max_connections=300`,
        `-c shared_buffers=32MB`,
      ].join(' ');
      try {
        // -w -t: a bounded wait until the server accepts connections.
        run('pg_ctl', ['start', '-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', String(START_TIMEOUT_S), '-o', options]);
        watchdog = startWatchdog(dir, data, bin, asRoot);
        return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stopSync };
      } catch (err) {
        lastError = err; // Most likely the port was taken between probing and binding; try another.
      }
    }
    throw new Error(`pg_ctl start failed: ${describe(lastError)}\n${readLog(dir)}`);
  } catch (err) {
    stopSync();
    throw err;
  }
}

/**
 * If the vitest process dies without running its teardown (SIGKILL), a detached shell notices the parent is
 * gone and stops the cluster and deletes its folder, so no postgres is left behind.
 */
function startWatchdog(dir: string, data: string, bin: string, asRoot: boolean): number | undefined {
  const pgCtl = `${asRoot ? 'runuser -u postgres -- ' : ''}'${path.join(bin, 'pg_ctl')}'`;
  const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 2; done; ${pgCtl} stop -D '${data}' -m immediate -w -t ${STOP_TIMEOUT_S} >/dev/null 2>&1; rm -rf '${dir}'`;
  const child = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  child.unref();
  return child.pid;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function describe(err: unknown): string {
  const e = err as { message?: string; stderr?: Buffer };
  return [e?.message, e?.stderr?.toString()].filter(Boolean).join('\n');
}

function readLog(dir: string): string {
  try {
    return fs.readFileSync(path.join(dir, 'server.log'), 'utf8').slice(-2000);
  } catch {
    return '';
  }
}
