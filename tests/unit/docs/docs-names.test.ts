import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../src/cli/build-program';
import { configSchema, schemaNodeAt } from '../../../src/config/config-keys';
import { evaluateConfig } from '../../../src/config/evaluate-config';

/**
 * The docs cannot drift from the program: every environment variable, configuration key and
 * command line that README.md and docs/*.md mention must exist in the schema and the CLI.
 * (docs/operations.md once told operators to write KALTURA_DISCORD_KALTURA__ADMINSECRET=, a
 * name the bot refuses with exit 78, so the service never started.)
 */
const ROOT = path.join(__dirname, '../../..');
const DOCS = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

interface Mention {
  readonly file: string;
  readonly line: number;
  readonly text: string;
  /** The fenced block's language (`ts`, `sh`, …); empty for a code span. */
  readonly lang: string;
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

/** Every code span and fenced block, with where it starts (names only count inside code). */
function codeOf(file: string): Mention[] {
  const text = read(file);
  const out: Mention[] = [];
  const fences = /^```([^\n]*)\n([\s\S]*?)^```/gm;
  let rest = text;
  for (const m of text.matchAll(fences)) {
    out.push({ file, line: lineOf(text, m.index) + 1, text: m[2]!, lang: m[1]!.trim() });
    rest = rest.replace(m[0], (s) => s.replace(/[^\n]/g, ' ')); // keep line numbers for the spans below
  }
  for (const m of rest.matchAll(/`([^`\n]+)`/g)) out.push({ file, line: lineOf(rest, m.index), text: m[1]!, lang: '' });
  return out;
}

const ALL_CODE = DOCS.flatMap(codeOf);
/** file:line of a mention, or of a position inside it. */
const where = (m: Mention, index = 0) => `${m.file}:${m.line + m.text.slice(0, index).split('\n').length - 1}`;

// ---- environment variables -------------------------------------------------------------------

/** The bot's own verdict: a name it does not know is an issue "is not a configuration variable". */
function envNameKnown(name: string): boolean {
  return !evaluateConfig('', 'docs.yaml', { [name]: '1' }).issues.some((i) => i.envVar === name && i.path === '');
}

// ---- configuration keys ----------------------------------------------------------------------

const SECTIONS = Object.keys(configSchema.properties ?? {});
const KEY_AT_START = new RegExp(`^(?:${SECTIONS.join('|')})(?:\\.[A-Za-z][A-Za-z0-9]*)+(?=$|[\\s:=,)\\]])`);

/** Dotted names the code itself defines, such as doctor's check ids (`kaltura.credentials`). */
function dottedNamesInSource(dir: string, into = new Set<string>()): Set<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) dottedNamesInSource(p, into);
    else if (entry.name.endsWith('.ts')) for (const m of fs.readFileSync(p, 'utf8').matchAll(/['`]([a-z][a-zA-Z]*(?:\.[a-z][a-zA-Z-]*)+)['`]/g)) into.add(m[1]!);
  }
  return into;
}
const SOURCE_NAMES = dottedNamesInSource(path.join(ROOT, 'src'));
/** Libraries, files and host names whose names look like keys (`discord.js`, `discord.com`, `kaltura.com`). */
const NOT_KEYS = new Set(['discord.js']);
const HOST_NAME = /\.(com|org|net|io|gg|dev|app|co|media|gov|edu)$/;

/** A key of the file, or a per-server setting (a `defaults` key without the prefix), or a name the code defines. */
function keyExists(key: string): boolean {
  const segments = key.split('.');
  return NOT_KEYS.has(key) || HOST_NAME.test(key) || SOURCE_NAMES.has(key) || schemaNodeAt(segments) !== undefined || schemaNodeAt(['defaults', ...segments]) !== undefined;
}

// ---- command lines ---------------------------------------------------------------------------

const program = buildProgram({
  stdout: { write: () => true },
  stderr: { write: () => true },
  stdin: Readable.from([]),
  env: {},
  cwd: ROOT,
  waitForSignal: () => new Promise(() => {}),
});

/** The names the executable goes by in the docs: the program, installed or beside the reader. */
const INVOCATION = /(?:^|&&|;|\$\(|\|)[ \t]*(?:\$[ \t]+)?(?:sudo[ \t]+)?(?:\.\/|\/opt\/kaltura-discord\/|dist\/)?kaltura-discord(?=[ \t]|$)([^\n]*)/gm;
const STOP = /^(#|\||\|\||&&|;|>|>>|2>&1|<|\$\(|`)$/;

/** Checks `args` (what follows the executable) against the commander program; returns the problems. */
function checkCommandLine(args: readonly string[]): string[] {
  const problems: string[] = [];
  let command: Command = program;
  const chain: Command[] = [program];
  let descending = true;
  for (let i = 0; i < args.length; i++) {
    const raw = args[i]!;
    if (STOP.test(raw) || raw.startsWith('#')) break;
    const token = raw.replace(/^[[(]+|[\])…,.]+$/g, '');
    if (token === '' || token === '…' || token === '...' || /^[<{$"']/.test(token)) {
      descending = false;
      continue;
    }
    if (token.startsWith('-') && token !== '-') {
      const flag = token.split('=')[0]!;
      if (['-h', '--help', '-V', '--version'].includes(flag)) continue;
      const option = chain.flatMap((c) => c.options as Option[]).find((o) => o.long === flag || o.short === flag);
      if (!option) problems.push(`${flag} is not an option of \`${chain.map((c) => c.name()).join(' ')}\``);
      else if ((option.required || option.optional) && !token.includes('=')) i++; // its value
      continue;
    }
    if (!descending) continue;
    // `config path|get|set` (a table cell) names several subcommands at once
    const alternatives = token.split(/\\?\|/).filter(Boolean);
    const found = alternatives.map((a) => command.commands.find((c) => c.name() === a || c.aliases().includes(a)));
    if (found.every((c) => c !== undefined)) {
      if (alternatives.length > 1) break;
      command = found[0]!;
      chain.push(command);
      continue;
    }
    if (command === program) problems.push(`\`${token}\` is not a command`);
    else if (command.commands.length > 0 && command.registeredArguments.length === 0) problems.push(`\`${token}\` is not a subcommand of \`${chain.map((c) => c.name()).join(' ')}\``);
    descending = false; // an argument: what follows are its values and options
  }
  return problems;
}

function splitArgs(line: string): string[] {
  return line.replace(/\\\n/g, ' ').trim().split(/\s+/).filter(Boolean);
}

describe('the docs name only what exists', () => {
  it('every KALTURA_DISCORD_* environment variable is one the bot accepts', () => {
    const names = new Map<string, string>();
    // (a quoted name is a Kaltura systemName or similar, not a variable)
    for (const m of ALL_CODE) for (const hit of m.text.matchAll(/(?<!['"])\b(KALTURA_DISCORD_[A-Z0-9_]*[A-Z0-9])\b/g)) if (!names.has(hit[1]!)) names.set(hit[1]!, where(m, hit.index));
    expect(names.size).toBeGreaterThan(5);
    const unknown = [...names].filter(([name]) => !envNameKnown(name)).map(([name, at]) => `${at}: ${name}`);
    expect(unknown).toEqual([]);
  });

  it('every configuration key is in the schema', () => {
    const unknown: string[] = [];
    let seen = 0;
    // (TypeScript samples name objects such as `kaltura.meetings`, not keys)
    for (const m of ALL_CODE.filter((c) => !/^(ts|typescript|js|javascript)$/.test(c.lang))) {
      // an error message shown as an example names a wrong key on purpose
      const text = m.text.split('\n').map((l) => (/unknown key|did you mean/.test(l) ? '' : l)).join('\n');
      for (const piece of text.matchAll(/[^\s(,]+/g)) {
        const key = KEY_AT_START.exec(piece[0].replace(/^[`"']+/, ''))?.[0];
        if (!key) continue;
        seen++;
        if (!keyExists(key)) unknown.push(`${where(m, piece.index)}: ${key}`);
      }
    }
    expect(seen).toBeGreaterThan(20);
    expect(unknown).toEqual([]);
  });

  it('every `kaltura-discord …` command line uses commands and options that exist', () => {
    const problems: string[] = [];
    let seen = 0;
    for (const m of ALL_CODE) {
      for (const inv of m.text.replace(/\\\n/g, ' ').matchAll(INVOCATION)) {
        seen++;
        for (const p of checkCommandLine(splitArgs(inv[1]!))) problems.push(`${where(m, inv.index)}: kaltura-discord${inv[1]}: ${p}`);
      }
    }
    // the README's command table names commands without the executable in front
    const table = /^## Commands\n([\s\S]*?)^## /m.exec(read('README.md'))?.[1] ?? '';
    for (const row of table.matchAll(/^\| `([^`]+)` \|/gm)) {
      seen++;
      for (const cell of row[1]!.split(/` \/ `/)) for (const p of checkCommandLine(splitArgs(cell))) problems.push(`README.md (## Commands): ${cell}: ${p}`);
    }
    expect(seen).toBeGreaterThan(20);
    expect(problems).toEqual([]);
  });

  it('the executable has one name everywhere', () => {
    const other = DOCS.flatMap((file) =>
      // (the release file, the installed one and the one `npm run package` writes are all `kaltura-discord`)
      [...read(file).matchAll(/\b(kaltura[-_]?discord[-_](?:bot|cli|server|linux|x64|amd64|bin)[\w.-]*|kdiscord|kaltura_discord(?=\s+(?:init|serve|doctor|config)))/gi)].map((m) => `${file}: ${m[0]}`),
    );
    expect(other).toEqual([]);
  });

  it('the checker itself catches what it is for', () => {
    expect(envNameKnown('KALTURA_DISCORD_KALTURA__ADMINSECRET')).toBe(false);
    expect(envNameKnown('KALTURA_DISCORD_KALTURA__ADMIN_SECRET')).toBe(true);
    expect(envNameKnown('KALTURA_DISCORD_CACHE_DIR')).toBe(true);
    expect(checkCommandLine(['doctor', '--jsn'])).toEqual(['--jsn is not an option of `kaltura-discord doctor`']);
    expect(checkCommandLine(['webhook', 'setup'])).toEqual(['`webhook` is not a command']);
    expect(checkCommandLine(['config', 'sett', 'a.b', '1'])).toEqual(['`sett` is not a subcommand of `kaltura-discord config`']);
    expect(checkCommandLine(['--config', '/etc/x.yaml', 'config', 'set', 'discord.token', '-', '--guild', '123'])).toEqual([]);
    expect(keyExists('kaltura.adminsecret')).toBe(false);
    expect(keyExists('discord.com')).toBe(true); // a host name, not a key
  });
});
