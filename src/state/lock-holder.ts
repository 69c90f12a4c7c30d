import type { Kysely } from 'kysely';
import { runLockHeld } from './advisory-lock.js';
import { backendOf } from './backend.js';
import type { LockHolder } from './lock.js';
import { runLockFileHeld } from './run-lock-file.js';
import type { Database } from './schema.js';

/**
 * Who holds the state's lock (a run is going), without touching it. A killed runner's row is no lock: the
 * kernel freed its lock file (SQLite), PostgreSQL its session's advisory lock.
 */
export async function readLockHolder(db: Kysely<Database>): Promise<LockHolder | null> {
  const row = await db.selectFrom('lock').select(['pid', 'host', 'started_at']).where('id', '=', 1).executeTakeFirst();
  if (!row) return null;
  const held = backendOf(db) === 'postgres' ? (await runLockHeld.execute(db)).rows[0]?.held === true : runLockFileHeld(db);
  if (!held) return null;
  return { pid: row.pid, host: row.host, startedAt: new Date(row.started_at) };
}
