import type { Kysely } from 'kysely';
import type { LockHolder } from './lock.js';
import type { Database } from './schema.js';

/** Who holds the state's lock (a run is going, or was killed and left it), without touching it. */
export async function readLockHolder(db: Kysely<Database>): Promise<LockHolder | null> {
  const row = await db.selectFrom('lock').select(['pid', 'host', 'started_at']).where('id', '=', 1).executeTakeFirst();
  return row ? { pid: row.pid, host: row.host, startedAt: new Date(row.started_at) } : null;
}
