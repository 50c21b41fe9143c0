import { isMap, isScalar, type Document, type LineCounter, type Node } from 'yaml';

export interface Position {
  readonly line: number;
  readonly column: number;
}

function toPosition(lineCounter: LineCounter, offset: number | undefined): Position | undefined {
  if (offset === undefined) return undefined;
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

/**
 * Where a key path is written in the YAML document. `which: 'key'` points at the key itself
 * (for unknown keys), `'value'` at its value. Falls back to the closest existing ancestor,
 * so a missing key is reported at the section that should contain it.
 */
export function locateInDocument(
  doc: Document,
  lineCounter: LineCounter,
  segments: readonly string[],
  which: 'key' | 'value' = 'value',
): Position | undefined {
  let node: Node | null | undefined = doc.contents as Node | null;
  let best: Position | undefined;
  for (let i = 0; i < segments.length; i++) {
    if (!isMap(node)) break;
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segments[i]);
    if (!pair) break;
    const keyNode = pair.key as Node;
    const last = i === segments.length - 1;
    if (last && which === 'key') return toPosition(lineCounter, keyNode.range?.[0]);
    best = toPosition(lineCounter, keyNode.range?.[0]) ?? best;
    node = pair.value as Node | null;
    if (last) return toPosition(lineCounter, node?.range?.[0]) ?? best;
  }
  return best;
}
