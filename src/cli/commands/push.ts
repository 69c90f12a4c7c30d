import type { Command } from 'commander';
import type { Io } from '../io.js';
import { syncCommand } from './sync-command.js';

export function pushCommand(io: Io, setExit: (code: number) => void): Command {
  return syncCommand(
    {
      name: 'push',
      description:
        'Makes each linked JIRA ticket match its Impact incident: summary, description, priority, status (through workflow transitions) and assignee. Never writes to FireFighter.',
      examples:
        '  $ raidsync push --dry-run            # what would change in JIRA\n  $ raidsync push --incident 42 --fields status,priority\n  $ raidsync push --create --dry-run   # also the tickets it would create, with their fields',
      createOption: true,
    },
    io,
    setExit,
  );
}
