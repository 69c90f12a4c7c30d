import type { Kysely } from 'kysely';

/**
 * Screens of learned transitions (their required fields, JSON; null while unknown), and the status paths raidsync
 * has begun but not finished, so that the next run resumes one from wherever the issue now is.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('workflow_edges').addColumn('required_fields', 'text').execute();
  await db.schema
    .createTable('status_paths')
    .addColumn('incident_id', 'integer', (col) => col.primaryKey())
    .addColumn('issue_key', 'text', (col) => col.notNull())
    .addColumn('target', 'text', (col) => col.notNull())
    .addColumn('statuses', 'text', (col) => col.notNull())
    .addColumn('started_at', 'text', (col) => col.notNull())
    .execute();
}
