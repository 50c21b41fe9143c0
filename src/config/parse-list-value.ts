import type { SchemaNode } from './config-keys';

/**
 * A list written on one line, for an environment variable or `config set`: comma-separated items
 * (`""` is the empty list). Items of a list of `{prefix, target}` objects (activity.mediaMappings)
 * are written `prefix=target`, e.g. `/kaltura-vod=cfvod.kaltura.com,/media=cdn.example.org/vod`;
 * an item without `=` becomes `{prefix}` alone, which the schema then reports as missing its target.
 * The schema checks every item afterwards, so nothing is validated here.
 */
export function parseListValue(node: SchemaNode, text: string): unknown[] {
  const items = text.split(',').map((s) => s.trim()).filter(Boolean);
  const props = node.items?.properties;
  if (node.items?.type !== 'object' || !props?.prefix || !props.target) return items;
  return items.map((item) => {
    const at = item.indexOf('=');
    return at === -1 ? { prefix: item } : { prefix: item.slice(0, at).trim(), target: item.slice(at + 1).trim() };
  });
}
