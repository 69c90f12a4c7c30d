import type { Kysely } from 'kysely';

/** A hash of the pair's Impact values when last left in sync: a run finds unchanged pairs without loading their bases. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('pairs').addColumn('impact_hash', 'text').execute();
}
