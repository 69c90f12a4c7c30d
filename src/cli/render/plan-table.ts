import type { ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import { fittedColumnWidths } from './fit.js';
import type { FieldChange, Outcome, Plan, TicketChange } from '../../sync/decide/plan.js';
import type { DriftedPair } from '../../sync/report.js';
import { escapedDeep } from './escape.js';

type ShownChange = FieldChange | TicketChange;

/** What the tables list: a plan, or a run's report of what it did. */
type Listed = Pick<Plan, 'pairs' | 'changes' | 'errors' | 'tickets' | 'inSync'>;

/** What a drift block's heading names about a pair, with links to both sides. */
export interface PairHeading extends DriftedPair {
  issueUrl?: string | undefined;
}

/** Each drifted pair's heading, its ticket linked in the JIRA at `jiraUrl` ('' when unknown: no link). */
export function pairHeadings(drifted: ReadonlyMap<number, DriftedPair>, jiraUrl: string): Map<number, PairHeading> {
  const browse = `${jiraUrl.replace(/\/$/, '')}/browse/`;
  return new Map([...drifted].map(([incident, pair]) => [incident, { ...pair, issueUrl: pair.issue === '' || jiraUrl === '' ? undefined : `${browse}${pair.issue}` }]));
}


export interface TableOptions {
  style: ChalkInstance;
  /** The width to fit; undefined: none (a pipe without $COLUMNS), each value still cut at VALUE_CAP. */
  columns: number | undefined;
  headings: ReadonlyMap<number, PairHeading>;
  /** OSC 8 hyperlinks on terminals that show them. */
  hyperlinks: boolean;
  /** The run wrote (not a diff or dry run): the summary speaks of outcomes, in the past tense. */
  wrote: boolean;
  /** Problems reported unchanged by every run since the one given: a line each, not a block. */
  stillSince?: ReadonlyMap<FieldChange, number> | undefined;
  /** Only problems (blocked, failed, conflict, errors): --quiet. */
  problemsOnly?: boolean | undefined;
}

/** A value's longest cut when there is no width to fit. */
const VALUE_CAP = 80;

/** Above this many drifted pairs, a table per field, direction and outcome heads the blocks. */
export const OVERVIEW_MIN_PAIRS = 5;

/** A report in its parts: the overview table (big runs), the per-pair blocks, and the closing lines. */
export interface PlanReport {
  overview: string | null;
  blocks: string[];
  closing: string;
}

/** One block per drifted pair, a table of its fields, and a closing summary line. */
export function renderPlanTable(plan: Listed, options: TableOptions): string {
  const { overview, blocks, closing } = planReport(plan, options);
  return `${[...(overview === null ? [] : [overview]), ...blocks, closing].join('\n\n')}\n`;
}

export function planReport(shownPlan: Listed, shownOptions: TableOptions): PlanReport {
  const problem = (change: ShownChange) => PROBLEMS.includes(change.outcome);
  const shownStill = shownOptions.stillSince ?? new Map<FieldChange, number>();
  // Chosen before escaping: "still" problems are known by identity, and escaping copies every change.
  const inBlocks = [...(shownPlan.tickets ?? []), ...shownPlan.changes].filter(
    (change) => (!shownOptions.problemsOnly || problem(change)) && !(change.field !== 'ticket' && shownStill.has(change)),
  );
  // Titles, keys, values and messages come from the services: escaped before any styling of ours is added.
  const plan = escapedDeep(shownPlan);
  const options = { ...shownOptions, headings: escapedDeep(shownOptions.headings) };
  const still = escapedDeep(shownStill);
  const { style } = options;
  const byPair = groupByPair([...(plan.tickets ?? []), ...plan.changes]);
  const blocks: string[] = [];
  for (const [incident, changes] of groupByPair(escapedDeep(inBlocks))) {
    const heading = options.headings.get(incident);
    blocks.push(`${headingLine(incident, changes[0]?.issue ?? '', heading, options)}\n${pairTable(changes, options)}`);
  }
  const stillLines = [...still].map(([change, since]) =>
    style.red(`still ${change.outcome === 'conflict' ? 'in conflict' : change.outcome} since run ${since}: #${change.incident} ${change.issue} ${change.field}: ${shorten(change.reason, VALUE_CAP * 2)}`),
  );
  if (stillLines.length > 0) blocks.push(stillLines.join('\n'));
  for (const error of plan.errors) blocks.push(style.red(`✗ #${error.incident} ${error.issue}: ${error.message}`));
  const inSync = options.problemsOnly ? [] : [...groupByPair(plan.inSync ?? [])].map(([incident, changes]) => style.dim(`= #${incident} ${changes[0]?.issue ?? ''}: ${changes.map((change) => change.field).join(', ')} already in sync`));
  const closing = [...(inSync.length > 0 ? [inSync.join('\n')] : []), summaryLine(plan, options, byPair.size)].join('\n\n');
  const overview = !options.problemsOnly && byPair.size > OVERVIEW_MIN_PAIRS ? overviewTable(plan, options) : null;
  return { overview, blocks, closing };
}

const PROBLEMS: readonly Outcome[] = ['blocked', 'failed', 'conflict'];

function groupByPair<T extends { incident: number }>(changes: readonly T[]): Map<number, T[]> {
  const byPair = new Map<number, T[]>();
  for (const change of changes) byPair.set(change.incident, [...(byPair.get(change.incident) ?? []), change]);
  return byPair;
}

const OUTCOME_ORDER: readonly Outcome[] = ['planned', 'applied', 'conflict', 'blocked', 'failed', 'skipped'];

/** Changes counted per field and direction (rows) and outcome (columns): a big run read at a glance. */
function overviewTable(plan: Listed, options: TableOptions): string {
  const changes = [...(plan.tickets ?? []), ...plan.changes];
  const outcomes = OUTCOME_ORDER.filter((outcome) => changes.some((change) => change.outcome === outcome));
  const counts = new Map<string, Map<Outcome, number>>();
  for (const change of changes) {
    const row = `${change.field}\t${arrowOf(change)}`;
    const byOutcome = counts.get(row) ?? new Map<Outcome, number>();
    byOutcome.set(change.outcome, (byOutcome.get(change.outcome) ?? 0) + 1);
    counts.set(row, byOutcome);
  }
  const rows = [...counts].map(([row, byOutcome]) => [...row.split('\t'), ...outcomes.map((outcome) => byOutcome.get(outcome) ?? 0), [...byOutcome.values()].reduce((a, b) => a + b, 0)]);
  const head = ['field', 'direction', ...outcomes, 'total'];
  const widths = fittedColumnWidths([head, ...rows], options.columns);
  const table = new Table({ head, style: { head: [], border: [] }, ...(widths && { colWidths: widths }) });
  for (const row of rows) table.push(row.map(String));
  return table.toString();
}

function arrowOf(change: ShownChange): string {
  return change.direction === 'impact_to_jira' ? '→ JIRA' : '← Impact';
}

function headingLine(incident: number, issue: string, heading: PairHeading | undefined, options: TableOptions): string {
  const { style } = options;
  const link = (text: string, url: string | undefined) =>
    options.hyperlinks && url ? `\u001b]8;;${url}\u0007${text}\u001b]8;;\u0007` : text;
  const priority = heading?.priority ? `P${heading.priority} ` : '';
  const title = heading?.title ?? '';
  const room = options.columns === undefined ? Number.POSITIVE_INFINITY : Math.max(10, options.columns - 24 - issue.length);
  return `${style.bold(link(`#${incident}`, heading?.incidentUrl))} ${priority}${shorten(title, room)} ${style.dim('⇄')} ${style.bold(link(issue || 'new ticket', heading?.issueUrl))}`;
}

function pairTable(changes: readonly ShownChange[], options: TableOptions): string {
  const { style, columns } = options;
  // Four columns plus borders: the values and the action share what the terminal leaves.
  const valueWidth = columns === undefined ? VALUE_CAP / 2 : Math.max(8, Math.floor((columns - 14 - 13) / 3));
  const table = new Table({
    head: ['field', 'Impact', 'JIRA', 'action'],
    style: { head: [], border: [] },
    ...(columns !== undefined && { colWidths: [13, valueWidth + 2, valueWidth + 2, Math.max(12, columns - 13 - 2 * (valueWidth + 2) - 5)], wordWrap: true }),
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
  const arrow = arrowOf(change);
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
  const inSync = plan.inSync?.length ?? 0;
  const alreadyInSync = `${inSync} planned change${inSync === 1 ? '' : 's'} already in sync`;
  if (plan.changes.length === 0 && plan.errors.length === 0 && tickets.length === 0) {
    return style.green(`${plan.pairs} pairs, all in sync${inSync > 0 ? `: ${alreadyInSync}` : ''}`);
  }
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
  for (const change of plan.changes) {
    const label =
      change.outcome === 'planned' ? arrowOf(change) : change.outcome === 'applied' ? `applied ${arrowOf(change)}` : change.outcome;
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
  if (inSync > 0) parts.push(style.dim(alreadyInSync));
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
