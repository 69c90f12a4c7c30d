import { Chalk, type ChalkInstance } from 'chalk';
import type { Io } from '../io.js';

/** Colour only on a terminal, and never with NO_COLOR, --no-color, --json or --quiet: cron logs stay clean. */
export function styleFor(io: Io, options: { color: boolean; json?: boolean | undefined; quiet?: boolean | undefined }): ChalkInstance {
  const wanted = options.color && !options.json && !options.quiet && io.stdoutIsTTY && io.env.NO_COLOR === undefined && io.env.TERM !== 'dumb';
  return new Chalk({ level: wanted ? 1 : 0 });
}
