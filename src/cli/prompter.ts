import { CliError, EXIT } from './cli-error';

/** The questions `init` may ask. The default asks on the terminal with @inquirer/prompts. */
export interface Prompter {
  input(q: { message: string; default?: string; validate?: (value: string) => true | string }): Promise<string>;
  password(q: { message: string; validate?: (value: string) => true | string }): Promise<string>;
  select<T extends string>(q: { message: string; choices: readonly { name: string; value: T }[]; default?: T }): Promise<T>;
  confirm(q: { message: string; default?: boolean }): Promise<boolean>;
}

/** Ctrl-C at a question: the operator chose to stop. Exit 130 (128 + SIGINT) without a message. */
export function interrupted(): CliError {
  return new CliError('', EXIT.interrupted);
}

/** @inquirer/prompts rejects with ExitPromptError when the prompt is closed with Ctrl-C (or Ctrl-D). */
async function asked<T>(question: () => Promise<T>): Promise<T> {
  try {
    return await question();
  } catch (err) {
    if (err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError')) throw interrupted();
    throw err;
  }
}

/** Loaded lazily: the prompt library is only needed by an interactive `init`. */
export function createTerminalPrompter(output: NodeJS.WritableStream = process.stderr, input?: NodeJS.ReadableStream): Prompter {
  const lib = () => import('@inquirer/prompts');
  const context = { output, ...(input && { input }) };
  return {
    input: (q) => asked(async () => (await lib()).input({ message: q.message, default: q.default, validate: q.validate, required: true }, context)),
    password: (q) => asked(async () => (await lib()).password({ message: q.message, mask: '*', validate: q.validate }, context)),
    select: (q) => asked(async () => (await lib()).select({ message: q.message, choices: [...q.choices], default: q.default }, context)),
    confirm: (q) => asked(async () => (await lib()).confirm({ message: q.message, default: q.default }, context)),
  };
}
