import type { ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { FieldChange, Outcome, Plan, TicketChange } from '../../sync/decide/plan.js';
import type { DriftedPair } from '../../sync/report.js';
import { escapedDeep } from './escape.js';

type ShownChange = FieldChange | TicketChange;

/** What the tables list: a plan, or a run's report of what it did. */
type Listed = Pick<Plan, 'pairs' | 'changes' | 'errors' | 'tickets'>;

/** What a drift block's heading names about a pair, with links to both sides. */
export interface PairHeading extends DriftedPair {
  issueUrl?: string | undefined;
}

/** Each drifted pair's heading, its ticket linked in the JIRA at `jiraUrl`. */
export function pairHeadings(drifted: ReadonlyMap<number, DriftedPair>, jiraUrl: string): Map<number, PairHeading> {
  const browse = `${jiraUrl.replace(/\/$/, '')}/browse/`;
  return new Map([...drifted].map(([incident, pair]) => [incident, { ...pair, issueUrl: pair.issue === '' ? undefined : `${browse}${pair.issue}` }]));
}


export interface TableOptions {
  style: ChalkInstance;
  columns: number;
  headings: ReadonlyMap<number, PairHeading>;
  /** OSC 8 hyperlinks on terminals that show them. */
  hyperlinks: boolean;
  /** The run wrote (not a diff or dry run): the summary speaks of outcomes, in the past tense. */
  wrote: boolean;
}

/** One block per drifted pair, a table of its fields, and a closing summary line. */
export function renderPlanTable(shownPlan: Listed, shownOptions: TableOptions): string {
  // Titles, keys, values and messages come from the services: escaped before any styling of ours is added.
  const plan = escapedDeep(shownPlan);
  const options = { ...shownOptions, headings: escapedDeep(shownOptions.headings) };
  const { style } = options;
  const byPair = new Map<number, ShownChange[]>();
  for (const change of [...(plan.tickets ?? []), ...plan.changes]) byPair.set(change.incident, [...(byPair.get(change.incident) ?? []), change]);
  const blocks: string[] = [];
  for (const [incident, changes] of byPair) {
    const heading = options.headings.get(incident);
    blocks.push(`${headingLine(incident, changes[0]?.issue ?? '', heading, options)}\n${pairTable(changes, options)}`);
  }
  for (const error of plan.errors) blocks.push(style.red(`✗ #${error.incident} ${error.issue}: ${error.message}`));
  blocks.push(summaryLine(plan, options, byPair.size));
  return `${blocks.join('\n\n')}\n`;
}

function headingLine(incident: number, issue: string, heading: PairHeading | undefined, options: TableOptions): string {
  const { style } = options;
  const link = (text: string, url: string | undefined) =>
    options.hyperlinks && url ? `\u001b]8;;${url}\u0007${text}\u001b]8;;\u0007` : text;
  const priority = heading?.priority ? `P${heading.priority} ` : '';
  const title = heading?.title ?? '';
  const room = Math.max(10, options.columns - 24 - issue.length);
  return `${style.bold(link(`#${incident}`, heading?.incidentUrl))} ${priority}${shorten(title, room)} ${style.dim('⇄')} ${style.bold(link(issue || 'new ticket', heading?.issueUrl))}`;
}

function pairTable(changes: readonly ShownChange[], options: TableOptions): string {
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
    if (change.field === 'ticket') {
      // A ticket's fields are the point of its row: listed in full, never cut.
      table.push([change.field, change.shown.impact ?? '', change.issue || '(new)', `${actionLabel(change, style)}\n${style.dim(change.reason)}`]);
      continue;
    }
    table.push([
      change.field,
      shorten(change.shown.impact ?? '(none)', valueWidth * 2),
      shorten(change.shown.jira ?? '(none)', valueWidth * 2),
      `${actionLabel(change, style)}\n${style.dim(change.reason)}`,
    ]);
  }
  return table.toString();
}

function actionLabel(change: ShownChange, style: ChalkInstance): string {
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

function summaryLine(plan: Listed, options: TableOptions, driftPairs: number): string {
  const { style } = options;
  const tickets = plan.tickets ?? [];
  if (plan.changes.length === 0 && plan.errors.length === 0 && tickets.length === 0) return style.green(`${plan.pairs} pairs, all in sync`);
  // Each change is counted once, under its outcome (and its direction while it is still a plan or was applied).
  const groups: Array<[label: string, count: number, paint: ChalkInstance]> = [
    ['→ JIRA', 0, style.cyan],
    ['← Impact', 0, style.cyan],
    ['applied → JIRA', 0, style.green],
    ['applied ← Impact', 0, style.green],
    ['conflict', 0, style.magenta],
    ['blocked', 0, style.red],
    ['failed', 0, style.red],
    ['skipped', 0, style.yellow],
  ];
  const arrow = (change: ShownChange) => (change.direction === 'impact_to_jira' ? '→ JIRA' : '← Impact');
  for (const change of plan.changes) {
    const label =
      change.outcome === 'planned' ? arrow(change) : change.outcome === 'applied' ? `applied ${arrow(change)}` : change.outcome;
    const group = groups.find(([name]) => name === label);
    if (group) group[1] += 1;
  }
  const parts = groups
    .filter(([, count]) => count > 0)
    .map(([label, count, paint], index) => {
      if (label === 'conflict') return paint(`${count} conflict${count === 1 ? '' : 's'}`);
      // "5 changes → JIRA, 2 ← Impact": the noun once, on the first arrow.
      if (label.endsWith('JIRA') || label.endsWith('Impact')) {
        return paint(index === 0 && !label.startsWith('applied') ? `${count} change${count === 1 ? '' : 's'} ${label}` : `${count} ${label}`);
      }
      return paint(`${count} ${label}`);
    });
  if (plan.errors.length > 0) parts.push(style.red(`${plan.errors.length} error${plan.errors.length === 1 ? '' : 's'}`));
  const ticketParts = ticketSummary(tickets, options);
  if (plan.changes.length === 0 && plan.errors.length === 0) return ticketParts;
  if (ticketParts !== '') parts.unshift(ticketParts);
  return `${driftPairs} of ${plan.pairs} pairs ${options.wrote ? 'drifted' : 'drift'}: ${parts.join(', ')}`;
}

/** "1 ticket to create", "1 ticket created (INC-12)": tickets apart from field changes, as they make new pairs. */
function ticketSummary(tickets: readonly TicketChange[], options: TableOptions): string {
  const { style } = options;
  const count = (outcome: Outcome) => tickets.filter((ticket) => ticket.outcome === outcome);
  const noun = (n: number) => `${n} ticket${n === 1 ? '' : 's'}`;
  const parts: string[] = [];
  if (count('planned').length > 0) parts.push(style.cyan(`${noun(count('planned').length)} to create`));
  const made = count('applied');
  if (made.length > 0) parts.push(style.green(`${noun(made.length)} created or adopted (${made.map((ticket) => ticket.issue).join(', ')})`));
  if (count('skipped').length > 0) parts.push(style.yellow(`${noun(count('skipped').length)} not created (skipped)`));
  if (count('failed').length > 0) parts.push(style.red(`${noun(count('failed').length)} failed`));
  return parts.join(', ');
}

export function shorten(text: string, width: number): string {
  const flat = text.replace(/\s*\n\s*/g, ' ⏎ ');
  return flat.length <= width ? flat : `${flat.slice(0, Math.max(1, width - 1))}…`;
}
