import { PostgresAdapter, type Kysely } from 'kysely';

export type StateBackend = 'sqlite' | 'postgres';

/** Which database `db` (or a transaction or connection of it) talks to, for the few statements that differ. */
export function backendOf<DB>(db: Kysely<DB>): StateBackend {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
