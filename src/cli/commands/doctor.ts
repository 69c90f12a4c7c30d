import { Command } from 'commander';
import type { Io } from '../io.js';
import { addCommonOptions } from '../options.js';
import { UsageError } from '../exit-codes.js';

export function doctorCommand(_io: Io): Command {
  return addCommonOptions(new Command('doctor')
      .summary('check config, credentials, reachability and maps against live JIRA')
      .description('Checks the config, each credential, that JIRA and FireFighter answer, that the maps fit live JIRA metadata, and the state file; prints ✓ or ✗ and, for each ✗, the fix.'))
    .addHelpText('after', '\nExamples:\n  $ raidsync doctor\n  $ raidsync doctor --json')
    .action(() => {
      throw new UsageError('doctor is not implemented yet');
    });
}
