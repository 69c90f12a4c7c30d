import SqliteDatabase from 'better-sqlite3';
import type { SqliteDatabase as KyselySqliteDatabase, SqliteStatement } from 'kysely';
import type { PreparingConnection } from './statement-cache.js';

export type StateStorageProblem = 'busy' | 'full' | 'io';

/** The state file exists and is raidsync's, but the storage under it failed (locked too long, disk full, I/O): exit 3, as for an unreachable service. */
export class StateStorageError extends Error {
  readonly path: string;
  readonly problem: StateStorageProblem;

  constructor(path: string, problem: StateStorageProblem, cause: Error) {
    super(`State file ${path} ${DESCRIPTIONS[problem]} (${cause.message})`, { cause });
    this.name = 'StateStorageError';
    this.path = path;
    this.problem = problem;
  }
}

const DESCRIPTIONS: Record<StateStorageProblem, string> = {
  busy: 'stayed locked by another process past the busy timeout; run again once it is done',
  full: 'could not be written: the disk (or its quota) is full; free space and run again',
  io: 'could not be read or written (an I/O error on the disk under it)',
};

/** The storage problem a SQLite error stands for, or null for one that is not about the storage. */
function problemOf(error: unknown): StateStorageProblem | null {
  if (!(error instanceof SqliteDatabase.SqliteError)) return null;
  if (error.code === 'SQLITE_BUSY' || error.code.startsWith('SQLITE_BUSY_') || error.code === 'SQLITE_LOCKED') return 'busy';
  if (error.code === 'SQLITE_FULL') return 'full';
  if (error.code.startsWith('SQLITE_IOERR')) return 'io';
  return null;
}

/** `error` as a StateStorageError when SQLite reported busy, full or an I/O failure; otherwise as it was. */
export function asStorageError(error: unknown, path: string): unknown {
  const problem = problemOf(error);
  return problem === null ? error : new StateStorageError(path, problem, error as Error);
}

function guarded<T>(path: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw asStorageError(error, path);
  }
}

function* guardedRows(path: string, rows: IterableIterator<unknown>): IterableIterator<unknown> {
  try {
    yield* rows;
  } catch (error) {
    throw asStorageError(error, path);
  }
}

/** The database as Kysely's SQLite dialect drives it, every statement's storage failures raised as StateStorageError. */
export function withStorageErrors(sqlite: PreparingConnection, path: string): KyselySqliteDatabase {
  return {
    close: () => sqlite.close(),
    prepare: (sql): SqliteStatement => {
      const statement = guarded(path, () => sqlite.prepare(sql));
      return {
        reader: statement.reader,
        all: (parameters) => guarded(path, () => statement.all(...parameters)),
        run: (parameters) => guarded(path, () => statement.run(...parameters)),
        iterate: (parameters) => guardedRows(path, guarded(path, () => statement.iterate(...parameters))),
      };
    },
  };
}
