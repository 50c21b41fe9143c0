/**
 * The few PHP encodings the Kaltura server uses on the wire, reproduced byte for byte so that the
 * fake's KSs, webhook bodies and signatures match what a real server would produce.
 */

/**
 * PHP `urlencode`: every byte except `[A-Za-z0-9._-]` becomes `%XX`, space becomes `+`.
 * Unlike `encodeURIComponent` it also escapes `~ ! * ' ( )` (§3.2 step 3).
 */
export function phpUrlencode(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** PHP `urldecode` (`+` is a space); malformed escapes are kept as they are, like PHP does. */
export function phpUrldecode(value: string): string {
  const spaced = value.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
}

/** `http_build_query($fields, '', '&')`: nulls are skipped, booleans become 1/0. */
export function httpBuildQuery(fields: Iterable<readonly [string, unknown]>): string {
  const parts: string[] = [];
  for (const [key, value] of fields) {
    if (value === null || value === undefined) continue;
    const text = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
    parts.push(`${phpUrlencode(key)}=${phpUrlencode(text)}`);
  }
  return parts.join('&');
}

/**
 * `parse_str` for flat queries, as the server reads a KS v2 payload and form bodies. Returns the
 * pairs in order; a repeated key keeps its first position and its last value (PHP array semantics).
 */
export function parsePhpQuery(query: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = phpUrldecode(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : phpUrldecode(part.slice(eq + 1));
    out.set(key, value);
  }
  return out;
}

/**
 * PHP `json_encode` with default flags: `/` is escaped as `\/` and every non-ASCII UTF-16 unit as
 * `\uXXXX`. Both only ever occur inside JSON strings, so a pass over the whole text is safe.
 */
export function phpJsonEncode(value: unknown): string {
  const json = JSON.stringify(value) ?? 'null';
  return json
    .replace(/\//g, '\\/')
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
