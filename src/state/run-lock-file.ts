import { closeSync, openSync } from 'node:fs';
import SqliteDatabase from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/*
 * The SQLite run lock: SQLite's own POSIX lock on a sibling file `<state>.lock`, taken by `BEGIN EXCLUSIVE` and
 * held for the run. The kernel drops it when the process ends, however it ends and whatever the host is called.
 */

// Long enough to wait out `status` probing the lock, short enough that a second run is refused at once.
const TAKE_TIMEOUT_MS = 1_000;

const stateFiles = new WeakMap<Kysely<Database>, string>();
// Held here for the run: a connection the garbage collector closed would drop the lock with it.
const heldLocks = new WeakMap<Kysely<Database>, SqliteDatabase.Database>();

/** Tells the lock which file `db` is (open.ts does, for each SQLite state it opens). */
export function registerStateFile(db: Kysely<Database>, path: string): void {
  stateFiles.set(db, path);
}

function lockPathOf(db: Kysely<Database>): string {
  const path = stateFiles.get(db);
  if (path === undefined) throw new Error('the run lock needs a state opened with openState');
  return `${path}.lock`;
}

/** Takes the lock for `db`; false when another process, or another open of the state in this one, holds it. */
export function takeRunLockFile(db: Kysely<Database>): boolean {
  if (heldLocks.has(db)) return false;
  const path = lockPathOf(db);
  // Created private like the state; SQLite takes an empty file as an empty database.
  closeSync(openSync(path, 'a', 0o600));
  const lock = new SqliteDatabase(path, { timeout: TAKE_TIMEOUT_MS });
  try {
    lock.exec('begin exclusive');
  } catch (error) {
    lock.close();
    if (error instanceof SqliteDatabase.SqliteError && error.code === 'SQLITE_BUSY') return false;
    throw error;
  }
  heldLocks.set(db, lock);
  return true;
}

export function releaseRunLockFile(db: Kysely<Database>): void {
  const lock = heldLocks.get(db);
  if (!lock) return;
  heldLocks.delete(db);
  lock.exec('rollback');
  lock.close();
}

/** Whether some process holds the lock, probed with a read that an exclusive holder refuses (taking nothing). */
export function runLockFileHeld(db: Kysely<Database>): boolean {
  if (heldLocks.has(db)) return true;
  let probe: SqliteDatabase.Database;
  try {
    probe = new SqliteDatabase(lockPathOf(db), { readonly: true, fileMustExist: true, timeout: 0 });
  } catch {
    // No lock file: no writing run has ever taken the lock.
    return false;
  }
  try {
    probe.prepare('select count(*) from sqlite_master').get();
    return false;
  } catch (error) {
    if (error instanceof SqliteDatabase.SqliteError && error.code === 'SQLITE_BUSY') return true;
    throw error;
  } finally {
    probe.close();
  }
}
