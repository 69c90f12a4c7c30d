import type { Kysely } from 'kysely';
import { inImmediateTransaction } from './immediate-transaction.js';
import type { Database } from './schema.js';

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
 * Takes the state file's single lock for this process, or reports who holds it. A lock left by a
 * process that no longer exists on this host is taken over. Atomic across processes.
 */
export function acquireLock(
  db: Kysely<Database>,
  owner: LockOwner & { now: Date; runId?: number },
): Promise<LockResult> {
  return inImmediateTransaction(db, async (conn) => {
    const held = await conn.selectFrom('lock').select(['pid', 'host', 'started_at']).where('id', '=', 1).executeTakeFirst();
    if (held && !isAbandoned(held, owner.host)) {
      return { ok: false, holder: { pid: held.pid, host: held.host, startedAt: new Date(held.started_at) } };
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
  return result.numDeletedRows > 0n;
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
