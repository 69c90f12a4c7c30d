import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../src/state/migrations/all.js';
import { openState } from '../../src/state/open.js';
import { startRun } from '../../src/state/runs.js';
import { StateFileError } from '../../src/state/state-file-error.js';
import { tempFolder } from './temp-state.js';

const modeOf = (path: string): number => statSync(path).mode & 0o777;

async function expectRefusal(path: string, problem: StateFileError['problem'], message: RegExp): Promise<void> {
  const error: unknown = await openState(path).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(StateFileError);
  expect(error).toMatchObject({ path, problem });
  expect((error as Error).message).toMatch(message);
  expect((error as Error).message).toContain(path);
  expect((error as Error).message).not.toContain('\n');
}

/** A migrated state file with one run in it, closed again. */
async function writtenStateFile(): Promise<string> {
  const path = join(tempFolder(), 'state.sqlite');
  const state = await openState(path);
  await startRun(state.db, { command: 'reconcile', dryRun: false, startedAt: new Date('2026-01-01T00:00:00Z') });
  await state.close();
  return path;
}

describe('openState', () => {
  it('creates a missing folder 0700 and file 0600', async () => {
    const folder = join(tempFolder(), 'nested', '.raidsync');
    const path = join(folder, 'state.sqlite');
    const state = await openState(path);
    await state.close();
    expect(modeOf(folder)).toBe(0o700);
    expect(modeOf(path)).toBe(0o600);
  });

  it('leaves an existing folder and file as they are', async () => {
    const folder = tempFolder();
    const path = join(folder, 'state.sqlite');
    writeFileSync(path, '', { mode: 0o640 });
    const state = await openState(path);
    await state.close();
    expect(modeOf(path)).toBe(0o640);
  });

  it('turns on WAL and a busy timeout', async () => {
    const path = join(tempFolder(), 'state.sqlite');
    const state = await openState(path);
    const journal = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(state.db);
    const timeout = await sql<{ timeout: number }>`pragma busy_timeout`.execute(state.db);
    await state.close();
    expect(journal.rows[0]?.journal_mode).toBe('wal');
    expect(timeout.rows[0]?.timeout).toBeGreaterThan(0);
  });

  it('treats an empty file as a new state file', async () => {
    const path = join(tempFolder(), 'state.sqlite');
    writeFileSync(path, '');
    const state = await openState(path);
    await expect(state.db.selectFrom('pairs').selectAll().execute()).resolves.toEqual([]);
    await state.close();
  });

  it('keeps data and runs no migration twice when reopened', async () => {
    const path = await writtenStateFile();
    const again = await openState(path);
    const runs = await again.db.selectFrom('runs').select('command').execute();
    const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(again.db);
    await again.close();
    expect(runs).toEqual([{ command: 'reconcile' }]);
    expect(applied.rows.map((row) => row.name)).toEqual(Object.keys(migrations));
  });

  it.each([
    ['a text file', Buffer.from('jira:\n  url: https://acme.atlassian.net\n')],
    ['random bytes', randomBytes(4096)],
    ['a file shorter than the SQLite header', Buffer.from('SQLite')],
  ])('refuses %s and leaves its bytes unchanged', async (_label, content) => {
    const path = join(tempFolder(), 'state.sqlite');
    writeFileSync(path, content);
    await expectRefusal(path, 'not_sqlite', /is not a SQLite database/);
    expect(readFileSync(path).equals(content)).toBe(true);
  });

  it("refuses another application's SQLite database (tables, no raidsync migrations) and leaves its bytes unchanged", async () => {
    const path = join(tempFolder(), 'app.sqlite');
    const other = new SqliteDatabase(path);
    other.exec("create table users (id integer primary key, email text); insert into users (email) values ('ada@example.com')");
    other.close();
    const before = readFileSync(path);
    await expectRefusal(path, 'not_raidsync', /is another application's SQLite database/);
    const readonly: unknown = await openState(path, { readonly: true }).catch((caught: unknown) => caught);
    expect(readonly).toMatchObject({ problem: 'not_raidsync' });
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses a directory at the path', async () => {
    const path = join(tempFolder(), 'state.sqlite');
    mkdirSync(path);
    await expectRefusal(path, 'unreadable', /is a directory/);
  });

  it('refuses a state file written by a newer raidsync, unchanged', async () => {
    const path = await writtenStateFile();
    const sqlite = new SqliteDatabase(path);
    sqlite.prepare('insert into kysely_migration (name, timestamp) values (?, ?)').run('0002_future', '2030-01-01T00:00:00Z');
    sqlite.close();
    const before = readFileSync(path);
    await expectRefusal(path, 'newer_version', /newer raidsync.*0002_future/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses a corrupted file', async () => {
    const path = join(tempFolder(), 'state.sqlite');
    const sqlite = new SqliteDatabase(path);
    sqlite.exec('create table filler (text text)');
    const insert = sqlite.prepare('insert into filler values (?)');
    sqlite.transaction(() => {
      for (let row = 0; row < 2000; row++) insert.run(`row ${row} `.repeat(8));
    })();
    sqlite.close();
    const bytes = readFileSync(path);
    bytes.fill(0xa5, 3 * 4096 + 100, 3 * 4096 + 600);
    writeFileSync(path, bytes);
    await expectRefusal(path, 'corrupt', /is corrupted/);
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  describe('read-only', () => {
    it('opens a current state file and refuses writes through it', async () => {
      const path = await writtenStateFile();
      const state = await openState(path, { readonly: true });
      await expect(state.db.selectFrom('runs').select('command').execute()).resolves.toEqual([{ command: 'reconcile' }]);
      await expect(startRun(state.db, { command: 'push', dryRun: false, startedAt: new Date() })).rejects.toThrow(/readonly/);
      await state.close();
    });

    it('does not create a missing file', async () => {
      const path = join(tempFolder(), 'state.sqlite');
      await expect(openState(path, { readonly: true })).rejects.toMatchObject({ problem: 'missing' });
      expect(() => statSync(path)).toThrow(/ENOENT/);
    });

    it('does not migrate an empty file', async () => {
      const path = join(tempFolder(), 'state.sqlite');
      writeFileSync(path, '');
      await expect(openState(path, { readonly: true })).rejects.toMatchObject({ problem: 'missing' });
      expect(statSync(path).size).toBe(0);
    });

    it('refuses a state file written by a newer raidsync', async () => {
      const path = await writtenStateFile();
      const sqlite = new SqliteDatabase(path);
      sqlite.prepare('insert into kysely_migration (name, timestamp) values (?, ?)').run('0002_future', '2030-01-01T00:00:00Z');
      sqlite.close();
      await expect(openState(path, { readonly: true })).rejects.toMatchObject({ problem: 'newer_version' });
    });
  });
});
