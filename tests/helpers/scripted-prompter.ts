import type { Prompter } from '../../src/cli/prompter';

/**
 * Answers `init`'s questions from a script keyed by a word of the question, and records what
 * was asked. Each answer still goes through the prompt's own `validate`, like a person retyping.
 */
export function scriptedPrompter(answers: Record<string, string | boolean>): Prompter & { asked: string[] } {
  const asked: string[] = [];
  const answer = (message: string) => {
    asked.push(message);
    const key = Object.keys(answers).find((k) => message.toLowerCase().includes(k.toLowerCase()));
    if (key === undefined) throw new Error(`unexpected question: ${message}`);
    return answers[key]!;
  };
  const checked = (q: { message: string; default?: string; validate?: (v: string) => true | string }) => {
    const a = answer(q.message);
    const v = a === '' && q.default !== undefined ? q.default : String(a);
    const ok = q.validate?.(v) ?? true;
    if (ok !== true) throw new Error(`answer to "${q.message}" rejected: ${ok}`);
    return Promise.resolve(v);
  };
  return {
    asked,
    input: checked,
    password: checked,
    select: (q) => Promise.resolve(answer(q.message) as never),
    confirm: (q) => Promise.resolve(Boolean(answer(q.message))),
  };
}
