import { Migrator, type Kysely } from 'kysely';
import { inImmediateTransaction } from './immediate-transaction.js';
import { migrationProvider, migrations } from './migrations/all.js';
import type { Database } from './schema.js';
import { StateFileError } from './state-file-error.js';

// Kysely's and SQLite's own bookkeeping tables, absent from Database on purpose.
type BookkeepingTables = {
  kysely_migration: { name: string };
  sqlite_master: { type: string; name: string };
};

/**
 * Brings the state file's schema to this build's latest, all or nothing; two processes opening
 * a new file at once migrate it one after the other.
 */
export function migrateToLatest(db: Kysely<Database>, path: string): Promise<void> {
  return inImmediateTransaction(db, async (conn) => {
    assertNoUnknownMigrations(await appliedMigrations(conn), path);
    const { error } = await new Migrator({ db: conn, provider: migrationProvider }).migrateToLatest();
    if (error) throw error;
  });
}

/** For a read-only open, which cannot migrate: the schema must already be exactly this build's. */
export async function assertSchemaIsCurrent(db: Kysely<Database>, path: string): Promise<void> {
  const applied = await appliedMigrations(db);
  if (applied.length === 0) throw new StateFileError(path, 'missing', 'holds no raidsync state yet');
  assertNoUnknownMigrations(applied, path);
  const pending = Object.keys(migrations).filter((name) => !applied.includes(name));
  if (pending.length > 0) {
    throw new StateFileError(path, 'outdated', 'was written by an older raidsync; run a writing command once to upgrade it');
  }
}

async function appliedMigrations(db: Kysely<Database>): Promise<string[]> {
  const tables = db.withTables<BookkeepingTables>();
  const table = await tables
    .selectFrom('sqlite_master')
    .select('name')
    .where('type', '=', 'table')
    .where('name', '=', 'kysely_migration')
    .executeTakeFirst();
  if (!table) return [];
  const rows = await tables.selectFrom('kysely_migration').select('name').orderBy('name').execute();
  return rows.map((row) => row.name);
}

function assertNoUnknownMigrations(applied: readonly string[], path: string): void {
  const unknown = applied.filter((name) => !Object.hasOwn(migrations, name));
  if (unknown.length > 0) {
    throw new StateFileError(
      path,
      'newer_version',
      `was written by a newer raidsync (unknown migration ${unknown.join(', ')}); upgrade raidsync to use it`,
    );
  }
}
