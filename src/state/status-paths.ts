import type { Kysely } from 'kysely';
import { inBatches } from './batches.js';
import type { Database } from './schema.js';

/** A status path raidsync began walking for a pair: the statuses along it, from where it started to the target. */
export interface StatusPath {
  incidentId: number;
  issueKey: string;
  target: string;
  statuses: string[];
  startedAt: Date;
}

export async function loadStatusPaths(db: Kysely<Database>): Promise<StatusPath[]> {
  const rows = await db.selectFrom('status_paths').selectAll().orderBy('incident_id').execute();
  return rows.map((row) => ({
    incidentId: row.incident_id,
    issueKey: row.issue_key,
    target: row.target,
    statuses: JSON.parse(row.statuses) as string[],
    startedAt: new Date(row.started_at),
  }));
}

/** Recorded before the first hop, so that a crash at any hop leaves it behind. */
export async function beginStatusPath(db: Kysely<Database>, path: StatusPath): Promise<void> {
  const values = {
    incident_id: path.incidentId,
    issue_key: path.issueKey,
    target: path.target,
    statuses: JSON.stringify(path.statuses),
    started_at: path.startedAt.toISOString(),
  };
  await db
    .insertInto('status_paths')
    .values(values)
    .onConflict((conflict) => conflict.column('incident_id').doUpdateSet({ issue_key: values.issue_key, target: values.target, statuses: values.statuses, started_at: values.started_at }))
    .execute();
}

export async function forgetStatusPaths(db: Kysely<Database>, incidentIds: readonly number[]): Promise<void> {
  // In batches: a run over 50,000 pairs would otherwise bind more parameters than SQLite allows.
  for (const batch of inBatches(incidentIds)) await db.deleteFrom('status_paths').where('incident_id', 'in', batch).execute();
}
