/** One problem found in the configuration, located as precisely as we can. */
export interface ConfigIssue {
  /** Dotted key path, e.g. `discord.token`; empty for the whole file. */
  readonly path: string;
  readonly message: string;
  /** 1-based position in the YAML file, when the problem is in the file. */
  readonly line?: number;
  readonly column?: number;
  /** The environment variable the value came from, when it came from the environment. */
  readonly envVar?: string;
}

/** The configuration cannot be used; carries every problem found, not only the first. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly file: string,
    readonly issues: readonly ConfigIssue[],
    options?: { cause?: unknown },
  ) {
    super(
      issues.length === 1
        ? `invalid configuration: ${formatConfigIssue(file, issues[0]!)}`
        : `invalid configuration: ${issues.length} problems in ${file}`,
      options,
    );
  }
}

/** `file:line:col: key: message` — the shape editors and terminals make clickable. */
export function formatConfigIssue(file: string, issue: ConfigIssue): string {
  const where = issue.envVar
    ? `environment variable ${issue.envVar}`
    : issue.line !== undefined
      ? `${file}:${issue.line}:${issue.column ?? 1}`
      : file;
  const key = issue.path ? `${issue.path}: ` : '';
  return `${where}: ${key}${issue.message}`;
}
