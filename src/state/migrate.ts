import { Migrator, type Kysely } from 'kysely';
import { migrationProvider, migrations } from './migrations/all.js';
import type { Database } from './schema.js';
import { inSerializedTransaction } from './serialized-transaction.js';
import { StateFileError } from './state-file-error.js';

// Kysely's own bookkeeping table, absent from Database on purpose.
type BookkeepingTables = {
  kysely_migration: { name: string };
};

/**
 * Brings the state file's schema to this build's latest, all or nothing; two processes opening
 * a new file at once migrate it one after the other.
 */
export function migrateToLatest(db: Kysely<Database>, path: string, schema?: string): Promise<void> {
  return inSerializedTransaction(db, async (conn) => {
    assertNoUnknownMigrations(await appliedMigrations(conn, schema), path);
    // The transaction is ours (it holds the lock), so the Migrator must not open one of its own.
    const migrator = new Migrator({ db: conn, provider: migrationProvider, disableTransactions: true, migrationTableSchema: schema });
    const { error } = await migrator.migrateToLatest();
    if (error) throw error;
  });
}

/** For a read-only open, which cannot migrate: the schema must already be exactly this build's. */
export async function assertSchemaIsCurrent(db: Kysely<Database>, path: string, schema?: string): Promise<void> {
  const applied = await appliedMigrations(db, schema);
  if (applied.length === 0) throw new StateFileError(path, 'missing', 'holds no raidsync state yet');
  assertNoUnknownMigrations(applied, path);
  const pending = Object.keys(migrations).filter((name) => !applied.includes(name));
  if (pending.length > 0) {
    throw new StateFileError(path, 'outdated', 'was written by an older raidsync; run a writing command once to upgrade it');
  }
}

/** `schema`: PostgreSQL's schema for raidsync (other schemas of the database may have their own kysely_migration). */
async function appliedMigrations(db: Kysely<Database>, schema: string | undefined): Promise<string[]> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  if (!tables.some((table) => table.name === 'kysely_migration' && (schema === undefined || table.schema === schema))) return [];
  const rows = await db.withTables<BookkeepingTables>().selectFrom('kysely_migration').select('name').orderBy('name').execute();
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
