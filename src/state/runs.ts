import type { Kysely, Selectable } from 'kysely';
import type { ErrorCategory } from '../net/errors.js';
import { inBatches } from './batches.js';
import { inTransaction } from './in-transaction.js';
import { decodeJson, encodeJson, type JsonValue } from './json.js';
import type { ChangeOutcome, Database, RunsTable, RunStatus, SyncDirection } from './schema.js';

export interface RunCounts {
  pairs: number;
  driftPairs: number;
  planned: number;
  applied: number;
  skipped: number;
  conflicts: number;
  blocked: number;
  failed: number;
}

export interface RunStart {
  command: string;
  dryRun: boolean;
  startedAt: Date;
}

export interface RunEnd extends RunCounts {
  status: Exclude<RunStatus, 'running'>;
  finishedAt: Date;
  exitCode: number;
  durationMs: number;
}

export interface RunSummary extends RunStart, RunCounts {
  id: number;
  status: RunStatus;
  finishedAt: Date | null;
  exitCode: number | null;
  durationMs: number | null;
}

/** One field change a run planned or made; `from`/`to` are the target side's values. */
export interface RunChange {
  incidentId: number;
  issueKey: string;
  field: string;
  direction: SyncDirection;
  from: JsonValue;
  to: JsonValue;
  outcome: ChangeOutcome;
  reason: string;
  category: ErrorCategory | null;
  durationMs: number | null;
  at: Date;
}

export interface RunError {
  incidentId: number | null;
  issueKey: string | null;
  category: ErrorCategory;
  message: string;
  at: Date;
}

/** Records a run as running; returns its id. */
export async function startRun(db: Kysely<Database>, start: RunStart): Promise<number> {
  const { id } = await db
    .insertInto('runs')
    .values({
      command: start.command,
      dry_run: start.dryRun ? 1 : 0,
      started_at: start.startedAt.toISOString(),
      status: 'running',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function finishRun(db: Kysely<Database>, runId: number, end: RunEnd): Promise<void> {
  await db
    .updateTable('runs')
    .set({
      status: end.status,
      finished_at: end.finishedAt.toISOString(),
      pairs: end.pairs,
      drift_pairs: end.driftPairs,
      planned: end.planned,
      applied: end.applied,
      skipped: end.skipped,
      conflicts: end.conflicts,
      blocked: end.blocked,
      failed: end.failed,
      exit_code: end.exitCode,
      duration_ms: end.durationMs,
    })
    .where('id', '=', runId)
    .execute();
}

/**
 * Marks as crashed every run still recorded as running. Call it only while holding the lock:
 * then no other process can be running them.
 */
export async function markStaleRunsCrashed(db: Kysely<Database>): Promise<number> {
  const result = await db.updateTable('runs').set({ status: 'crashed' }).where('status', '=', 'running').executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The `count` most recent runs, newest first. */
export async function lastRuns(db: Kysely<Database>, count: number): Promise<RunSummary[]> {
  const rows = await db.selectFrom('runs').selectAll().orderBy('id', 'desc').limit(count).execute();
  return rows.map(toRunSummary);
}

export function recordChanges(db: Kysely<Database>, runId: number, changes: readonly RunChange[]): Promise<void> {
  return inTransaction(db, async (trx) => {
    for (const batch of inBatches(changes)) {
      await trx
        .insertInto('run_changes')
        .values(
          batch.map((change) => ({
            run_id: runId,
            incident_id: change.incidentId,
            issue_key: change.issueKey,
            field: change.field,
            direction: change.direction,
            from_value: encodeJson(change.from),
            to_value: encodeJson(change.to),
            outcome: change.outcome,
            reason: change.reason,
            category: change.category,
            duration_ms: change.durationMs,
            at: change.at.toISOString(),
          })),
        )
        .execute();
    }
  });
}

export function recordErrors(db: Kysely<Database>, runId: number, errors: readonly RunError[]): Promise<void> {
  return inTransaction(db, async (trx) => {
    for (const batch of inBatches(errors)) {
      await trx
        .insertInto('run_errors')
        .values(
          batch.map((error) => ({
            run_id: runId,
            incident_id: error.incidentId,
            issue_key: error.issueKey,
            category: error.category,
            message: error.message,
            at: error.at.toISOString(),
          })),
        )
        .execute();
    }
  });
}

/** A run's changes in the order they were recorded. */
export async function changesOfRun(db: Kysely<Database>, runId: number): Promise<RunChange[]> {
  const rows = await db.selectFrom('run_changes').selectAll().where('run_id', '=', runId).orderBy('id').execute();
  return rows.map((row) => ({ ...sentChange(row), category: row.category, durationMs: row.duration_ms }));
}

type StoredChange = Pick<Selectable<Database['run_changes']>, 'at' | 'incident_id' | 'issue_key' | 'field' | 'direction' | 'from_value' | 'to_value' | 'outcome' | 'reason'>;

/** What a stored change row says of the write, as `status` and `log` both read it. */
export function sentChange(row: StoredChange): Omit<RunChange, 'category' | 'durationMs'> {
  return {
    incidentId: row.incident_id,
    issueKey: row.issue_key,
    field: row.field,
    direction: row.direction,
    from: decodeJson(row.from_value),
    to: decodeJson(row.to_value),
    outcome: row.outcome,
    reason: row.reason,
    at: new Date(row.at),
  };
}

/** A run's errors in the order they were recorded. */
export async function errorsOfRun(db: Kysely<Database>, runId: number): Promise<RunError[]> {
  const rows = await db.selectFrom('run_errors').selectAll().where('run_id', '=', runId).orderBy('id').execute();
  return rows.map((row) => ({
    incidentId: row.incident_id,
    issueKey: row.issue_key,
    category: row.category,
    message: row.message,
    at: new Date(row.at),
  }));
}

function toRunSummary(row: Selectable<RunsTable>): RunSummary {
  return {
    id: row.id,
    command: row.command,
    dryRun: row.dry_run === 1,
    startedAt: new Date(row.started_at),
    finishedAt: row.finished_at === null ? null : new Date(row.finished_at),
    status: row.status,
    pairs: row.pairs,
    driftPairs: row.drift_pairs,
    planned: row.planned,
    applied: row.applied,
    skipped: row.skipped,
    conflicts: row.conflicts,
    blocked: row.blocked,
    failed: row.failed,
    exitCode: row.exit_code,
    durationMs: row.duration_ms,
  };
}
