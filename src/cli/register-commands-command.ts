import type { Command } from 'commander';
import type { APIApplicationCommand } from 'discord-api-types/v10';
import { loadConfig } from '../config/load-config';
import { commandDefinitions } from '../discord/commands/kaltura-command';
import { planCommandSync, type CommandSyncPlan } from '../discord/command-sync';
import { interactionsEndpointUrl } from '../discord/http-interactions/interactions-endpoint';
import { CliError, EXIT } from './cli-error';
import type { CommandContext } from './command-context';

function printPlan(plan: CommandSyncPlan, write: (line: string) => void): void {
  for (const name of plan.added) write(`  + ${name} (new)`);
  for (const c of plan.changed) {
    write(`  ~ ${c.name}`);
    for (const d of c.differences) write(`      ${d}`);
  }
  for (const name of plan.removed) write(`  - ${name} (no longer defined; will be removed)`);
  for (const name of plan.kept) write(`  = ${name} (Activity entry point, kept)`);
  for (const name of plan.unchanged) write(`  = ${name} (up to date)`);
}

/**
 * Compares the slash commands this release defines with what Discord has and writes only
 * when they differ. `serve` never does this by itself: registration is an operator's act.
 * @see https://discord.com/developers/docs/interactions/application-commands#bulk-overwrite-global-application-commands
 */
export function registerRegisterCommandsCommand(program: Command, ctx: CommandContext): void {
  program
    .command('register-commands')
    .description('register the slash commands with Discord (writes only what changed)')
    .option('--guild <id>', 'register in one server only (instant; for testing)')
    .option('--dry-run', 'show what would change, write nothing')
    .action(async (opts: { guild?: string; dryRun?: boolean }) => {
      if (opts.guild !== undefined && !/^[0-9]{17,20}$/.test(opts.guild)) throw new CliError('--guild must be a server id (17 to 20 digits)', EXIT.usage);
      const config = loadConfig(ctx.configPath(), ctx.io.env);
      const { REST, Routes, DiscordAPIError } = await import('discord.js');
      const rest = new REST({ api: config.discord.apiBaseUrl, retries: 2, timeout: 15_000 }).setToken(config.discord.token);
      const appId = config.discord.applicationId;
      const route = opts.guild ? Routes.applicationGuildCommands(appId, opts.guild) : Routes.applicationCommands(appId);
      const out = (line: string) => void ctx.io.stdout.write(`${line}\n`);
      try {
        const remote = (await rest.get(route)) as APIApplicationCommand[];
        const plan = planCommandSync(commandDefinitions, remote, opts.guild ? 'guild' : 'global');
        out(`${opts.guild ? `Commands of server ${opts.guild}` : 'Global commands'} for application ${appId}:`);
        printPlan(plan, out);
        if (!plan.needsWrite) out('Nothing to change.');
        else if (opts.dryRun) out('Dry run: nothing was written.');
        else {
          await rest.put(route, { body: plan.body });
          out(`Registered ${plan.body.length} command(s).${opts.guild ? '' : ' Global changes can take a few minutes to show in every client.'}`);
        }
        // discord.mode http: Discord delivers the commands to this URL once it is saved in the portal.
        if (config.discord.mode === 'http') {
          out(`Interactions Endpoint URL (Developer Portal → General Information; serve must be running when you save it): ${interactionsEndpointUrl(config.http.publicUrl)}`);
        }
      } catch (err) {
        if (err instanceof DiscordAPIError) {
          const hint = err.status === 401 ? ' (the bot token is wrong: kaltura-discord config set discord.token -)' : err.status === 403 || err.code === 50001 ? ' (is the bot in that server?)' : '';
          throw new CliError(`Discord refused: ${err.message} (HTTP ${err.status}, code ${String(err.code)})${hint}`, EXIT.failure, { cause: err });
        }
        throw new CliError(`could not reach Discord at ${config.discord.apiBaseUrl}: ${(err as Error).message}`, EXIT.failure, { cause: err });
      }
    });
}
