import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { ErrorCategory } from '../net/errors.js';
import { NOT_SENT_INTERRUPTED } from '../sync/decide/plan.js';
import type { ChangeOutcome, Database, SyncDirection } from './schema.js';
import { lastCompletedWritingRun } from './pair-baseline.js';

/*
 * Aggregates over the run history for `status` and the metrics file. They count only runs that set
 * out to write (push, pull, reconcile, apply without --dry-run, and not disabled by configuration):
 * a diff or dry run observes drift but attempts nothing, and repeating one must not move a rate.
 * A change an interrupted run never sent was not attempted: it counts as skipped, never as failed.
 */

/** Which runs an aggregate covers: the last `runs` writing runs, or those started since `since`. */
export type RunWindow = { runs: number } | { since: Date };

export const OUTCOMES: readonly ChangeOutcome[] = ['planned', 'applied', 'skipped', 'conflict', 'blocked', 'failed'];

/** One sync type (field × direction): how its changes ended and how long the attempted ones took. */
export interface SyncTypeStats {
  field: string;
  direction: SyncDirection;
  counts: Record<ChangeOutcome, number>;
  /** Durations of applied, blocked and failed changes, ascending. */
  durationsMs: number[];
}

export interface CategoryCount {
  category: ErrorCategory;
  count: number;
  /** The most recent occurrence, for a person to recognise the problem. */
  example: { message: string; incident: number | null; issue: string | null; at: Date };
}

/** A conflict, blocked or failed change that no later writing run has settled. */
export interface OpenProblem {
  runId: number;
  incidentId: number;
  issueKey: string;
  field: string;
  direction: SyncDirection;
  outcome: 'conflict' | 'blocked' | 'failed';
  reason: string;
  category: ErrorCategory | null;
  at: Date;
}

type Db = Kysely<Database>;

function windowRunIds(db: Db, window: RunWindow): SelectQueryBuilder<Database, 'runs', { id: number }> {
  const writing = db.selectFrom('runs').select('id').where('dry_run', '=', 0);
  return 'runs' in window
    ? writing.orderBy('id', 'desc').limit(window.runs)
    : writing.where('started_at', '>=', window.since.toISOString());
}

/** Outcome counts and attempt durations per sync type over the window. */
export async function syncTypeStats(db: Db, window: RunWindow): Promise<SyncTypeStats[]> {
  const rows = await db
    .selectFrom('run_changes')
    .select(['field', 'direction', 'outcome', 'reason', 'duration_ms'])
    .where('run_id', 'in', windowRunIds(db, window))
    .orderBy('duration_ms')
    .execute();
  const byType = new Map<string, SyncTypeStats>();
  for (const row of rows) {
    const key = `${row.field}\u0000${row.direction}`;
    let stats = byType.get(key);
    if (!stats) {
      stats = { field: row.field, direction: row.direction, counts: zeroCounts(), durationsMs: [] };
      byType.set(key, stats);
    }
    const outcome = recordedOutcome(row);
    stats.counts[outcome] += 1;
    if (isAttempt(outcome) && row.duration_ms !== null) stats.durationsMs.push(row.duration_ms);
  }
  return [...byType.values()].sort((a, b) => a.field.localeCompare(b.field) || a.direction.localeCompare(b.direction));
}

/** Durations of the window's finished runs, ascending. */
export async function runDurations(db: Db, window: RunWindow): Promise<number[]> {
  const rows = await db
    .selectFrom('runs')
    .select('duration_ms')
    .where('id', 'in', windowRunIds(db, window))
    .where('duration_ms', 'is not', null)
    .orderBy('duration_ms')
    .execute();
  return rows.map((row) => row.duration_ms as number);
}

/** Error categories over the window, most frequent first: failed, blocked and unmapped changes, and run errors. */
export async function errorCategories(db: Db, window: RunWindow): Promise<CategoryCount[]> {
  const ids = windowRunIds(db, window);
  const changes = await db
    .selectFrom('run_changes')
    .select(['category', 'reason as message', 'incident_id', 'issue_key', 'at'])
    .where('run_id', 'in', ids)
    .where('category', 'is not', null)
    .execute();
  const errors = await db
    .selectFrom('run_errors')
    .select(['category', 'message', 'incident_id', 'issue_key', 'at'])
    .where('run_id', 'in', ids)
    .execute();
  const byCategory = new Map<ErrorCategory, CategoryCount>();
  for (const row of [...changes, ...errors]) {
    const category = row.category as ErrorCategory;
    const at = new Date(row.at);
    const example = { message: row.message, incident: row.incident_id, issue: row.issue_key, at };
    const seen = byCategory.get(category);
    if (!seen) byCategory.set(category, { category, count: 1, example });
    else {
      seen.count += 1;
      if (at >= seen.example.at) seen.example = example;
    }
  }
  return [...byCategory.values()].sort((a, b) => b.count - a.count || a.category.localeCompare(b.category));
}

/**
 * Conflicts, blocked and failed changes whose pair and field no later writing run has looked at
 * again: neither recorded another change for it nor found it agreed (which records a newer base).
 */
export async function openProblems(db: Db): Promise<OpenProblem[]> {
  const rows = await db
    .selectFrom('run_changes as c')
    .innerJoin('runs as r', 'r.id', 'c.run_id')
    .select(['c.run_id', 'c.incident_id', 'c.issue_key', 'c.field', 'c.direction', 'c.outcome', 'c.reason', 'c.category', 'c.at'])
    .where('r.dry_run', '=', 0)
    .where('c.outcome', 'in', ['conflict', 'blocked', 'failed'])
    .where('c.reason', '!=', NOT_SENT_INTERRUPTED)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('run_changes as later')
            .innerJoin('runs as lr', 'lr.id', 'later.run_id')
            .select('later.id')
            .where('lr.dry_run', '=', 0)
            .whereRef('later.incident_id', '=', 'c.incident_id')
            .whereRef('later.field', '=', 'c.field')
            .whereRef('later.id', '>', 'c.id'),
        ),
      ),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('bases as b')
            .select('b.incident_id')
            .whereRef('b.incident_id', '=', 'c.incident_id')
            .whereRef('b.field', '=', 'c.field')
            .whereRef('b.recorded_at', '>', 'c.at'),
        ),
      ),
    )
    .orderBy('c.incident_id')
    .orderBy('c.field')
    .execute();
  return rows.map((row) => ({
    runId: row.run_id,
    incidentId: row.incident_id,
    issueKey: row.issue_key,
    field: row.field,
    direction: row.direction,
    outcome: row.outcome as OpenProblem['outcome'],
    reason: row.reason,
    category: row.category,
    at: new Date(row.at),
  }));
}

/**
 * Pairs still drifted after each of the last `count` runs that read both sides (diffs and dry runs included),
 * oldest first: those with a change the run did not apply (planned, skipped, conflict, blocked, failed).
 */
export async function driftHistory(db: Db, count: number): Promise<number[]> {
  const rows = await db
    .selectFrom('runs as r')
    .select(({ selectFrom }) =>
      selectFrom('run_changes as c')
        .select(({ fn }) => fn.count<number>('c.incident_id').distinct().as('n'))
        .whereRef('c.run_id', '=', 'r.id')
        .where('c.outcome', '!=', 'applied')
        .as('still_drifted'),
    )
    .where('r.status', '=', 'finished')
    .where('r.exit_code', 'in', [0, 4])
    .orderBy('r.id', 'desc')
    .limit(count)
    .execute();
  return rows.map((row) => Number(row.still_drifted ?? 0)).reverse();
}

/** Per run, how many of its recorded failures were changes the interrupted run never sent. */
export async function notSentFailures(db: Db, runIds: readonly number[]): Promise<Map<number, number>> {
  if (runIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('run_changes')
    .select(({ fn }) => ['run_id', fn.countAll<number>().as('count')])
    .where('run_id', 'in', [...runIds])
    .where('outcome', '=', 'failed')
    .where('reason', '=', NOT_SENT_INTERRUPTED)
    .groupBy('run_id')
    .execute();
  return new Map(rows.map((row) => [row.run_id, Number(row.count)]));
}

/** The outcome a change counts as: a failure to send because the run was interrupted is a skip. */
function recordedOutcome(row: { outcome: ChangeOutcome; reason: string }): ChangeOutcome {
  return row.outcome === 'failed' && row.reason === NOT_SENT_INTERRUPTED ? 'skipped' : row.outcome;
}

/** The value below which `fraction` of the sorted values lie (nearest rank), or null without values. */
export function percentile(sorted: readonly number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil(fraction * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

function isAttempt(outcome: ChangeOutcome): boolean {
  return outcome === 'applied' || outcome === 'blocked' || outcome === 'failed';
}

function zeroCounts(): Record<ChangeOutcome, number> {
  return { planned: 0, applied: 0, skipped: 0, conflict: 0, blocked: 0, failed: 0 };
}

/** Every change outcome writing runs recorded since the state file began, per sync type: counters for metrics. */
export async function changeTotals(db: Db): Promise<Array<{ field: string; direction: SyncDirection; outcome: ChangeOutcome; count: number }>> {
  const rows = await db
    .selectFrom('run_changes as c')
    .innerJoin('runs as r', 'r.id', 'c.run_id')
    .select(({ fn }) => ['c.field', 'c.direction', 'c.outcome', fn.countAll<number>().as('count')])
    .where('r.dry_run', '=', 0)
    .groupBy(['c.field', 'c.direction', 'c.outcome'])
    .execute();
  return rows.map((row) => ({ ...row, count: Number(row.count) }));
}

/** Every error writing runs recorded since the state file began, by category: counters for metrics. */
export async function errorTotals(db: Db): Promise<Map<ErrorCategory, number>> {
  const changes = await db
    .selectFrom('run_changes as c')
    .innerJoin('runs as r', 'r.id', 'c.run_id')
    .select(({ fn }) => ['c.category', fn.countAll<number>().as('count')])
    .where('r.dry_run', '=', 0)
    .where('c.category', 'is not', null)
    .groupBy('c.category')
    .execute();
  const errors = await db
    .selectFrom('run_errors as e')
    .innerJoin('runs as r', 'r.id', 'e.run_id')
    .select(({ fn }) => ['e.category', fn.countAll<number>().as('count')])
    .where('r.dry_run', '=', 0)
    .groupBy('e.category')
    .execute();
  const totals = new Map<ErrorCategory, number>();
  for (const row of [...changes, ...errors]) {
    const category = row.category as ErrorCategory;
    totals.set(category, (totals.get(category) ?? 0) + Number(row.count));
  }
  return totals;
}

/** When the last writing run finished having reached both sides (exit 0, or 4 with some changes refused), if ever. */
export async function lastSuccessAt(db: Db): Promise<Date | null> {
  const run = await lastCompletedWritingRun(db);
  return run?.finishedAt ?? null;
}

/** Pairs and drifted pairs of the last run that read both sides, if any. */
export async function lastReading(db: Db): Promise<{ pairs: number; driftPairs: number } | null> {
  const row = await db
    .selectFrom('runs')
    .select(['pairs', 'drift_pairs'])
    .where('status', '=', 'finished')
    .where('exit_code', 'in', [0, 4])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { pairs: row.pairs, driftPairs: row.drift_pairs } : null;
}
