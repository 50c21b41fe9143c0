/**
 * `?` placeholders → PostgreSQL's `$1, $2…` (repositories are written once with `?`). A `?` inside
 * a string literal, a quoted name, a dollar-quoted body or a comment is text, not a placeholder.
 * Results are cached: repositories use a small, fixed set of statements.
 */
const cache = new Map<string, string>();
const CACHE_LIMIT = 2000;

export function toNumberedPlaceholders(sql: string): string {
  const cached = cache.get(sql);
  if (cached !== undefined) return cached;
  const numbered = number(sql);
  if (cache.size >= CACHE_LIMIT) cache.clear(); // statements built from data (IN lists) must not grow it forever
  cache.set(sql, numbered);
  return numbered;
}

function number(sql: string): string {
  if (!sql.includes('?')) return sql;
  let out = '';
  let n = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const skipTo = (end: number): void => {
      out += sql.slice(i, end);
      i = end;
    };
    if (c === "'" || c === '"') {
      // '' (or "") inside is an escaped quote: scanning on from the closing one handles it.
      const close = sql.indexOf(c, i + 1);
      skipTo(close < 0 ? sql.length : close + 1);
    } else if (c === '-' && sql[i + 1] === '-') {
      const eol = sql.indexOf('\n', i);
      skipTo(eol < 0 ? sql.length : eol);
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      skipTo(close < 0 ? sql.length : close + 2);
    } else if (c === '$' && /^\$[A-Za-z_]*\$/.test(sql.slice(i, i + 64))) {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i, i + 64))![0];
      const close = sql.indexOf(tag, i + tag.length);
      skipTo(close < 0 ? sql.length : close + tag.length);
    } else if (c === '?') {
      out += `$${++n}`;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}
