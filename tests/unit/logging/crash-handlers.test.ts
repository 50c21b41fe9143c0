import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../../src/cli/cli-error';
import { installCrashHandlers } from '../../../src/logging/crash-handlers';

function fakeProcess() {
  const proc = new EventEmitter();
  const lines: string[] = [];
  const exits: number[] = [];
  const cleanups: string[] = [];
  return { proc: proc as unknown as NodeJS.Process & EventEmitter, lines, exits, cleanups };
}

describe('crash handlers', () => {
  it('an unhandled rejection is logged once, cleaned up after, and exits with the distinct crash code', () => {
    const { proc, lines, exits, cleanups } = fakeProcess();
    installCrashHandlers(proc, { exitCode: EXIT.crashed, exit: (c) => exits.push(c), report: (summary) => lines.push(summary), cleanup: () => cleanups.push('checkpoint') });
    proc.emit('unhandledRejection', new Error('boom\nsecond line'), Promise.resolve());
    proc.emit('unhandledRejection', new Error('echo of the first'), Promise.resolve());
    proc.emit('uncaughtException', new Error('another echo'));
    expect(lines).toEqual([`crashed: unhandled promise rejection: boom; exiting with code ${EXIT.crashed}`]);
    expect(cleanups).toEqual(['checkpoint']);
    expect(exits).toEqual([EXIT.crashed]);
    expect(EXIT.crashed).not.toBe(EXIT.software);
    expect(Object.values(EXIT).filter((c) => c === EXIT.crashed)).toHaveLength(1);
  });

  it('an uncaught exception of a non-Error value still says what it was', () => {
    const { proc, lines, exits } = fakeProcess();
    installCrashHandlers(proc, { exitCode: 71, exit: (c) => exits.push(c), report: (summary) => lines.push(summary) });
    proc.emit('uncaughtException', 'a string');
    expect(lines).toEqual(['crashed: uncaught exception: non-error value: a string; exiting with code 71']);
    expect(exits).toEqual([71]);
  });

  it('a fallback stands aside for a command that installed its own, and the command can uninstall', () => {
    const { proc, lines, exits } = fakeProcess();
    installCrashHandlers(proc, { fallback: true, exitCode: 71, exit: (c) => exits.push(c), report: (s) => lines.push(`fallback ${s}`) });
    const uninstall = installCrashHandlers(proc, { exitCode: 71, exit: (c) => exits.push(c), report: (s) => lines.push(`serve ${s}`) });
    proc.emit('uncaughtException', new Error('first'));
    expect(lines).toEqual(['serve crashed: uncaught exception: first; exiting with code 71']);
    uninstall();
    lines.length = 0;
    proc.emit('uncaughtException', new Error('after serve stopped'));
    expect(lines).toEqual(['fallback crashed: uncaught exception: after serve stopped; exiting with code 71']);
  });
});
