import type { Command } from 'commander';
import type { Io } from '../io.js';
import { syncCommand } from './sync-command.js';

export function reconcileCommand(io: Io, setExit: (code: number) => void): Command {
  return syncCommand(
    {
      name: 'reconcile',
      description:
        'Compares each field with the values both sides had when last in sync: the side that changed wins; both changed (or no base yet) is a conflict settled by sync.conflict or --conflict.',
      examples:
        '  $ raidsync reconcile --dry-run\n  $ raidsync reconcile --conflict skip --quiet   # from cron: report conflicts, exit 4',
      conflictOption: true,
    },
    io,
    setExit,
  );
}
