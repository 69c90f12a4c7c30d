import { sql, type Kysely } from 'kysely';
import { backendOf } from './backend.js';
import { inBatches } from './batches.js';
import type { Database } from './schema.js';

export interface CopiedTable {
  table: string;
  rows: number;
}

/** The target already holds raidsync state: copying into it would mix two histories (exit 2). */
export class StateNotEmptyError extends Error {
  constructor(where: string, table: string) {
    super(`State ${where} already holds raidsync state (table ${table} has rows); copy only into a new, empty state`);
    this.name = 'StateFileError';
  }
}

// Rows that others reference go first (run_changes, run_errors and intents point at runs).
const FIRST = ['runs'];
// The lock row belongs to whoever is copying: it describes no state to carry over.
const NOT_COPIED = new Set(['lock']);

/**
 * Copies every row of every raidsync table from one migrated state to another, empty one, in one transaction
 * of the target: all or nothing. Ids are kept, so runs keep their changes; numbering continues after them.
 */
export async function copyState(from: StateSide, to: StateSide & { where: string }): Promise<CopiedTable[]> {
  const tables = await stateTables(from);
  const numbered = await numberedColumns(to);
  const source = untyped(from.db);
  return untyped(to.db).transaction().execute(async (target) => {
    for (const table of tables) {
      const existing = await target.selectFrom(table).selectAll().limit(1).execute();
      if (existing.length > 0) throw new StateNotEmptyError(to.where, table);
    }
    const copied: CopiedTable[] = [];
    for (const table of tables) {
      const rows = await source.selectFrom(table).selectAll().execute();
      for (const batch of inBatches(rows)) await target.insertInto(table).values(batch).execute();
      const column = numbered.get(table);
      if (column !== undefined && backendOf(target) === 'postgres') await continueNumbering(target, table, column);
      copied.push({ table, rows: rows.length });
    }
    return copied;
  });
}

/** An open state and, on PostgreSQL, its schema (introspection sees every schema of the database). */
export interface StateSide {
  db: Kysely<Database>;
  schema?: string | undefined;
}

type AnyTables = Record<string, Record<string, unknown>>;

// Tables are walked by name, whatever migrations added them; their rows pass through unchanged.
function untyped(db: Kysely<Database>): Kysely<AnyTables> {
  return db as unknown as Kysely<AnyTables>;
}

async function tablesOf(side: StateSide) {
  const tables = await side.db.introspection.getTables();
  return tables.filter((table) => !table.isView && (side.schema === undefined || table.schema === side.schema));
}

/** raidsync's tables in a migrated state, in an order that respects their references. */
async function stateTables(side: StateSide): Promise<string[]> {
  const names = (await tablesOf(side)).map((table) => table.name).filter((name) => !NOT_COPIED.has(name));
  return [...FIRST.filter((name) => names.includes(name)), ...names.filter((name) => !FIRST.includes(name)).sort()];
}

/** The column the database numbers by itself, per table. */
async function numberedColumns(side: StateSide): Promise<Map<string, string>> {
  const numbered = new Map<string, string>();
  for (const table of await tablesOf(side)) {
    const column = table.columns.find((candidate) => candidate.isAutoIncrementing);
    if (column) numbered.set(table.name, column.name);
  }
  return numbered;
}

/** An identity column given explicit values does not move its sequence: move it past them. */
async function continueNumbering(db: Kysely<AnyTables>, table: string, column: string): Promise<void> {
  await sql`select setval(pg_get_serial_sequence(${table}, ${column}), coalesce((select max(${sql.ref(column)}) from ${sql.table(table)}), 0) + 1, false)`.execute(db);
}
