import { problemStreaks } from '../state/problem-streaks.js';
import type { RunReport } from '../sync/report.js';
import { printRun, type PrintOptions } from './render/report.js';
import type { Runtime } from './runtime.js';

/** Prints a run's report, each problem that earlier runs reported unchanged said in one line ("still blocked since run 17"). */
export async function printRunReport(runtime: Runtime, command: string, result: RunReport, options: PrintOptions): Promise<void> {
  const problems = result.changes.filter((change) => change.outcome === 'blocked' || change.outcome === 'failed' || change.outcome === 'conflict');
  const stillSince = options.json ? undefined : await problemStreaks(runtime.state.db, result.runId, problems);
  await printRun(runtime.io, command, result, options, { jiraUrl: runtime.config.jira.url, stillSince });
}
