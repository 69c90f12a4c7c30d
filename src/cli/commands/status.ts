import { Command } from 'commander';
import type { Io } from '../io.js';
import { addCommonOptions } from '../options.js';
import { UsageError } from '../exit-codes.js';

export function statusCommand(_io: Io): Command {
  return addCommonOptions(new Command('status').summary('last runs, open conflicts, failed or blocked changes'))
    .addHelpText('after', '\nExamples:\n  $ raidsync status\n  $ raidsync status --json')
    .action(() => {
      throw new UsageError('status is not implemented yet');
    });
}
