import pkg from '../package.json';

/** The release version, from package.json (bundled into the executable at build time). */
export const VERSION: string = pkg.version;
