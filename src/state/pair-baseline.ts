import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * The last writing run that ran to completion, having reached both sides (exit 0, or 4 with some changes refused):
 * how many pairs it read is the baseline against which a sudden collapse of what a side returns is measured, and
 * when it finished is the last success monitoring reports. Null when no such run exists yet.
 */
export async function lastCompletedWritingRun(db: Kysely<Database>): Promise<{ pairs: number; finishedAt: Date | null } | null> {
  const row = await db
    .selectFrom('runs')
    .select(['pairs', 'finished_at'])
    .where('dry_run', '=', 0)
    .where('status', '=', 'finished')
    .where('exit_code', 'in', [0, 4])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { pairs: row.pairs, finishedAt: row.finished_at ? new Date(row.finished_at) : null } : null;
}
