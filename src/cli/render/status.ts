import type { ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { StatusReport, WindowReport } from '../status-report.js';
import { escapedDeep } from './escape.js';
import { fittedColumnWidths, truncated } from './fit.js';

const BARS = '▁▂▃▄▅▆▇█';
const ARROW: Record<string, string> = { impact_to_jira: 'Impact → JIRA', jira_to_impact: 'JIRA → Impact' };

/**
 * `status` on a terminal: the last runs, drift over time, the lock, open problems, rates and error categories.
 * Every line fits `width` columns (cut with …); no width, no limit.
 */
export function renderStatus(stored: StatusReport, style: ChalkInstance, width?: number): string {
  // Replayed from the state file, where service text is kept exact: escaped before any styling of ours.
  const report = escapedDeep(stored);
  if (report.notice) return `${report.notice} (state: ${report.state})\n`;
  const blocks = [
    report.lock
      ? style.yellow(`A run is going: pid ${report.lock.pid} on ${report.lock.host} holds the lock since ${report.lock.since}`)
      : style.dim('No run is going.'),
    `${style.bold('Last runs')}\n${runsTable(report, width)}`,
    `${style.bold('Drift')} over the last ${report.drift.length} runs: ${sparkline(report.drift)}  (${report.drift.at(-1) ?? 0} pairs now)`,
    openBlock(report, style),
    ...(report.created.length === 0 ? [] : [createdBlock(report, style)]),
    `${style.bold(`Rates per sync type, last ${report.rates.lastRuns.runs} writing runs`)}\n${ratesBlock(report.rates.lastRuns, style, width)}`,
    `${style.bold('Rates per sync type, last 24 h')}\n${ratesBlock(report.rates.last24h, style, width)}`,
  ];
  // Tables are fitted as they are built; the other lines are cut here (their styling codes stay whole at the start).
  return `${blocks.join('\n\n').split('\n').map((line) => (line.startsWith('┌') || line.startsWith('│') || line.startsWith('├') || line.startsWith('└') ? line : fitLine(line, width))).join('\n')}\n`;
}

/** Heights relative to the largest value; all zeros stay flat. */
export function sparkline(values: readonly number[]): string {
  const top = Math.max(0, ...values);
  return values.map((value) => BARS[top === 0 ? 0 : Math.round((value / top) * (BARS.length - 1))]).join('');
}

/** A bordered table whose columns give way, widest first, to fit `width`. */
function fittedTable(head: string[], rows: Array<Array<string | number>>, width: number | undefined): string {
  const colWidths = fittedColumnWidths([head, ...rows], width);
  const table = new Table({ head, style: { head: [], border: [] }, ...(colWidths && { colWidths }) });
  table.push(...rows);
  return table.toString();
}

/** A line cut to `width`, counting only what shows: colour codes are not columns. */
function fitLine(line: string, width: number | undefined): string {
  const plain = line.replace(/\u001b\[[0-9;]*m/g, '');
  return plain === truncated(plain, width) ? line : truncated(plain, width);
}

function runsTable(report: StatusReport, width: number | undefined): string {
  const head = ['run', 'when (UTC)', 'command', 'pairs', 'applied', 'failed', 'blocked', 'duration', 'exit'];
  const rows = report.runs.map((run) => [
      `#${run.id}`,
      run.startedAt.slice(0, 19).replace('T', ' '),
      `${run.command}${run.dryRun ? ' (dry)' : ''}${run.status === 'finished' ? '' : ` ${run.status}`}`,
      run.pairs,
      run.applied,
      run.failed,
      run.blocked,
      seconds(run.durationMs),
      run.exitCode ?? '',
  ]);
  return fittedTable(head, rows, width);
}

function openBlock(report: StatusReport, style: ChalkInstance): string {
  if (report.open.length === 0) return `${style.bold('Open problems')}: none`;
  const lines = report.open.map(
    (problem) => `  #${problem.incident} ${problem.issue} ${problem.field} ${style.red(problem.outcome)}${problem.category ? ` [${problem.category}]` : ''}: ${problem.reason}`,
  );
  return `${style.bold(`Open problems (${report.open.length})`)}\n${lines.join('\n')}`;
}

function createdBlock(report: StatusReport, style: ChalkInstance): string {
  const list = report.created.map((pair) => `#${pair.incident} ${pair.issue}`).join(', ');
  return `${style.bold(`Tickets raidsync created (${report.created.length})`)}: ${list}\n  ${style.dim("synced push-only: FireFighter cannot learn these links (its webhook finds incidents by their own jira_ticket_key)")}`;
}

function ratesBlock(window: WindowReport, style: ChalkInstance, width: number | undefined): string {
  if (window.syncTypes.length === 0) return style.dim('  no writing runs');
  const head = ['field', 'direction', 'applied', 'failed', 'blocked', 'conflict', 'skipped', 'success', 'p50', 'p95'];
  const rows = window.syncTypes.map((type) => [
      type.field,
      ARROW[type.direction] ?? type.direction,
      type.applied,
      type.failed,
      type.blocked,
      type.conflict,
      type.skipped,
      type.successRate === null ? '–' : `${(type.successRate * 100).toFixed(1)} %`,
      seconds(type.p50Ms),
      seconds(type.p95Ms),
  ]);
  const durations = `run duration p50 ${seconds(window.runDurationMs.p50)}, p95 ${seconds(window.runDurationMs.p95)}`;
  const errors = window.errors.length === 0
    ? 'errors: none'
    : `errors:\n${window.errors.map((error) => `  ${style.red(error.category)} ×${error.count}  e.g. ${error.example.issue ?? ''}${error.example.issue ? ': ' : ''}${error.example.message}`).join('\n')}`;
  return `${fittedTable(head, rows, width)}\n${durations}\n${errors}`;
}

function seconds(ms: number | null): string {
  return ms === null ? '–' : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 0)} s`;
}
