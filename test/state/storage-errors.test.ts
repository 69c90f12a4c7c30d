import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openState } from '../../src/state/open.js';
import { startRun } from '../../src/state/runs.js';
import { StateStorageError } from '../../src/state/state-storage-error.js';
import { tempFolder } from './temp-state.js';

const RUN = { command: 'reconcile' as const, dryRun: false, startedAt: new Date('2026-01-01T00:00:00Z') };

describe('SQLite storage failures surface as StateStorageError', () => {
  it('a state file another process keeps locked: busy, naming the file', async () => {
    const path = join(tempFolder(), 'state.sqlite');
    const state = await openState(path);
    const other = new SqliteDatabase(path);
    other.exec('begin exclusive');
    try {
      // No wait: the busy timeout is what turns a short overlap into success; here the overlap outlasts it.
      await sql`pragma busy_timeout = 0`.execute(state.db);
      const error: unknown = await startRun(state.db, RUN).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(StateStorageError);
      expect(error).toMatchObject({ path, problem: 'busy' });
      expect((error as Error).message).toMatch(new RegExp(`^State file ${path} stayed locked by another process past the busy timeout`));
    } finally {
      other.exec('rollback');
      other.close();
      await state.close();
    }
  });

  it('a full disk: full, naming the file and what to do', async () => {
    const path = join(tempFolder(), 'state.sqlite');
    const state = await openState(path);
    try {
      // The file may not grow past its current pages, as on a disk with no space left.
      const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(state.db);
      await sql.raw(`pragma max_page_count = ${rows[0]?.page_count ?? 1}`).execute(state.db);
      let error: unknown;
      for (let n = 0; n < 10_000 && error === undefined; n++) error = await startRun(state.db, RUN).then(() => undefined, (caught: unknown) => caught);
      expect(error).toBeInstanceOf(StateStorageError);
      expect(error).toMatchObject({ path, problem: 'full' });
      expect((error as Error).message).toContain('the disk (or its quota) is full; free space and run again');
    } finally {
      await state.close();
    }
  });

  it('other SQLite errors keep their own type', async () => {
    const state = await openState(join(tempFolder(), 'state.sqlite'));
    try {
      const error: unknown = await sql`select * from no_such_table`.execute(state.db).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(SqliteDatabase.SqliteError);
    } finally {
      await state.close();
    }
  });
});
