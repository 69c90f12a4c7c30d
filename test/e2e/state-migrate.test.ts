import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { configureRetries } from '../../src/net/retry.js';
import { loadBases } from '../../src/state/bases.js';
import type { StateLocation } from '../../src/state/location.js';
import { loadLoopGuards } from '../../src/state/loop-guards.js';
import { openState } from '../../src/state/open.js';
import { lastRuns } from '../../src/state/runs.js';
import { describeEachBackend, dropPostgresSchema, freshPostgresLocation, type Backend } from '../support/backends.js';
import { startWorld, type World } from '../support/cli.js';

configureRetries({ baseDelayMs: 1, maxDelayMs: 5, maxTotalWaitMs: 50 });

interface MigrateJson {
  command: string;
  from: string;
  to: string;
  rows: number;
  tables: Array<{ table: string; rows: number }>;
}

const PASSWORD = 'pw-never-printed-91';

/** An empty target of the given backend, its URL for --to (with a password PostgreSQL's trust auth ignores), and the env that selects it. */
function target(backend: Backend, cwd: string): { location: StateLocation; url: string; env: Record<string, string> } {
  if (backend === 'sqlite') {
    const path = join(cwd, 'moved.sqlite');
    return { location: { kind: 'sqlite', path }, url: 'sqlite://moved.sqlite', env: { RAIDSYNC_DB: path } };
  }
  const location = freshPostgresLocation();
  const url = new URL(location.url);
  url.password = PASSWORD;
  cleanups.push(() => dropPostgresSchema(location));
  return { location, url: url.href, env: { RAIDSYNC_STATE_URL: location.url, POSTGRES_SCHEMA: location.schema } };
}

let world: World;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await world.close();
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function snapshot(location: StateLocation) {
  const state = await openState(location);
  try {
    return { bases: await loadBases(state.db), guards: await loadLoopGuards(state.db), runs: await lastRuns(state.db, 100) };
  } finally {
    await state.close();
  }
}

describeEachBackend('state migrate from a SQLite file', (backend) => {
  it('copies bases, loop guards and runs; raidsync then carries on from the copy as from the file', async () => {
    world = await startWorld({ backend: 'sqlite' });
    expect((await world.run('reconcile', '--fields', 'title,priority')).exitCode).toBe(0);
    const source = await snapshot(world.state);
    const to = target(backend, world.cwd);
    const schemaArgs = to.location.kind === 'postgres' ? ['--schema', to.location.schema] : [];

    const result = await world.run('state', 'migrate', '--from', 'sqlite://state.sqlite', '--to', to.url, ...schemaArgs, '--json');
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const report = result.json<MigrateJson>();
    expect(report.tables.find((table) => table.table === 'runs')?.rows).toBe(1);
    expect(report.rows).toBe(report.tables.reduce((sum, table) => sum + table.rows, 0));
    expect(result.stdout).not.toContain(PASSWORD);

    const copied = await snapshot(to.location);
    expect(copied.bases).toEqual(source.bases);
    expect(copied.guards).toEqual(source.guards);
    expect(copied.runs).toEqual(source.runs);

    // Pointed at the copy, raidsync sees the bases it left: nothing to do, and run ids go on after the copied ones.
    Object.assign(world.env, to.env);
    if (backend === 'postgres') delete world.env.RAIDSYNC_DB;
    const writesBefore = world.sandbox.jira.writes.length;
    const again = await world.run('reconcile', '--fields', 'title,priority', '--json');
    expect(again.exitCode).toBe(0);
    expect(again.json<{ changes: Array<{ outcome: string }> }>().changes.filter((c) => c.outcome === 'applied')).toEqual([]);
    expect(world.sandbox.jira.writes).toHaveLength(writesBefore);
    const runs = (await snapshot(to.location)).runs;
    expect(runs.map((run) => run.id)).toEqual([(source.runs[0]?.id ?? 0) + 1, ...source.runs.map((run) => run.id)]);
  });

  it('refuses a target that already holds state (exit 2), leaving it as it was', async () => {
    world = await startWorld({ backend: 'sqlite' });
    expect((await world.run('reconcile', '--fields', 'title')).exitCode).toBe(0);
    const to = target(backend, world.cwd);
    const schemaArgs = to.location.kind === 'postgres' ? ['--schema', to.location.schema] : [];
    expect((await world.run('state', 'migrate', '--from', 'sqlite://state.sqlite', '--to', to.url, ...schemaArgs)).exitCode).toBe(0);
    const before = await snapshot(to.location);

    const second = await world.run('state', 'migrate', '--from', 'sqlite://state.sqlite', '--to', to.url, ...schemaArgs);
    expect(second.exitCode).toBe(2);
    expect(second.stderr).toMatch(/already holds raidsync state \(table \w+ has rows\)/);
    expect(second.stderr).not.toContain(PASSWORD);
    expect(await snapshot(to.location)).toEqual(before);
  });
});

it('names a missing source file, and a URL of no known kind, with exit 2', async () => {
  world = await startWorld({ backend: 'sqlite' });
  const missing = await world.run('state', 'migrate', '--from', 'sqlite://nowhere.sqlite', '--to', 'sqlite://other.sqlite');
  expect(missing.exitCode).toBe(2);
  expect(missing.stderr).toContain(`state file ${join(world.cwd, 'nowhere.sqlite')} does not exist`);
  const unknown = await world.run('state', 'migrate', '--from', 'sqlite://state.sqlite', '--to', 'mysql://db/ops');
  expect(unknown.exitCode).toBe(2);
  expect(unknown.stderr).toContain('has scheme mysql:// (expected postgres:// or sqlite://)');
});
