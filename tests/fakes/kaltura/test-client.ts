import kaltura from 'kaltura-client';
import type { FakeKaltura } from './types';

/**
 * The real `kaltura-client`, pointed at a fake, with loose typings for tests: `src/kaltura`'s
 * declaration covers only what the adapter uses, while tests drive more of the API. Results
 * are parsed JSON, typed `any` on purpose (it is the JSON edge the tests inspect).
 */

type ServiceName =
  | 'session' | 'appToken' | 'scheduleResource' | 'scheduleEvent' | 'scheduleEventResource'
  | 'media' | 'eSearch' | 'user' | 'eventNotificationTemplate' | 'category';
type ActionName =
  | 'start' | 'startWidgetSession' | 'get' | 'end' | 'startSession' | 'add' | 'update' | 'deleteAction'
  | 'listAction' | 'cancel' | 'searchEntry' | 'cloneAction' | 'listTemplates' | 'updateStatus';

export interface TestRequest {
  execute(client: TestClient): Promise<any>;
  add(other: TestRequest): TestRequest;
}

export interface TestClient {
  setKs(ks: string): void;
  getKs(): string | undefined;
  startMultiRequest(): TestRequest;
}

interface TestConfiguration {
  serviceUrl: string;
  timeout: number;
  setLogger(logger: { log(m: string): void; error(m: string): void; debug(m: string): void }): void;
}

interface LooseKaltura {
  Configuration: new () => TestConfiguration;
  Client: new (config: TestConfiguration) => TestClient;
  services: Record<ServiceName, Record<ActionName, (...args: unknown[]) => TestRequest>>;
  objects: Record<string, new () => Record<string, unknown>>;
}

export const k = kaltura as unknown as LooseKaltura;

/** A silenced client (pitfall P1: the default logger prints secrets) for the fake, optionally with a KS. */
export function createTestClient(fake: Pick<FakeKaltura, 'url'>, opts: { ks?: string; timeoutMs?: number } = {}): TestClient {
  const config = new k.Configuration();
  config.serviceUrl = fake.url;
  if (opts.timeoutMs !== undefined) config.timeout = opts.timeoutMs;
  config.setLogger({ log() {}, error() {}, debug() {} });
  const client = new k.Client(config);
  if (opts.ks !== undefined) client.setKs(opts.ks);
  return client;
}

/** Builds a model object the way callers do: `Object.assign(new objects.X(), fields)`. */
export function kalturaObject(className: string, fields: Record<string, unknown>): Record<string, unknown> {
  const ctor = k.objects[className];
  if (!ctor) throw new Error(`kaltura-client has no objects.${className}`);
  return Object.assign(new ctor(), fields);
}

/** Awaits a request expected to fail and returns what it rejected with. */
export async function rejectionOf(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the request to be rejected, but it resolved');
}
