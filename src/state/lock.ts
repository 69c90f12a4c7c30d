import { sql, type Kysely } from 'kysely';
import { runLockKey } from './advisory-lock.js';
import { backendOf } from './backend.js';
import { releaseRunLockFile, takeRunLockFile } from './run-lock-file.js';
import type { Database } from './schema.js';
import { inSerializedTransaction } from './serialized-transaction.js';

export interface LockOwner {
  pid: number;
  /** Host name (os.hostname()), for the message that names the holder. */
  host: string;
}

export interface LockHolder extends LockOwner {
  startedAt: Date;
}

export type LockResult = { ok: true } | { ok: false; holder: LockHolder };

/**
 * Takes the state's single lock for this process, or reports who holds it (the row with id 1 names the
 * holder, for the message only). The lock itself is one the system frees when the holder dies, however it
 * dies and on whatever host: on SQLite a kernel lock on the sibling file `<state>.lock` (run-lock-file.ts),
 * on PostgreSQL an advisory lock of this connection's session.
 */
export async function acquireLock(
  db: Kysely<Database>,
  owner: LockOwner & { now: Date; runId?: number },
): Promise<LockResult> {
  if (backendOf(db) === 'sqlite') {
    if (!takeRunLockFile(db)) return { ok: false, holder: await holderOrUnknown(db, owner.now) };
    try {
      await inSerializedTransaction(db, (conn) => recordHolder(conn, owner));
    } catch (error) {
      releaseRunLockFile(db);
      throw error;
    }
    return { ok: true };
  }
  return inSerializedTransaction(db, async (conn) => {
    const held = await conn.selectFrom('lock').select(['pid', 'host']).where('id', '=', 1).executeTakeFirst();
    // A session's advisory locks are re-entrant; a process asking twice must be refused as on SQLite.
    const again = held !== undefined && held.pid === owner.pid && held.host === owner.host;
    const locked = !again && (await sql<{ locked: boolean }>`select pg_try_advisory_lock(${runLockKey}) as locked`.execute(conn)).rows[0]?.locked === true;
    if (!locked) return { ok: false, holder: await holderOrUnknown(conn, owner.now) };
    await recordHolder(conn, owner);
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
  const released = result.numDeletedRows > 0n;
  if (backendOf(db) === 'postgres') await sql`select pg_advisory_unlock(${runLockKey})`.execute(db);
  else if (released) releaseRunLockFile(db);
  return released;
}

async function recordHolder(conn: Kysely<Database>, owner: LockOwner & { now: Date; runId?: number }): Promise<void> {
  const row = { pid: owner.pid, host: owner.host, started_at: owner.now.toISOString(), run_id: owner.runId ?? null };
  await conn
    .insertInto('lock')
    .values({ id: 1, ...row })
    .onConflict((conflict) => conflict.column('id').doUpdateSet(row))
    .execute();
}

async function holderOrUnknown(conn: Kysely<Database>, now: Date): Promise<LockHolder> {
  const held = await conn.selectFrom('lock').select(['pid', 'host', 'started_at']).where('id', '=', 1).executeTakeFirst();
  const holder = held ?? { pid: 0, host: 'an unknown host', started_at: now.toISOString() };
  return { pid: holder.pid, host: holder.host, startedAt: new Date(holder.started_at) };
}
