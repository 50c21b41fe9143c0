import { afterEach, beforeEach, expect, it } from 'vitest';
import { createKaltura, type Kaltura } from '../../../src/kaltura/create-kaltura';
import { startFakeKaltura, type FakeKaltura } from '../../fakes/kaltura/index';
import { configFor, createCapturingLogger, FAST_RETRY } from './helpers';

let fake: FakeKaltura;
let kaltura: Kaltura;
const warnings: Error[] = [];
const onWarning = (w: Error) => void warnings.push(w);

beforeEach(async () => {
  fake = await startFakeKaltura();
  kaltura = createKaltura({ config: configFor(fake), logger: createCapturingLogger(), clock: { now: () => Date.now() }, retry: FAST_RETRY });
  warnings.length = 0;
  process.on('warning', onWarning);
});
afterEach(async () => {
  process.off('warning', onWarning);
  await kaltura.close();
  await fake.close();
});

// A busy server has many Kaltura calls in flight at once (members joining, the poller, cleanup
// jobs); that is normal and must not print Node's "possible memory leak" warning in the log.
it('many calls in flight at once answer and print no MaxListeners warning', async () => {
  const answers = await Promise.all(Array.from({ length: 25 }, (_, i) => kaltura.categories.get(1_000 + i)));
  expect(answers).toEqual(Array.from({ length: 25 }, () => undefined));
  await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
  expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
});
