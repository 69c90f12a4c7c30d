import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * How many pairs the last writing run that ran to completion (exit 0 or 4) read: the baseline against which a
 * sudden collapse of what a side returns is measured. Null when no such run exists yet.
 */
export async function lastCompletedPairCount(db: Kysely<Database>): Promise<number | null> {
  const row = await db
    .selectFrom('runs')
    .select('pairs')
    .where('dry_run', '=', 0)
    .where('status', '=', 'finished')
    .where('exit_code', 'in', [0, 4])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.pairs ?? null;
}
