import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commentedConfig, GOOD } from '../../helpers/config-fixtures';
import { startServe, type ServeProcess } from '../../helpers/spawn-serve';
import { useTempDirs } from '../../helpers/temp-dir';
import { useFakeServices } from '../../helpers/use-fake-services';

/**
 * systemd readiness through the bundled CLI: a fake `systemd-notify` first on PATH records its
 * arguments (one line per call) and the environment it saw.
 */
describe('serve under systemd (Type=notify)', () => {
  const tempDir = useTempDirs();
  const running: ServeProcess[] = [];
  const fakes = useFakeServices();
  afterEach(async () => {
    for (const p of running.splice(0)) await p.stop('SIGKILL');
  });

  function setup() {
    const cwd = tempDir();
    const text = commentedConfig({ listen: '127.0.0.1:0' })
      .replace('discord:\n', `discord:\n  apiBaseUrl: ${fakes.discord.apiBaseUrl}\n`)
      .replace('  serviceUrl: https://www.kaltura.com', `  serviceUrl: ${fakes.kaltura.url}\n  kafUrl: ${fakes.kaltura.kafUrl}`);
    fs.writeFileSync(path.join(cwd, 'kaltura-discord.yaml'), text, { mode: 0o600 });
    const bin = path.join(cwd, 'bin');
    fs.mkdirSync(bin);
    const record = path.join(cwd, 'notify.log');
    fs.writeFileSync(path.join(bin, 'systemd-notify'), `#!/bin/sh\nprintf '%s|%s\\n' "$NOTIFY_SOCKET" "$*" >> "${record}"\n`, { mode: 0o755 });
    return { cwd, bin, record, calls: () => (fs.existsSync(record) ? fs.readFileSync(record, 'utf8').trim().split('\n') : []) };
  }

  it('sends READY=1 once it listens and STOPPING=1 on SIGTERM, as the main pid, and logs JSON under journald', async () => {
    const s = setup();
    const serve = await startServe([], { cwd: s.cwd, env: { PATH: `${s.bin}:${process.env.PATH}`, NOTIFY_SOCKET: '/run/systemd/notify-test', JOURNAL_STREAM: '8:12345' } });
    running.push(serve);
    const pid = serve.child.pid!;
    // READY is sent after start() resolved; wait for it without a time assertion.
    for (let i = 0; s.calls().length === 0 && i < 200; i++) await new Promise((r) => setTimeout(r, 50));
    expect(s.calls()).toEqual([expect.stringMatching(new RegExp(`^/run/systemd/notify-test\\|--ready --status=listening on http://127\\.0\\.0\\.1:\\d+ --pid=${pid}$`))]);
    expect(await serve.stop('SIGTERM')).toBe(0);
    for (let i = 0; s.calls().length < 2 && i < 40; i++) await new Promise((r) => setTimeout(r, 50)); // STOPPING=1 is not waited for
    expect(s.calls()).toEqual([expect.stringContaining('--ready'), `/run/systemd/notify-test|STOPPING=1 --status=shutting down (SIGTERM) --pid=${pid}`]);
    // journald: JSON lines, no colour codes
    const lines = serve.stderr().trim().split('\n');
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    expect(serve.stderr()).not.toMatch(/\x1b\[/);
    for (const secret of [GOOD.token, GOOD.adminSecret, GOOD.linkSecret]) expect(serve.stderr() + serve.stdout()).not.toContain(secret);
  });

  it('stops within 5 s even when systemd-notify does not return (a supervisor that never takes the message)', async () => {
    const s = setup();
    fs.writeFileSync(path.join(s.bin, 'systemd-notify'), `#!/bin/sh\nprintf '%s\\n' "$*" >> "${s.record}"\nexec sleep 10\n`, { mode: 0o755 });
    const serve = await startServe([], { cwd: s.cwd, env: { PATH: `${s.bin}:${process.env.PATH}`, NOTIFY_SOCKET: '/run/systemd/notify-test' } });
    running.push(serve);
    for (let i = 0; s.calls().length === 0 && i < 200; i++) await new Promise((r) => setTimeout(r, 50));
    expect(s.calls()).toEqual([expect.stringContaining('--ready')]); // READY=1 is being sent, and hangs
    const started = performance.now();
    expect(await serve.stop('SIGTERM')).toBe(0);
    expect(performance.now() - started).toBeLessThan(5_000); // docs/operations.md: "exits within 5 s"
    for (let i = 0; s.calls().length < 2 && i < 40; i++) await new Promise((r) => setTimeout(r, 50));
    expect(s.calls()).toEqual([expect.stringContaining('--ready'), expect.stringContaining('STOPPING=1')]);
  });

  it('does not run systemd-notify when NOTIFY_SOCKET is unset', async () => {
    const s = setup();
    const serve = await startServe([], { cwd: s.cwd, env: { PATH: `${s.bin}:${process.env.PATH}` } });
    running.push(serve);
    // once ready (the gateway is up), start() has returned and the signal handler is in place
    for (let i = 0; (await fetch(`${serve.url}/readyz`)).status !== 200 && i < 200; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await serve.stop('SIGTERM')).toBe(0);
    expect(s.calls()).toEqual([]);
  });

  it('keeps serving, with a warning, when systemd-notify fails', async () => {
    const s = setup();
    fs.writeFileSync(path.join(s.bin, 'systemd-notify'), '#!/bin/sh\necho "No such file or directory" >&2\nexit 1\n', { mode: 0o755 });
    const serve = await startServe([], { cwd: s.cwd, env: { PATH: `${s.bin}:${process.env.PATH}`, NOTIFY_SOCKET: '/run/systemd/notify-test' } });
    running.push(serve);
    for (let i = 0; !serve.stderr().includes('could not notify systemd') && i < 200; i++) await new Promise((r) => setTimeout(r, 50));
    expect(serve.stderr()).toContain('could not notify systemd');
    expect((await fetch(`${serve.url}/healthz`)).status).toBe(200);
    expect(await serve.stop('SIGTERM')).toBe(0);
  });
});
