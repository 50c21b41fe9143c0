import pkg from '../package.json';

/** The release version, from package.json (bundled into the executable at build time). */
export const VERSION: string = pkg.version;

/** Set by scripts/bundle.mjs (`git rev-parse --short HEAD`); absent when run from source. */
declare const __KALTURA_DISCORD_COMMIT__: string | undefined;

/** The commit the running build was made from, or "unknown". */
export const COMMIT: string = typeof __KALTURA_DISCORD_COMMIT__ === 'string' && __KALTURA_DISCORD_COMMIT__ ? __KALTURA_DISCORD_COMMIT__ : 'unknown';

/** What `kaltura-discord version` and `--version` print: enough to report a bug against. */
export function versionText(): string {
  return `kaltura-discord ${VERSION} (commit ${COMMIT})\nNode.js ${process.version} on ${process.platform}-${process.arch}\n`;
}
