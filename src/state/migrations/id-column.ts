import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import { backendOf } from '../backend.js';

/** An integer primary key numbered by the database: AUTOINCREMENT on SQLite, an identity column on PostgreSQL. */
export function autoIncrementingKey(db: Kysely<unknown>): (col: ColumnDefinitionBuilder) => ColumnDefinitionBuilder {
  return backendOf(db) === 'postgres'
    ? (col) => col.primaryKey().generatedByDefaultAsIdentity()
    : (col) => col.primaryKey().autoIncrement();
}
