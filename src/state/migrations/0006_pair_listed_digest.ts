import type { Kysely } from 'kysely';

/**
 * The digest of FireFighter's list element a settled pair was last seen in: a run that meets the same bytes again
 * knows the incident unchanged without decoding or checking it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('pairs').addColumn('listed_digest', 'text').execute();
}
