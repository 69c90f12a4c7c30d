import type { ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { FieldChange, Outcome, PairHeading, Plan } from '../../sync/plan.js';


export interface TableOptions {
  style: ChalkInstance;
  columns: number;
  headings: ReadonlyMap<number, PairHeading>;
  /** OSC 8 hyperlinks on terminals that show them. */
  hyperlinks: boolean;
}

/** One block per drifted pair, a table of its fields, and a closing summary line. */
export function renderPlanTable(plan: Plan, options: TableOptions): string {
  const { style } = options;
  const byPair = new Map<number, FieldChange[]>();
  for (const change of plan.changes) byPair.set(change.incident, [...(byPair.get(change.incident) ?? []), change]);
  const blocks: string[] = [];
  for (const [incident, changes] of byPair) {
    const heading = options.headings.get(incident);
    blocks.push(`${headingLine(incident, changes[0]?.issue ?? '', heading, options)}\n${pairTable(changes, options)}`);
  }
  for (const error of plan.errors) blocks.push(style.red(`✗ #${error.incident} ${error.issue}: ${error.message}`));
  blocks.push(summaryLine(plan, style, byPair.size));
  return `${blocks.join('\n\n')}\n`;
}

function headingLine(incident: number, issue: string, heading: PairHeading | undefined, options: TableOptions): string {
  const { style } = options;
  const link = (text: string, url: string | undefined) =>
    options.hyperlinks && url ? `\u001b]8;;${url}\u0007${text}\u001b]8;;\u0007` : text;
  const priority = heading?.priority ? `P${heading.priority} ` : '';
  const title = heading?.title ?? '';
  const room = Math.max(10, options.columns - 24 - issue.length);
  return `${style.bold(link(`#${incident}`, heading?.incidentUrl))} ${priority}${shorten(title, room)} ${style.dim('⇄')} ${style.bold(link(issue, heading?.issueUrl))}`;
}

function pairTable(changes: readonly FieldChange[], options: TableOptions): string {
  const { style } = options;
  // Four columns plus borders: the values and the action share what the terminal leaves.
  const valueWidth = Math.max(8, Math.floor((options.columns - 14 - 13) / 3));
  const table = new Table({
    head: ['field', 'Impact', 'JIRA', 'action'],
    style: { head: [], border: [] },
    colWidths: [13, valueWidth + 2, valueWidth + 2, Math.max(12, options.columns - 13 - 2 * (valueWidth + 2) - 5)],
    wordWrap: true,
  });
  for (const change of changes) {
    table.push([
      change.field,
      shorten(change.shown.impact ?? '(none)', valueWidth * 2),
      shorten(change.shown.jira ?? '(none)', valueWidth * 2),
      `${actionLabel(change, style)}\n${style.dim(change.reason)}`,
    ]);
  }
  return table.toString();
}

function actionLabel(change: FieldChange, style: ChalkInstance): string {
  const arrow = change.direction === 'impact_to_jira' ? '→ JIRA' : '← Impact';
  const labels: Record<Outcome, string> = {
    planned: style.cyan(arrow),
    applied: style.green(`${arrow} ✓`),
    skipped: style.yellow(`${arrow} skipped`),
    conflict: style.magenta('conflict'),
    blocked: style.red(`${arrow} blocked`),
    failed: style.red(`${arrow} failed`),
  };
  return labels[change.outcome];
}

function summaryLine(plan: Plan, style: ChalkInstance, driftPairs: number): string {
  if (plan.changes.length === 0 && plan.errors.length === 0) return style.green(`${plan.pairs} pairs, all in sync`);
  const count = (predicate: (change: FieldChange) => boolean) => plan.changes.filter(predicate).length;
  const parts = [
    [count((c) => c.direction === 'impact_to_jira' && c.outcome !== 'conflict'), 'change', '→ JIRA'],
    [count((c) => c.direction === 'jira_to_impact' && c.outcome !== 'conflict'), 'change', '← Impact'],
    [count((c) => c.outcome === 'conflict'), 'conflict', ''],
    [count((c) => c.outcome === 'blocked'), 'blocked', ''],
    [count((c) => c.outcome === 'failed'), 'failed', ''],
    [count((c) => c.outcome === 'skipped'), 'skipped', ''],
    [plan.errors.length, 'error', ''],
  ] as const;
  const text = parts
    .filter(([n], index) => n > 0 || index < 2)
    .map(([n, noun, suffix]) => {
      const word = noun === 'change' || noun === 'conflict' || noun === 'error' ? `${noun}${n === 1 ? '' : 's'}` : noun;
      return `${n} ${word}${suffix ? ` ${suffix}` : ''}`;
    })
    .join(', ');
  return `${driftPairs} of ${plan.pairs} pairs drift: ${text}`;
}

export function shorten(text: string, width: number): string {
  const flat = text.replace(/\s*\n\s*/g, ' ⏎ ');
  return flat.length <= width ? flat : `${flat.slice(0, Math.max(1, width - 1))}…`;
}
