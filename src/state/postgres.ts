import { hostname } from 'node:os';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { StateLocation } from './location.js';
import type { Database } from './schema.js';
import { StateUnreachableError } from './state-unreachable-error.js';

// Long enough for a database across regions, short enough that a wrong host is reported rather than awaited.
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Connects to the state's PostgreSQL through one session, held open until close: the run lock is an
 * advisory lock of that session (released by PostgreSQL if the process dies), and one session also
 * gives the same one-statement-at-a-time behaviour as the SQLite file.
 */
export async function connectPostgres(
  location: Extract<StateLocation, { kind: 'postgres' }>,
  where: string,
  readonly: boolean,
): Promise<Kysely<Database>> {
  const settings = [`-c search_path=${location.schema}`, ...(readonly ? ['-c default_transaction_read_only=on'] : [])];
  const pool = new pg.Pool({
    connectionString: location.url,
    max: 1,
    idleTimeoutMillis: 0,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // Names the process in pg_stat_activity, so a DBA (or a test) can tell which runner a session belongs to.
    application_name: `raidsync ${process.pid}@${hostname()}`.slice(0, 63),
    options: settings.join(' '),
  });
  // A session that breaks while idle is reported by the next query; unhandled, the pool's event would end the process.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy();
    throw new StateUnreachableError(where, reasonOf(error));
  }
  return db;
}

function reasonOf(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  const text = (message ?? String(error)).split('\n')[0] ?? '';
  return code && !text.includes(code) ? `${text} (${code})` : text;
}
