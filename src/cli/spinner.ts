import type { CliOutput } from './cli-io';

/**
 * Shows progress while awaiting `work`: an animated spinner on a terminal, one plain line
 * otherwise (logs and CI). Returns what `work` returns, or rethrows.
 */
export async function withSpinner<T>(out: CliOutput, text: string, work: () => Promise<T>, done: (result: T) => string): Promise<T> {
  if (!out.isTTY) {
    out.write(`${text}…\n`);
    const result = await work();
    out.write(`  ${done(result)}\n`);
    return result;
  }
  const { default: yoctoSpinner } = await import('yocto-spinner');
  const spinner = yoctoSpinner({ text, stream: out as NodeJS.WriteStream }).start();
  try {
    const result = await work();
    spinner.success(`${text}: ${done(result)}`);
    return result;
  } catch (err) {
    spinner.error(`${text}: failed`);
    throw err;
  }
}
