/** The questions `init` may ask. The default asks on the terminal with @inquirer/prompts. */
export interface Prompter {
  input(q: { message: string; default?: string; validate?: (value: string) => true | string }): Promise<string>;
  password(q: { message: string; validate?: (value: string) => true | string }): Promise<string>;
  select<T extends string>(q: { message: string; choices: readonly { name: string; value: T }[]; default?: T }): Promise<T>;
  confirm(q: { message: string; default?: boolean }): Promise<boolean>;
}

/** Loaded lazily: the prompt library is only needed by an interactive `init`. */
export function createTerminalPrompter(output: NodeJS.WritableStream = process.stderr): Prompter {
  const lib = () => import('@inquirer/prompts');
  const context = { output };
  return {
    async input(q) {
      return (await lib()).input({ message: q.message, default: q.default, validate: q.validate, required: true }, context);
    },
    async password(q) {
      return (await lib()).password({ message: q.message, mask: '*', validate: q.validate }, context);
    },
    async select(q) {
      return (await lib()).select({ message: q.message, choices: [...q.choices], default: q.default }, context);
    },
    async confirm(q) {
      return (await lib()).confirm({ message: q.message, default: q.default }, context);
    },
  };
}
