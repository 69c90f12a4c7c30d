import { sql, type Kysely } from 'kysely';
import { serializationKey } from './advisory-lock.js';
import { backendOf } from './backend.js';

/**
 * Runs `work` in a transaction that takes the state's write lock at BEGIN, so two processes cannot both
 * read a row and then act on what they read. SQLite: BEGIN IMMEDIATE (a plain BEGIN only locks at the
 * first write). PostgreSQL: a transaction-scoped advisory lock for this schema, which may not exist yet.
 */
export function inSerializedTransaction<DB, R>(db: Kysely<DB>, work: (conn: Kysely<DB>) => Promise<R>): Promise<R> {
  return db.connection().execute(async (conn) => {
    if (backendOf(conn) === 'postgres') {
      await sql`begin`.execute(conn);
      await sql`select pg_advisory_xact_lock(${serializationKey})`.execute(conn);
    } else {
      await sql`begin immediate`.execute(conn);
    }
    try {
      const result = await work(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (error) {
      // SQLite may already have rolled back by itself (e.g. on a full disk); the original error is what matters.
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw error;
    }
  });
}
