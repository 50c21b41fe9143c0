/**
 * Interaction acknowledgement latency: from the fake Discord dispatching INTERACTION_CREATE to
 * the bot's callback arriving, through the real app (gateway transport, dispatcher,
 * preconditions, meeting service, SQLite). Baseline in the same run: a bare discord.js client
 * that answers every interaction at once with a fixed reply.
 *   npx tsx bench/interaction-bench.ts [interactionsPerKind]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Events, MessageFlags } from 'discord.js';
import { startFakeDiscord } from '../tests/fakes/discord/index';
import { loginTestClient } from '../tests/fakes/discord/test-client';
import { GOOD } from '../tests/helpers/config-fixtures';
import { IDS, members, startHarness } from '../tests/e2e/meeting-harness';
import { median, percentile, table } from './stats';

const n = Number(process.argv[2] ?? 200);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kd-ack-bench-'));
const h = await startHarness(dir);

// Baseline: a second fake Discord with a bare client that replies immediately.
const bareDiscord = await startFakeDiscord({ applicationId: IDS.app, token: GOOD.token, guilds: [{ id: IDS.guild, name: 'Campus', channels: [{ id: IDS.channel, name: 'lectures' }], roles: [] }] });
const bare = await loginTestClient(bareDiscord);
bare.client.on(Events.InteractionCreate, (i) => {
  if (i.isChatInputCommand()) void i.reply({ content: 'ok', flags: MessageFlags.Ephemeral });
});
await bareDiscord.waitForIdentify();

// A live meeting so join has something to link to.
const started = h.discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.host, name: 'kaltura', subcommand: 'start', options: { title: 'Bench' } });
await started.reply();
const meetingId = h.app.db.prepare("SELECT id FROM meetings WHERE status = 'live'").get() as { id: string };

const kinds = {
  'bare discord.js reply (baseline)': () => bareDiscord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.student, name: 'ping', options: {} }),
  '/kaltura list (reads SQLite, replies)': () => h.discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.student, name: 'kaltura', subcommand: 'list', options: {} }),
  '/kaltura join (signs a link, replies)': () => h.discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.student, name: 'kaltura', subcommand: 'join', options: { meeting: meetingId.id } }),
  '/kaltura end, refused (defers first)': () => h.discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.student, name: 'kaltura', subcommand: 'end', options: { meeting: meetingId.id } }),
};
const latencies: Record<string, number[]> = Object.fromEntries(Object.keys(kinds).map((k) => [k, []]));
for (let i = 0; i < n; i++) {
  for (const [name, invoke] of Object.entries(kinds)) {
    const handle = invoke();
    latencies[name]!.push((await handle.acknowledged).latencyMs);
    await handle.reply();
  }
}
const base = median(latencies['bare discord.js reply (baseline)']!);
console.log(`interaction acknowledgement, ${n} of each, interleaved, ${os.cpus().length} cores, node ${process.version}`);
console.log(table(['interaction', 'median ms', 'p99 ms', 'max ms', 'x baseline (median)'], Object.entries(latencies).map(([k, v]) => [k, median(v).toFixed(2), percentile(v, 99).toFixed(2), Math.max(...v).toFixed(2), (median(v) / base).toFixed(2)])));

await bare.destroy();
await bareDiscord.close();
await h.close();
fs.rmSync(dir, { recursive: true, force: true });
