import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * Runs `work` in a transaction that takes SQLite's write lock at BEGIN, so two processes cannot both
 * read a row and then act on what they read (a plain BEGIN only locks at the first write).
 */
export function inImmediateTransaction<T>(
  db: Kysely<Database>,
  work: (conn: Kysely<Database>) => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
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
