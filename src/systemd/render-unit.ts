/**
 * The systemd unit `kaltura-discord service install` writes, as a pure function of a few paths,
 * so `--dry-run`, the installer and `examples/kaltura-discord.service` cannot drift apart.
 * @see https://www.freedesktop.org/software/systemd/man/latest/systemd.exec.html
 * @see https://www.freedesktop.org/software/systemd/man/latest/systemd.service.html
 */

export const UNIT_NAME = 'kaltura-discord.service';
export const UNIT_PATH = `/etc/systemd/system/${UNIT_NAME}`;
/** Secrets as `KALTURA_DISCORD_<SECTION>__<KEY>=…` lines, mode 600, read by systemd (root) only. */
export const ENV_FILE = '/etc/kaltura-discord/env';
/** `CacheDirectory=kaltura-discord`: systemd creates it, owned by the service user. */
export const CACHE_DIR = '/var/cache/kaltura-discord';
export const DEFAULT_USER = 'kaltura-discord';

/**
 * Resource limits, generous for a bot measured at ~155 MiB RSS with 7 threads (the executable,
 * idle, Node 24): they stop a
 * leak or a flood from taking the host down, not normal use. Change them with a drop-in
 * (`systemctl edit kaltura-discord`); docs/operations.md explains each.
 */
export const LIMITS = { memoryMax: '512M', tasksMax: 64, noFile: 4096 } as const;

/**
 * Restart limit. Discord resets a bot's token after 1,000 IDENTIFYs in 24 hours, and every
 * start identifies once. At most `burst` starts per `intervalSec` (manual ones included): a
 * fast crash loop stops after 10 starts, and even crashes paced to stay just under the limit
 * reach at most 10 × 24 = 240 starts a day, a quarter of Discord's limit.
 * @see https://discord.com/developers/docs/events/gateway#session-start-limit-object
 */
export const START_LIMIT = { intervalSec: 3600, burst: 10 } as const;
export const MAX_STARTS_PER_DAY = START_LIMIT.burst * (86_400 / START_LIMIT.intervalSec);

export interface UnitOptions {
  /** The command before `--config`: the executable, or `node` and the bundle. Absolute paths. */
  readonly exec: readonly string[];
  /** Absolute path of the configuration file. */
  readonly configPath: string;
  /** The folder of `storage.path`: the only place the bot writes (besides its cache). */
  readonly dataDir: string;
  readonly user: string;
  /** `http.listen`'s port: below 1024 needs CAP_NET_BIND_SERVICE. */
  readonly port: number;
}

/** Paths go into the unit unquoted; systemd would split them at whitespace and expand `%`. */
export function unitPathProblem(p: string): string | undefined {
  if (!p.startsWith('/')) return 'is not absolute';
  if (/[\s"'\\%;]/.test(p)) return 'contains a space, quote, backslash, % or ; (systemd would misread it); move it';
  return undefined;
}

export function renderServiceUnit(o: UnitOptions): string {
  const lowPort = o.port > 0 && o.port < 1024;
  return `# Written by \`kaltura-discord service install\`; regenerate rather than edit (or use
# \`systemctl edit kaltura-discord\` for a drop-in). Secrets belong in ${ENV_FILE}
# (mode 600, KALTURA_DISCORD_DISCORD__TOKEN=… lines), not in this file.
[Unit]
Description=Kaltura meetings in Discord (kaltura-discord)
Wants=network-online.target
After=network-online.target
# At most ${START_LIMIT.burst} starts per ${START_LIMIT.intervalSec / 60} minutes, manual ones included: a crash loop stops
# well before Discord's 1,000 logins (IDENTIFY) a day, which would reset the bot token. After a
# fix: systemctl reset-failed kaltura-discord && systemctl start kaltura-discord
StartLimitIntervalSec=${START_LIMIT.intervalSec}
StartLimitBurst=${START_LIMIT.burst}

[Service]
# serve reports READY=1 once it listens and the gateway is connecting, STOPPING=1 on shutdown,
# through systemd-notify (a child process, hence NotifyAccess=all).
Type=notify
NotifyAccess=all
ExecStart=${[...o.exec, '--config', o.configPath, 'serve'].join(' ')}
User=${o.user}
Group=${o.user}
EnvironmentFile=-${ENV_FILE}
Environment=KALTURA_DISCORD_CACHE_DIR=${CACHE_DIR}
CacheDirectory=kaltura-discord
CacheDirectoryMode=0700
UMask=0077
Restart=on-failure
RestartSec=5s
# 78 = invalid configuration: restarting cannot help, so systemd stops and the journal says why.
RestartPreventExitStatus=78
TimeoutStartSec=120s
TimeoutStopSec=30s
# Limits (docs/operations.md): memory, threads and processes, open files and sockets.
MemoryMax=${LIMITS.memoryMax}
TasksMax=${LIMITS.tasksMax}
LimitNOFILE=${LIMITS.noFile}

# Hardening: the bot needs the network, its data folder and its cache, nothing else.
NoNewPrivileges=yes
ProtectSystem=strict
ReadWritePaths=${o.dataDir}
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
ProtectProc=invisible
ProcSubset=pid
PrivateIPC=yes
RemoveIPC=yes
PrivateMounts=yes
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX
RestrictNamespaces=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
LockPersonality=yes
SystemCallArchitectures=native
SystemCallFilter=@system-service
SystemCallFilter=~@privileged @resources
# A refused call fails with EPERM instead of killing the process (Node tries setrlimit at start
# and carries on when it is refused).
SystemCallErrorNumber=EPERM
CapabilityBoundingSet=${lowPort ? 'CAP_NET_BIND_SERVICE' : ''}
AmbientCapabilities=${lowPort ? 'CAP_NET_BIND_SERVICE' : ''}
# No MemoryDenyWriteExecute=yes: V8's JIT needs memory that is writable and then executable,
# and Node aborts at start under it.

[Install]
WantedBy=multi-user.target
`;
}
