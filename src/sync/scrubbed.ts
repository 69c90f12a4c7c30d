import { secretsOf } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { scrubSecrets } from '../net/scrub.js';

/** Error text as the state file and logs keep it: a server that echoed a credential back must not get it stored. */
export function scrubbed(text: string, config: Config): string {
  return scrubSecrets(text, secretsOf(config));
}
