import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { describeLocation, type StateLocation } from './location.js';
import { assertSchemaIsCurrent, migrateToLatest } from './migrate.js';
import type { Database } from './schema.js';
import { StateFileError } from './state-file-error.js';
import { registerStateFile } from './run-lock-file.js';
import { prepareStateFile } from './state-file.js';
import { asStorageError, withStorageErrors } from './state-storage-error.js';
import { preparingOnce } from './statement-cache.js';

// Long enough to wait out another process's short write transaction, short enough to report a stuck one.
const BUSY_TIMEOUT_MS = 5_000;

/** An open state file or database: run queries on `db` (or in `db.transaction()`), then `close()` it. */
export interface StateDb {
  readonly db: Kysely<Database>;
  /** The file's path, or the PostgreSQL URL (password hidden) and schema: how messages name the state. */
  readonly path: string;
  close(): Promise<void>;
}

export interface OpenStateOptions {
  /** Opens without creating, migrating or writing anything (for `status`). */
  readonly?: boolean;
}

/**
 * Opens the state (a file path is SQLite), creating it (a file private) and migrating it to this build's
 * schema as needed. Throws StateFileError, leaving the state untouched, when it is not SQLite, corrupt, or
 * from a newer raidsync or another application; StateStorageError when the storage fails (busy, disk full, I/O); StateUnreachableError when PostgreSQL cannot be reached or refuses the credentials.
 */
export async function openState(target: string | StateLocation, options: OpenStateOptions = {}): Promise<StateDb> {
  const location: StateLocation = typeof target === 'string' ? { kind: 'sqlite', path: target } : target;
  const readonly = options.readonly ?? false;
  const path = describeLocation(location);
  const schema = location.kind === 'postgres' ? location.schema : undefined;
  // The pg driver loads only when the state lives in PostgreSQL.
  const db = location.kind === 'postgres' ? await (await import('./postgres.js')).connectPostgres(location, path, readonly) : openSqlite(location.path, readonly);
  try {
    if (readonly) await assertSchemaIsCurrent(db, path, schema);
    else await migrateToLatest(db, path, schema);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return { db, path, close: () => db.destroy() };
}

function openSqlite(path: string, readonly: boolean): Kysely<Database> {
  prepareStateFile(path, readonly);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStorageErrors(preparingOnce(connect(path, readonly)), path) }) });
  registerStateFile(db, path);
  return db;
}

function connect(path: string, readonly: boolean): SqliteDatabase.Database {
  let sqlite: SqliteDatabase.Database | undefined;
  try {
    sqlite = new SqliteDatabase(path, { readonly, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    const findings = (sqlite.pragma('quick_check') as Array<{ quick_check: string }>).map((row) => row.quick_check);
    if (findings[0] !== 'ok') throw new StateFileError(path, 'corrupt', `is corrupted (${firstProblem(findings)})`);
    // Before WAL mode, which rewrites the header: another application's database is left byte for byte as it was.
    if (isAnotherApplications(sqlite)) throw new StateFileError(path, 'not_raidsync', "is another application's SQLite database (it has tables but no raidsync migrations); refusing to touch it");
    if (!readonly) sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    return sqlite;
  } catch (error) {
    sqlite?.close();
    throw asStateFileError(error, path);
  }
}

/** Tables, but not raidsync's migration bookkeeping: an empty file or raidsync's own state is fine. */
function isAnotherApplications(sqlite: SqliteDatabase.Database): boolean {
  const tables = sqlite.prepare("select name from sqlite_master where type = 'table'").pluck().all() as string[];
  return tables.length > 0 && !tables.includes('kysely_migration');
}

function asStateFileError(error: unknown, path: string): unknown {
  if (!(error instanceof SqliteDatabase.SqliteError)) return error;
  const storage = asStorageError(error, path);
  if (storage !== error) return storage;
  if (error.code === 'SQLITE_CORRUPT' || error.code === 'SQLITE_NOTADB') {
    return new StateFileError(path, 'corrupt', `is corrupted (${error.message})`);
  }
  if (error.code === 'SQLITE_CANTOPEN' || error.code === 'SQLITE_PERM' || error.code === 'SQLITE_READONLY') {
    return new StateFileError(path, 'unreadable', `cannot be opened (${error.message})`);
  }
  return error;
}

// quick_check reports many lines under a `*** in database main ***` heading; one is enough to name the damage.
function firstProblem(findings: readonly string[]): string {
  const lines = findings.flatMap((finding) => finding.split('\n'));
  return lines.find((line) => line.trim() !== '' && !line.startsWith('***')) ?? 'integrity check failed';
}
