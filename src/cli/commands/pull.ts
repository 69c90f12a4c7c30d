import type { Command } from 'commander';
import type { Io } from '../io.js';
import { syncCommand } from './sync-command.js';

export function pullCommand(io: Io, setExit: (code: number) => void): Command {
  return syncCommand(
    {
      name: 'pull',
      description:
        "Makes each Impact incident match its JIRA ticket for status and priority, through FireFighter's signed raid/jira_update webhook, then reads the incident back. Never writes to JIRA.",
      examples: '  $ raidsync pull --dry-run\n  $ raidsync pull --incident 42 --json',
    },
    io,
    setExit,
  );
}
