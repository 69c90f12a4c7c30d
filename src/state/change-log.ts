import type { Kysely } from 'kysely';
import { NOT_SENT_INTERRUPTED } from '../sync/decide/plan.js';
import { sentChange, type RunChange } from './runs.js';
import type { ChangeOutcome, Database } from './schema.js';

/** Which writes `raidsync log` lists; every filter given must hold. */
export interface ChangeLogFilter {
  incidentId?: number | undefined;
  issueKey?: string | undefined;
  runId?: number | undefined;
  since?: Date | undefined;
}

/** One write raidsync made (or sent and saw refused), as the audit trail shows it: a run's change and its run. */
export interface LoggedChange extends Omit<RunChange, 'category' | 'durationMs'> {
  runId: number;
  command: string;
}

/** The outcomes of a write that was sent: applied, or refused (blocked) or failed on the way. */
const SENT: readonly ChangeOutcome[] = ['applied', 'blocked', 'failed'];

/** Writes of writing runs (never diffs or dry runs), newest first; changes an interrupted run never sent are left out. */
export async function changeLog(db: Kysely<Database>, filter: ChangeLogFilter): Promise<LoggedChange[]> {
  let query = db
    .selectFrom('run_changes as c')
    .innerJoin('runs as r', 'r.id', 'c.run_id')
    .select(['c.at', 'c.run_id', 'r.command', 'c.incident_id', 'c.issue_key', 'c.field', 'c.direction', 'c.from_value', 'c.to_value', 'c.outcome', 'c.reason'])
    .where('r.dry_run', '=', 0)
    .where('c.outcome', 'in', [...SENT])
    .where('c.reason', '!=', NOT_SENT_INTERRUPTED);
  if (filter.incidentId !== undefined) query = query.where('c.incident_id', '=', filter.incidentId);
  if (filter.issueKey !== undefined) query = query.where('c.issue_key', '=', filter.issueKey);
  if (filter.runId !== undefined) query = query.where('c.run_id', '=', filter.runId);
  if (filter.since !== undefined) query = query.where('c.at', '>=', filter.since.toISOString());
  const rows = await query.orderBy('c.at', 'desc').orderBy('c.id', 'desc').execute();
  return rows.map((row) => ({ ...sentChange(row), runId: row.run_id, command: row.command }));
}
