import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { pendingIntents } from '../../src/state/intents.js';
import { loadPairs } from '../../src/state/pairs.js';
import { startWorld, type World } from '../support/cli.js';

const BIN = resolve(import.meta.dirname, '../../bin/raidsync.js');

const worlds: World[] = [];
afterEach(async () => {
  await Promise.all(worlds.splice(0).map((w) => w.close()));
});

beforeAll(() => {
  if (!existsSync(resolve(import.meta.dirname, '../../dist/bundle/raidsync.cjs'))) throw new Error('build first: npm run build (npm test does)');
});

/** The built CLI as cron runs it; `kill` may be called once the child is running. */
function spawnCli(world: World, args: string[], onSpawn: (kill: () => void) => void): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('RAIDSYNC_')));
  const child = spawn(process.execPath, [BIN, ...args], { cwd: world.cwd, env: { ...env, ...world.env, NO_COLOR: '1' } });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  onSpawn(() => child.kill('SIGKILL'));
  return new Promise((done) => child.on('close', (code, signal) => done({ code, signal, stdout })));
}

it('reconcile with sync.create killed with SIGKILL right after JIRA created the ticket: the rerun adopts it, exactly one ticket, nothing pending', async () => {
  const world = await startWorld();
  worlds.push(world);
  const config = join(world.cwd, 'raidsync.config.yaml');
  writeFileSync(config, 'sync:\n  create: true\n');
  world.env.RAIDSYNC_CONFIG = config;
  let kill: (() => void) | undefined;
  // Killed as the emulator records the create, before it answers: the ticket exists, raidsync never heard its key.
  const writes = world.sandbox.jira.writes;
  const push = writes.push.bind(writes);
  writes.push = (...records) => {
    const length = push(...records);
    if (records.some((record) => record.kind === 'create')) kill?.();
    return length;
  };

  const killed = await spawnCli(world, ['reconcile', '--incident', '112'], (send) => (kill = send));
  expect(killed.signal).toBe('SIGKILL');
  kill = undefined;
  const stamped = () => writes.filter((write) => write.kind === 'create');
  expect(stamped()).toHaveLength(1);
  const key = stamped()[0]!.key;
  expect(world.sandbox.jira.issue(key)?.remoteLinks).toEqual([]);

  const rerun = await spawnCli(world, ['reconcile', '--incident', '112', '--json'], () => undefined);
  expect(rerun.code).toBe(0);
  const changes = (JSON.parse(rerun.stdout) as { changes: Array<{ field: string; issue: string; outcome: string; reason: string }> }).changes;
  expect(changes.find((change) => change.field === 'ticket')).toMatchObject({ issue: key, outcome: 'applied', reason: expect.stringContaining('an earlier run was killed after JIRA created it') });
  expect(stamped()).toHaveLength(1);
  expect(world.sandbox.jira.issue(key)?.remoteLinks).toHaveLength(1);

  const third = await spawnCli(world, ['reconcile', '--json'], () => undefined);
  expect((JSON.parse(third.stdout) as { changes: Array<{ field: string }> }).changes.filter((change) => change.field === 'ticket')).toEqual([]);
  expect(stamped()).toHaveLength(1);
  const state = await world.openState();
  try {
    expect(await pendingIntents(state.db)).toEqual([]);
    expect((await loadPairs(state.db)).filter((pair) => pair.origin === 'created').map((pair) => [pair.incidentId, pair.issueKey])).toEqual([[112, key]]);
  } finally {
    await state.close();
  }
}, 60_000);
