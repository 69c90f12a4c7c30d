import { sql, type Kysely } from 'kysely';
import { runLockKey } from './advisory-lock.js';
import { backendOf } from './backend.js';
import type { Database } from './schema.js';
import { inSerializedTransaction } from './serialized-transaction.js';

export interface LockOwner {
  pid: number;
  /** Host name (os.hostname()); a holder's pid can only be checked on its own host. */
  host: string;
}

export interface LockHolder extends LockOwner {
  startedAt: Date;
}

export type LockResult = { ok: true } | { ok: false; holder: LockHolder };

/**
 * Takes the state's single lock for this process, or reports who holds it (the row with id 1 names the
 * holder). Atomic across processes and, on PostgreSQL, across machines. SQLite: a lock left by a process
 * that no longer exists on this host is taken over. PostgreSQL: the lock is an advisory lock of this
 * connection's session, which PostgreSQL releases when the holder's session ends, however it ends.
 */
export function acquireLock(
  db: Kysely<Database>,
  owner: LockOwner & { now: Date; runId?: number },
): Promise<LockResult> {
  return inSerializedTransaction(db, async (conn) => {
    const held = await conn.selectFrom('lock').select(['pid', 'host', 'started_at']).where('id', '=', 1).executeTakeFirst();
    if (!(await isFree(conn, held, owner))) {
      const holder = held ?? { pid: 0, host: 'an unknown host', started_at: owner.now.toISOString() };
      return { ok: false, holder: { pid: holder.pid, host: holder.host, startedAt: new Date(holder.started_at) } };
    }
    const row = { pid: owner.pid, host: owner.host, started_at: owner.now.toISOString(), run_id: owner.runId ?? null };
    await conn
      .insertInto('lock')
      .values({ id: 1, ...row })
      .onConflict((conflict) => conflict.column('id').doUpdateSet(row))
      .execute();
    return { ok: true };
  });
}

/** Releases the lock if `owner` holds it; returns whether it did. */
export async function releaseLock(db: Kysely<Database>, owner: LockOwner): Promise<boolean> {
  const result = await db
    .deleteFrom('lock')
    .where('id', '=', 1)
    .where('pid', '=', owner.pid)
    .where('host', '=', owner.host)
    .executeTakeFirst();
  if (backendOf(db) === 'postgres') await sql`select pg_advisory_unlock(${runLockKey})`.execute(db);
  return result.numDeletedRows > 0n;
}

async function isFree(conn: Kysely<Database>, held: LockOwner | undefined, owner: LockOwner): Promise<boolean> {
  if (backendOf(conn) === 'sqlite') return !held || isAbandoned(held, owner.host);
  // A session's advisory locks are re-entrant; a process asking twice must be refused as on SQLite.
  if (held && held.pid === owner.pid && held.host === owner.host) return false;
  const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${runLockKey}) as locked`.execute(conn);
  return rows[0]?.locked === true;
}

function isAbandoned(holder: LockOwner, ourHost: string): boolean {
  return holder.host === ourHost && !processExists(holder.pid);
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
