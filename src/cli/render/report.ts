import type { Io } from '../io.js';
import type { CommonOptions } from '../options.js';
import type { FieldChange } from '../../sync/decide/plan.js';
import { troubled, type RunReport } from '../../sync/report.js';
import { planJson } from './plan-json.js';
import { pairHeadings, planReport } from './plan-table.js';
import { styleFor } from './style.js';

/** More drifted pairs than this, on a terminal, and the per-pair blocks go through the pager. */
export const PAGER_MIN_PAIRS = 50;

export interface PrintOptions extends CommonOptions {
  /** `--no-pager` sets it false. */
  pager?: boolean | undefined;
}

/** What the report needs besides the run: where tickets are browsed, and the problems earlier runs already reported. */
export interface PrintContext {
  jiraUrl: string;
  stillSince?: ReadonlyMap<FieldChange, number> | undefined;
}

/** What a run printed, as `show` also prints a saved plan: a report, or the contract's JSON. */
type Printed = Pick<RunReport, 'pairs' | 'changes' | 'errors' | 'tickets' | 'inSync' | 'dryRun' | 'notice' | 'drifted'> & { runId?: number | undefined };

/**
 * Prints a run's plan: the contract's JSON with --json, else the overview, the drift blocks and the summary;
 * --quiet keeps only the problems. Many blocks on a terminal go through the pager, the summary printed after it.
 */
export async function printRun(io: Io, command: string, result: Printed, options: PrintOptions, context: PrintContext): Promise<void> {
  if (options.json) {
    io.stdout(planJson(command, result, result.dryRun, result.notice, result.runId));
    return;
  }
  const style = styleFor(io, options);
  const quiet = options.quiet === true;
  if (quiet && !troubled(result)) return;
  const report = planReport(result, {
    style,
    columns: io.columns,
    headings: pairHeadings(result.drifted, context.jiraUrl),
    hyperlinks: io.stdoutIsTTY && style.level > 0,
    wrote: !result.dryRun,
    stillSince: context.stillSince,
    problemsOnly: quiet,
  });
  const dryNote = result.dryRun && command !== 'diff' && command !== 'show' ? `\n${style.dim('dry run: nothing was written to JIRA, FireFighter or the state file')}` : '';
  const closing = [`${report.closing}${dryNote}`];
  const head = [...(result.notice ? [style.yellow(result.notice)] : []), ...(report.overview === null ? [] : [report.overview])];
  const paged = io.page && io.stdoutIsTTY && options.pager !== false && report.blocks.length > PAGER_MIN_PAIRS;
  // The summary is what a person looks at last: after the pager closes, it is on the screen.
  if (paged && (await io.page?.(`${[...head, ...report.blocks, ...closing].join('\n\n')}\n`))) {
    io.stdout(`${[...head, ...closing].join('\n\n')}\n`);
    return;
  }
  io.stdout(`${[...head, ...report.blocks, ...closing].join('\n\n')}\n`);
}

