import schema from '../../schema/kaltura-discord.schema.json';

/** A JSON-schema node, as far as this module reads it. */
export interface SchemaNode {
  readonly type?: string;
  readonly description?: string;
  readonly default?: unknown;
  readonly enum?: readonly unknown[];
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly items?: SchemaNode;
  readonly required?: readonly string[];
  readonly 'x-secret'?: boolean;
  readonly 'x-pattern-hint'?: string;
  /** Why a string has a `maxLength`, told with the error. */
  readonly 'x-max-length-reason'?: string;
}

export const configSchema = schema as unknown as SchemaNode & Record<string, unknown>;

/** One settable key of the YAML file (a leaf of the schema). */
export interface ConfigKey {
  /** e.g. `kaltura.appToken.hashType` */
  readonly path: string;
  readonly segments: readonly string[];
  readonly node: SchemaNode;
  readonly secret: boolean;
  /** e.g. `KALTURA_DISCORD_KALTURA__APP_TOKEN__HASH_TYPE` */
  readonly envVar: string;
}

export const ENV_PREFIX = 'KALTURA_DISCORD_';

/** `adminSecret` -> `ADMIN_SECRET`, `apiBaseUrl` -> `API_BASE_URL`. */
function toUpperSnake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

export function envVarFor(segments: readonly string[]): string {
  return ENV_PREFIX + segments.map(toUpperSnake).join('__');
}

function collectKeys(node: SchemaNode, prefix: readonly string[], out: ConfigKey[]): void {
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    const segments = [...prefix, name];
    if (child.type === 'object' && child.properties) {
      collectKeys(child, segments, out);
    } else {
      out.push({
        path: segments.join('.'),
        segments,
        node: child,
        secret: child['x-secret'] === true,
        envVar: envVarFor(segments),
      });
    }
  }
}

/** Every leaf key of the schema, in schema order. */
export function listConfigKeys(root: SchemaNode = configSchema): ConfigKey[] {
  const out: ConfigKey[] = [];
  collectKeys(root, [], out);
  return out;
}

/** The schema node at a path (a section or a leaf), or undefined. */
export function schemaNodeAt(segments: readonly string[], root: SchemaNode = configSchema): SchemaNode | undefined {
  let node: SchemaNode | undefined = root;
  for (const s of segments) node = /^[0-9]+$/.test(s) && node?.items ? node.items : node?.properties?.[s];
  return node;
}
