/** A small reader of the Prometheus text format, enough for tests: samples and HELP/TYPE lines. */
export interface Exposition {
  /** `name{a="b",…}` (labels sorted) -> value. */
  readonly samples: Map<string, number>;
  readonly help: Map<string, string>;
  readonly type: Map<string, string>;
}

export function parseExposition(text: string): Exposition {
  const samples = new Map<string, number>();
  const help = new Map<string, string>();
  const type = new Map<string, string>();
  for (const line of text.split('\n')) {
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (meta) {
      (meta[1] === 'HELP' ? help : type).set(meta[2]!, meta[3]!);
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    samples.set(key(m[1]!, parseLabels(m[2] ?? '')), Number(m[3]));
  }
  return { samples, help, type };
}

function parseLabels(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) out[m[1]!] = m[2]!.replace(/\\(.)/g, '$1');
  return out;
}

function key(name: string, labels: Record<string, string>): string {
  const parts = Object.keys(labels).sort().map((k) => `${k}="${labels[k]}"`);
  return parts.length ? `${name}{${parts.join(',')}}` : name;
}

/** The value of one sample (0 when absent), labels matched exactly. */
export function sample(e: Exposition, name: string, labels: Record<string, string> = {}): number {
  return e.samples.get(key(name, labels)) ?? 0;
}

/** The sum over every sample of `name` whose labels include `labels`. */
export function sum(e: Exposition, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const [k, v] of e.samples) {
    const m = /^([^{]+)(?:\{(.*)\})?$/.exec(k)!;
    if (m[1] !== name) continue;
    const have = parseLabels(m[2] ?? '');
    if (Object.entries(labels).every(([l, want]) => have[l] === want)) total += v;
  }
  return total;
}
