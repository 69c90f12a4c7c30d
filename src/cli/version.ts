import { readFileSync } from 'node:fs';

/** The version in package.json, read once: the same file whether run from the repository or an installed package. */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
