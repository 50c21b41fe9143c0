import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config/load-config';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/index';
import { startFakeKaltura, type FakeKaltura } from '../fakes/kaltura/index';
import { captureLogger } from '../helpers/capture-logger';
import { GOOD } from '../helpers/config-fixtures';
import { freePort } from '../helpers/free-port';
import { createTestPostgresDatabase, type TestPostgresDatabase } from '../helpers/stores';
import { campusGuild, IDS } from './meeting-harness';

const ROOT = path.resolve(__dirname, '../..');

/** The second instance: the real CLI (`serve`) in its own process, so it can be SIGKILLed mid-work. */
export interface ChildInstance {
  readonly url: string;
  readonly child: ChildProcess;
  stderr(): string;
  /** SIGKILL: no shutdown, leases and connections left as they were. */
  kill(): Promise<void>;
}

export interface TwoInstances {
  /** Instance A, in this process (its clock can be moved forward: "time passes" for the survivor). */
  readonly a: App;
  readonly aUrl: string;
  readonly b: ChildInstance;
  readonly discord: FakeDiscord;
  readonly kaltura: FakeKaltura;
  readonly logs: ReturnType<typeof captureLogger>;
  /** Moves instance A's clock forward (leases written by B then look as old as they would after that long). */
  advanceA(ms: number): void;
  close(): Promise<void>;
}

/**
 * Two instances of the bot on one PostgreSQL database, as in a scaled deployment (the Activity on):
 * `discord.mode: http`
 * (no gateway session to clash over; the fake Discord posts interactions to A, the load balancer's choice),
 * the same fake Kaltura and fake Discord, each instance on its own port. Webhooks and join links can be
 * sent to either.
 */
export async function startTwoInstances(dir: string): Promise<TwoInstances> {
  const kaltura = await startFakeKaltura();
  const discord = await startFakeDiscord({
    applicationId: IDS.app,
    token: GOOD.token,
    guilds: [campusGuild([{ id: IDS.announcements, name: 'announcements' }])],
  });
  let database: TestPostgresDatabase | undefined;
  let b: ChildInstance | undefined;
  let a: App | undefined;
  const closeAll = async () => {
    await b?.kill();
    await a?.stop();
    await database?.drop();
    await discord.close();
    await kaltura.close();
  };
  try {
    database = await createTestPostgresDatabase();
    const yaml = (port: number) => `discord:
  token: ${GOOD.token}
  applicationId: "${IDS.app}"
  apiBaseUrl: ${discord.apiBaseUrl}
  mode: http
  publicKey: ${discord.verifyKey}
  clientSecret: ${discord.clientSecret}
kaltura:
  partnerId: ${kaltura.partnerId}
  adminSecret: ${kaltura.adminSecret}
  serviceUrl: ${kaltura.url}
  kafUrl: ${kaltura.kafUrl}
  requestTimeout: 5s
  cdnUrl: ${kaltura.url}
http:
  listen: 127.0.0.1:${port}
  publicUrl: http://127.0.0.1:${port}
links:
  secret: ${GOOD.linkSecret}
storage:
  driver: postgres
  url: ${database!.url}
  poolSize: 4
defaults:
  roles:
    moderatorRoleIds: ["${IDS.teachersRole}"]
`;
    const [portA, portB] = [await freePort(), await freePort()];
    fs.writeFileSync(path.join(dir, 'a.yaml'), yaml(portA), { mode: 0o600 });
    fs.writeFileSync(path.join(dir, 'b.yaml'), yaml(portB), { mode: 0o600 });
    const logs = captureLogger([GOOD.token, kaltura.adminSecret, GOOD.linkSecret, discord.clientSecret]);
    let skew = 0;
    a = await createApp({ config: loadConfig(path.join(dir, 'a.yaml'), {}), logger: logs.logger, clock: { now: () => Date.now() + skew }, reconcileEveryMs: 200 });
    await a.start();
    discord.setInteractionsEndpointUrl(`http://127.0.0.1:${portA}/interactions`);
    b = await startChild(path.join(dir, 'b.yaml'), dir);
    const app = a;
    return {
      a: app, aUrl: `http://127.0.0.1:${portA}`, b, discord, kaltura, logs,
      advanceA: (ms) => void (skew += ms),
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

/** `kaltura-discord serve` from the sources (no bundle needed), started like an operator would. */
async function startChild(configFile: string, cwd: string): Promise<ChildInstance> {
  const child = spawn(process.execPath, ['--import', pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href, path.join(ROOT, 'bin/kaltura-discord.ts'), 'serve', '--config', configFile], {
    cwd,
    env: { PATH: process.env.PATH, HOME: cwd },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A test that times out before its cleanup must not leave a serve process behind: the worker's exit takes it along.
  const reap = (): void => void child.kill('SIGKILL');
  process.once('exit', reap);
  void exited.then(() => process.off('exit', reap));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`instance B did not start within 30s:\n${err}`)), 30_000);
    child.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
      const m = /listening on (http:\/\/\S+?)["\s]/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.stdout!.on('data', () => {});
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`instance B exited before listening:\n${err}`));
    });
  }).catch(async (e: unknown) => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
    throw e;
  });
  return {
    url, child,
    stderr: () => err,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
