import type { ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { RunSummary } from '../../state/runs.js';

/** A short table of runs, oldest first: what the demo shows of the state file's history. */
export function renderRunSummary(runs: readonly RunSummary[], style: ChalkInstance): string {
  const table = new Table({
    head: ['when', 'command', 'pairs', 'drift', 'applied', 'blocked', 'failed', 'took', 'exit'],
    style: { head: [], border: [] },
    // One line per run, no rule between them: a history, not a form.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const run of runs) {
    const exit = run.exitCode === null ? '…' : run.exitCode === 0 ? style.green('0') : style.red(String(run.exitCode));
    table.push([
      run.startedAt.toISOString().slice(11, 19),
      `${run.command}${run.dryRun && run.command !== 'diff' ? ' (dry run)' : ''}`,
      run.pairs,
      run.driftPairs,
      run.applied,
      run.blocked,
      run.failed,
      run.durationMs === null ? '…' : `${run.durationMs} ms`,
      exit,
    ]);
  }
  return `${table.toString()}\n`;
}
