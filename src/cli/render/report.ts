import type { Io } from '../io.js';
import type { CommonOptions } from '../options.js';
import type { RunReport } from '../../sync/report.js';
import { planJson } from './plan-json.js';
import { pairHeadings, renderPlanTable } from './plan-table.js';
import { styleFor } from './style.js';

/** Prints a run's plan: the contract's JSON with --json, else the drift tables and summary. */
export function printRun(io: Io, command: string, result: RunReport, options: CommonOptions, jiraUrl: string): void {
  if (options.json) {
    io.stdout(planJson(command, result, result.dryRun, result.notice));
    return;
  }
  const style = styleFor(io, options);
  const lines: string[] = [];
  if (result.notice) lines.push(style.yellow(result.notice));
  lines.push(
    renderPlanTable(result, {
      style,
      columns: io.columns ?? 100,
      headings: pairHeadings(result.drifted, jiraUrl),
      hyperlinks: io.stdoutIsTTY && style.level > 0,
      wrote: !result.dryRun,
    }).trimEnd(),
  );
  if (result.dryRun && command !== 'diff') lines.push(style.dim('dry run: nothing was written to JIRA, FireFighter or the state file'));
  if (options.quiet) {
    const problems = result.changes.filter((c) => c.outcome === 'failed' || c.outcome === 'blocked' || c.outcome === 'conflict');
    if (problems.length === 0 && result.errors.length === 0) return;
  }
  io.stdout(`${lines.join('\n')}\n`);
}
