import type { Kysely } from 'kysely';

/** Whether the last run left every field of the pair agreed: only such pairs may go unread while neither side moves. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('pairs')
    .addColumn('in_sync', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
}
