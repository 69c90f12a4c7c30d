import type { Kysely } from 'kysely';
import { runLockHeld } from './advisory-lock.js';
import { backendOf } from './backend.js';
import type { LockHolder } from './lock.js';
import type { Database } from './schema.js';

/**
 * Who holds the state's lock (a run is going, or was killed and left it), without touching it. On PostgreSQL
 * a killed runner's row is no lock: its session ended and PostgreSQL freed the advisory lock.
 */
export async function readLockHolder(db: Kysely<Database>): Promise<LockHolder | null> {
  const row = await db.selectFrom('lock').select(['pid', 'host', 'started_at']).where('id', '=', 1).executeTakeFirst();
  if (row && backendOf(db) === 'postgres' && !(await runLockHeld.execute(db)).rows[0]?.held) return null;
  return row ? { pid: row.pid, host: row.host, startedAt: new Date(row.started_at) } : null;
}
