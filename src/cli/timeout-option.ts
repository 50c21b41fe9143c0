import { CliError, EXIT } from './cli-error';

export const TIMEOUT_OPTION_HELP = 'seconds each online check may take (1-120)';

/** `--timeout <seconds>` of `doctor` and `init`, in milliseconds; a bad value is a usage error. */
export function parseTimeoutOption(text: string): number {
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !(seconds >= 1 && seconds <= 120)) {
    throw new CliError(`--timeout: "${text}" is not a number of seconds between 1 and 120`, EXIT.usage);
  }
  return Math.round(seconds * 1000);
}
