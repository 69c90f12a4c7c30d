import type { Kysely } from 'kysely';

/**
 * Per JIRA issue raidsync wrote, the `updated` the write left (read back from JIRA's database): Cloud's lagging search
 * index then cannot pass off the issue as it was before for a change, nor the write itself for someone else's.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('written_issues')
    .addColumn('issue_id', 'text', (col) => col.primaryKey())
    .addColumn('issue_key', 'text', (col) => col.notNull())
    .addColumn('left_updated', 'text', (col) => col.notNull())
    .addColumn('own', 'integer', (col) => col.notNull())
    .addColumn('written_at', 'text', (col) => col.notNull())
    .execute();
}
