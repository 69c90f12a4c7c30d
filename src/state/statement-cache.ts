import type SqliteDatabase from 'better-sqlite3';

/** What Kysely's SQLite dialect needs of a connection. */
export interface PreparingConnection {
  prepare(sql: string): SqliteDatabase.Statement;
  close(): void;
}

// Far more than the distinct statements of a run: batch inserts of other lengths come and go, the rest stay.
const MAX_STATEMENTS = 256;

/**
 * The connection with each SQL text prepared once: Kysely prepares every query anew, and a run that writes a hundred
 * pairs sends the same few statements hundreds of times. Kysely runs one query at a time on a connection, so a
 * statement is never in use twice; the least recently used is dropped past MAX_STATEMENTS.
 */
export function preparingOnce(sqlite: SqliteDatabase.Database): PreparingConnection {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    prepare: (sql) => {
      const cached = statements.get(sql);
      if (cached !== undefined) {
        statements.delete(sql);
        statements.set(sql, cached);
        return cached;
      }
      const statement = sqlite.prepare(sql);
      statements.set(sql, statement);
      if (statements.size > MAX_STATEMENTS) statements.delete(statements.keys().next().value as string);
      return statement;
    },
    close: () => sqlite.close(),
  };
}
