import type { Kysely } from 'kysely';
import { encodeJson } from './json.js';
import type { ChangeOutcome, Database, SyncDirection } from './schema.js';

/** A problem a run reported: one pair's field, which way, its outcome and why. */
export interface Problem {
  incident: number;
  field: string;
  direction: SyncDirection;
  outcome: ChangeOutcome;
  from: string | null;
  to: string | null;
  reason: string;
}

/** How far back the history is searched for the start of a problem's streak. */
const RUNS_LOOKED_AT = 200;

/**
 * For each problem of run `runId`, the earliest run of an unbroken streak of earlier runs (same command, dry or
 * not alike) that reported it unchanged; absent when the run before did not: the problem is new.
 */
export async function problemStreaks<P extends Problem>(db: Kysely<Database>, runId: number, problems: readonly P[]): Promise<Map<P, number>> {
  const streaks = new Map<P, number>();
  if (problems.length === 0) return streaks;
  const current = await db.selectFrom('runs').select(['command', 'dry_run']).where('id', '=', runId).executeTakeFirst();
  if (!current) return streaks;
  const runs = await db
    .selectFrom('runs')
    .select('id')
    .where('command', '=', current.command)
    .where('dry_run', '=', current.dry_run)
    .where('id', '<', runId)
    .orderBy('id', 'desc')
    .limit(RUNS_LOOKED_AT)
    .execute();
  if (runs.length === 0) return streaks;
  const earlier = runs.map((run) => run.id);
  const rows = await db
    .selectFrom('run_changes')
    .select(['run_id', 'incident_id', 'field', 'direction', 'outcome', 'from_value', 'to_value', 'reason'])
    .where('run_id', 'in', earlier)
    .where('incident_id', 'in', [...new Set(problems.map((problem) => problem.incident))])
    .where('outcome', 'in', [...new Set(problems.map((problem) => problem.outcome))])
    .execute();
  const seen = new Set(rows.map((row) => keyOf(row.run_id, row.incident_id, row)));
  for (const problem of problems) {
    let since: number | undefined;
    for (const run of earlier) {
      if (!seen.has(keyOf(run, problem.incident, { ...problem, from_value: encodeJson(problem.from), to_value: encodeJson(problem.to) }))) break;
      since = run;
    }
    if (since !== undefined) streaks.set(problem, since);
  }
  return streaks;
}

/** A change as the state file keeps it (values as stored JSON text), keyed for comparison. */
function keyOf(run: number, incident: number, change: { field: string; direction: string; outcome: string; from_value: string | null; to_value: string | null; reason: string }): string {
  return JSON.stringify([run, incident, change.field, change.direction, change.outcome, change.from_value, change.to_value, change.reason]);
}
