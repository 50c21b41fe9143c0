import { describe, expect, it } from 'vitest';
import { defineIntervalJob } from '../../../src/modules/interval-job';
import { captureLogger } from '../../helpers/capture-logger';

/** A leadership that a test hands over and takes back. */
function leadership(leader: boolean) {
  const state = { leader };
  return { state, port: { isLeader: () => state.leader, instanceId: 'test:1' } };
}

/** A pass the test finishes by hand, to hold it "in flight". */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('interval jobs (the reconciler, retention)', () => {
  it('a leader-only job runs only while this instance is the leader, asked before every pass', async () => {
    const lead = leadership(false);
    let passes = 0;
    const job = defineIntervalJob({ name: 'reconciler', leaderOnly: true, everyMs: 3_600_000, runAtStart: false, leadership: lead.port, logger: captureLogger().logger, run: async () => void passes++ });
    job.start();
    await job.trigger();
    expect(passes).toBe(0);
    lead.state.leader = true; // leadership moved here
    await job.trigger();
    expect(passes).toBe(1);
    lead.state.leader = false; // and away again
    await job.trigger();
    expect(passes).toBe(1);
    await job.stop();
  });

  it('a job for every instance runs whoever leads', async () => {
    let passes = 0;
    const job = defineIntervalJob({ name: 'dispatch', leaderOnly: false, everyMs: 3_600_000, runAtStart: false, leadership: leadership(false).port, logger: captureLogger().logger, run: async () => void passes++ });
    await job.trigger();
    expect(passes).toBe(1);
  });

  it('never runs two passes at once: a trigger during a pass joins it', async () => {
    const g = gate();
    let passes = 0;
    const job = defineIntervalJob({ name: 'reconciler', leaderOnly: true, everyMs: 3_600_000, runAtStart: false, leadership: leadership(true).port, logger: captureLogger().logger, run: async () => { passes++; await g.opened; } });
    const first = job.trigger();
    const second = job.trigger();
    g.open();
    await Promise.all([first, second]);
    expect(passes).toBe(1);
    await job.trigger();
    expect(passes).toBe(2);
  });

  it('runs a pass at start when asked; stop waits for the pass in flight, and no pass runs after it', async () => {
    const g = gate();
    let passes = 0;
    let finished = false;
    const job = defineIntervalJob({ name: 'retention', leaderOnly: true, everyMs: 3_600_000, runAtStart: true, leadership: leadership(true).port, logger: captureLogger().logger, run: async () => { passes++; await g.opened; finished = true; } });
    job.start();
    expect(passes).toBe(1);
    const stopped = job.stop();
    g.open();
    await stopped;
    expect(finished).toBe(true);
    await job.trigger();
    job.start();
    expect(passes).toBe(1);
  });

  it('a pass that throws is logged with the job name and the next pass still runs', async () => {
    const logs = captureLogger();
    let passes = 0;
    const job = defineIntervalJob({ name: 'history-retention', leaderOnly: true, everyMs: 3_600_000, runAtStart: false, leadership: leadership(true).port, logger: logs.logger, run: async () => { passes++; if (passes === 1) throw new Error('database is locked'); } });
    await job.trigger();
    await job.trigger();
    expect(passes).toBe(2);
    expect(logs.lines.some((l) => l.msg === 'history-retention failed; will retry' && l.job === 'history-retention')).toBe(true);
  });
});
