import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli';
import { useTempDirs } from '../helpers/temp-dir';
import { startHarness, type Harness } from './meeting-harness';

/**
 * The operator's side of `discord.mode: http`, against the running app: `doctor` requires the
 * portal's Interactions Endpoint URL to be `<publicUrl>/interactions` and that URL to refuse a
 * forged PING (it cannot send a signed one: only Discord holds the key); `register-commands`
 * prints the URL to paste.
 */
describe('doctor and register-commands in discord.mode http', () => {
  const tempDir = useTempDirs();
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('doctor: the portal URL must be ours and the endpoint must refuse a forged PING; register-commands prints the URL to paste', async () => {
    h = await startHarness(tempDir(), { http: true });
    const endpoint = `${h.publicUrl}/interactions`;
    const doctor = async () => (JSON.parse((await runCli(['doctor', '--json'], { cwd: h!.dir })).stdout) as { checks: { id: string; status: string; detail: string; fix?: string }[] }).checks;
    let checks = await doctor();
    expect(checks.find((c) => c.id === 'discord.token')).toMatchObject({ status: 'ok' });
    const probe = checks.find((c) => c.id === 'discord.interactions-endpoint')!;
    expect(probe).toMatchObject({ status: 'ok' });
    expect(probe.detail).toContain('was refused (401)');
    expect(probe.detail).toContain('only Discord holds the private key');

    h.discord.setInteractionsEndpointUrl(null);
    checks = await doctor();
    const token = checks.find((c) => c.id === 'discord.token')!;
    expect(token.status).toBe('fail');
    expect(token.detail).toContain('has no Interactions Endpoint URL');
    expect(token.fix).toContain(`set "Interactions Endpoint URL" to ${endpoint}`);
    h.discord.setInteractionsEndpointUrl('https://elsewhere.example.org/interactions');
    expect((await doctor()).find((c) => c.id === 'discord.token')!.detail).toContain(`is https://elsewhere.example.org/interactions, not this bot's ${endpoint}`);

    h.discord.setInteractionsEndpointUrl(endpoint);
    const set = await runCli(['config', 'set', 'discord.publicKey', 'cd'.repeat(32)], { cwd: h.dir });
    expect(set.code).toBe(0);
    const wrongKey = (await doctor()).find((c) => c.id === 'discord.token')!;
    expect(wrongKey.status).toBe('fail');
    expect(wrongKey.detail).toContain("discord.publicKey is not this application's Public Key");
    expect(wrongKey.fix).toContain(`kaltura-discord config set discord.publicKey ${h.discord.verifyKey}`);

    const registered = await runCli(['register-commands'], { cwd: h.dir });
    expect(registered.code).toBe(0);
    expect(registered.stdout).toContain(`Interactions Endpoint URL (Developer Portal → General Information; serve must be running when you save it): ${endpoint}`);
  }, 60_000);

});
