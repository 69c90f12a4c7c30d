import { Command } from 'commander';
import type { Io } from '../io.js';
import { addCommonOptions } from '../options.js';
import { UsageError } from '../exit-codes.js';

export function doctorCommand(_io: Io): Command {
  return addCommonOptions(new Command('doctor').summary('check config, credentials, reachability and maps against live JIRA'))
    .addHelpText('after', '\nExamples:\n  $ raidsync doctor\n  $ raidsync doctor --json')
    .action(() => {
      throw new UsageError('doctor is not implemented yet');
    });
}
