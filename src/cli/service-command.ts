import type { Command } from 'commander';
import { DEFAULT_USER } from '../systemd/render-unit';
import { CliError } from './cli-error';
import type { CommandContext } from './command-context';
import { applyInstall, currentExec, NEXT_STEPS, planInstall, systemHost, type ServiceHost } from './service-install';

interface InstallOptions {
  user: string;
  dryRun?: boolean;
}

/**
 * `kaltura-discord service install`: a hardened systemd unit for `serve`. `--dry-run` prints the
 * unit (the planned commands as `#` comments, so the output is itself a valid unit file) and
 * touches nothing; without it, root and a running systemd are required.
 */
export function registerServiceCommand(program: Command, ctx: CommandContext, host: ServiceHost = systemHost): void {
  const service = program.command('service').description('run the bot as a system service (systemd)');
  service
    .command('install')
    .description(`write ${host.unitPath} (a dedicated user, Type=notify, sandboxed) and reload systemd`)
    .option('--user <name>', 'the system user the service runs as (created with useradd --system if missing)', DEFAULT_USER)
    .option('--dry-run', 'print the unit and the commands; change nothing (no root needed)')
    .addHelpText('after', '\nThe configuration is the global --config (e.g. `service install --config /etc/kaltura-discord/kaltura-discord.yaml`).')
    .action((opts: InstallOptions) => {
      const { io } = ctx;
      const write = (s: string) => void io.stdout.write(s);
      if (!opts.dryRun) {
        if (!host.hasSystemd()) throw new CliError('systemd is not running on this machine (no /run/systemd/system); run `kaltura-discord serve` under your own supervisor, or add --dry-run to only print the unit');
        if (!host.isRoot()) throw new CliError(`installing a service needs root: run it with sudo (it writes ${host.unitPath} and may create a user), or add --dry-run to only print the unit`);
      }
      const userMissing = !host.userExists(opts.user);
      const plan = planInstall({ configPath: ctx.configPath(), user: opts.user, exec: currentExec(), host, userMissing });
      if (opts.dryRun) {
        write(`# dry run: nothing was written. \`service install\` would run, as root:\n`);
        for (const c of plan.commands) write(`#   ${c.join(' ')}${c[0] === 'systemctl' ? `   (after writing ${plan.unitPath}, mode 644)` : ''}\n`);
        for (const p of plan.problems) write(`# PROBLEM: ${p}\n`);
        write(`# then:\n${NEXT_STEPS.map((s) => `#   ${s}\n`).join('')}#\n# ${plan.unitPath}:\n${plan.unit}`);
        return;
      }
      if (plan.problems.length > 0) throw new CliError(plan.problems.join('\n'));
      applyInstall(plan, host);
      write(`${userMissing ? `created system user ${opts.user}\n` : ''}wrote ${plan.unitPath} and reloaded systemd\n\nnext:\n${NEXT_STEPS.map((s) => `  ${s}\n`).join('')}`);
    });
}
