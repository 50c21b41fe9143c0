/**
 * The module specifiers a TypeScript/JavaScript file imports, with their line numbers:
 * `import … from 'x'`, `import 'x'`, `export … from 'x'`, `import('x')`, `import x = require('x')`
 * and `require('x')`. Comments are skipped, and strings, template literals and regular expressions
 * are stepped over, so an import written in a comment or inside a string is not counted.
 * Enough for this repository's own code (no dependency on a parser); not a full tokenizer.
 */

/** After these, a `/` starts a regular expression rather than a division. */
const REGEX_AFTER = new Set(['', '(', ',', '=', ':', '[', '!', '&', '|', '?', '{', '}', ';', '+', '-', '*', '%', '<', '>', '~', '^']);
const REGEX_AFTER_WORD = new Set(['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'new', 'delete', 'void', 'throw', 'yield', 'await']);

/** Replaces comments with spaces and string/regex contents with placeholders, keeping offsets; returns the strings. */
function mask(text) {
  const out = text.split('');
  const strings = [];
  let i = 0;
  let lastSignificant = '';
  let lastWord = '';
  const blank = (from, to) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? text.length : end;
      blank(i, stop);
      i = stop;
      continue;
    }
    if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      blank(i, stop);
      i = stop;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== c) {
        if (text[j] === '\\') j++;
        else if (c !== '`' && text[j] === '\n') break; // unterminated: stop at the line's end
        j++;
      }
      strings.push({ start: i, end: j, value: text.slice(i + 1, j) });
      blank(i + 1, j);
      i = j + 1;
      lastSignificant = c;
      lastWord = '';
      continue;
    }
    if (c === '/' && (REGEX_AFTER.has(lastSignificant) || REGEX_AFTER_WORD.has(lastWord))) {
      let j = i + 1;
      let inClass = false;
      while (j < text.length && text[j] !== '\n' && (inClass || text[j] !== '/')) {
        if (text[j] === '\\') j++;
        else if (text[j] === '[') inClass = true;
        else if (text[j] === ']') inClass = false;
        j++;
      }
      blank(i + 1, j);
      i = j + 1;
      lastSignificant = '/';
      lastWord = '';
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (/[\w$]/.test(c)) {
      let j = i;
      while (j < text.length && /[\w$]/.test(text[j])) j++;
      lastWord = text.slice(i, j);
      lastSignificant = 'w';
      i = j;
      continue;
    }
    lastSignificant = c;
    lastWord = '';
    i++;
  }
  return { masked: out.join(''), strings };
}

const PATTERNS = [
  /\bimport\s+(?:type\s+)?[\w$*{}\s,]*?\bfrom\s*(['"])/g, // import x, { y } from '…' / import type … from '…'
  /\bexport\s+(?:type\s+)?[\w$*{}\s,]*?\bfrom\s*(['"])/g, // export { x } from '…' / export * from '…'
  /\bimport\s*(['"])/g, // import '…' (side effect)
  /\bimport\s*\(\s*(['"`])/g, // import('…')
  /\brequire\s*\(\s*(['"`])/g, // require('…'), import x = require('…')
];

export function importsOf(text) {
  const { masked, strings } = mask(text);
  const byStart = new Map(strings.map((s) => [s.start, s]));
  const found = new Map();
  for (const pattern of PATTERNS) {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(masked); m; m = pattern.exec(masked)) {
      const quoteAt = m.index + m[0].length - 1;
      const literal = byStart.get(quoteAt);
      if (!literal || literal.value.includes('${')) continue; // a computed specifier cannot be judged statically
      if (!found.has(quoteAt)) found.set(quoteAt, { specifier: literal.value, line: text.slice(0, quoteAt).split('\n').length });
    }
  }
  return [...found.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}
