import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { configureRetries } from '../../src/net/retry.js';
import { pendingIntents } from '../../src/state/intents.js';
import { openState } from '../../src/state/open.js';
import { lastRuns } from '../../src/state/runs.js';
import { startWorld, type World } from '../support/cli.js';
import { scaledSeeds } from '../support/scaled-seeds.js';
import { appliedWrites, duplicatesIn, onEachWrite, syncedState } from '../support/write-log.js';

configureRetries({ baseDelayMs: 1, maxDelayMs: 5, maxTotalWaitMs: 50 });

const BIN = resolve(import.meta.dirname, '../../bin/raidsync.js');
const COPIES = 20;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const worlds: World[] = [];
afterEach(async () => {
  await Promise.all(worlds.splice(0).map((w) => w.close()));
});

beforeAll(() => {
  if (!existsSync(resolve(import.meta.dirname, '../../dist/bundle/raidsync.cjs'))) throw new Error('build first: npm run build (npm test does)');
});

/** The fixtures × COPIES, reconciled once, then edited by people on both sides so the next run writes both ways. */
async function preparedWorld(copies: number, options: { latencyMs?: number } = {}): Promise<{ world: World; ids: number[]; keys: string[] }> {
  const world = await startWorld({ ...scaledSeeds(copies), ...options });
  worlds.push(world);
  const config = join(world.cwd, 'raidsync.config.yaml');
  writeFileSync(config, 'jira:\n  transitionFields:\n    Resolved:\n      resolution: { name: Done }\n');
  world.env.RAIDSYNC_CONFIG = config;
  expect([0, 4]).toContain((await world.run('reconcile', '--quiet')).exitCode);
  const ids: number[] = [];
  const keys: string[] = [];
  for (let copy = 0; copy < copies; copy++) {
    const at = copy * 1000;
    world.sandbox.jira.editAsUser(`INC-${2 + at}`, '5b10ac8d82e05b22cc7d4e02', { priority: 'Highest' });
    world.sandbox.jira.editAsUser(`INC-${9 + at}`, '5b10ac8d82e05b22cc7d4e04', { priority: 'High' });
    world.sandbox.impact.update(104 + at, { status: 'Mitigated' });
    world.sandbox.impact.update(101 + at, { title: `Checkout API returns 500 for card payments on PRD (${copy})` });
    for (let n = 1; n <= 11; n++) {
      ids.push(100 + n + at);
      keys.push(`INC-${n + at}`);
    }
  }
  return { world, ids, keys };
}

/** The built CLI as cron runs it, against the emulators of this process. */
function spawnCli(world: World, args: string[], onSpawn?: (kill: (signal: NodeJS.Signals) => void) => void, hostName?: string): Promise<Exit> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('RAIDSYNC_')));
  // Under another host name, as a new pod or container runs: its own UTS namespace, the CLI exec'd in place (same pid).
  const [command, commandArgs] = hostName
    ? ['unshare', ['-u', 'sh', '-c', `hostname ${hostName} && exec "$0" "$@"`, process.execPath, BIN, ...args]]
    : [process.execPath, [BIN, ...args]];
  const child = spawn(command, commandArgs, { cwd: world.cwd, env: { ...env, ...world.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  onSpawn?.((signal) => child.kill(signal));
  return new Promise((done) => child.on('close', (code, signal) => done({ code, signal, stdout, stderr })));
}

async function stateOf(world: World) {
  const state = await openState(world.env.RAIDSYNC_DB as string);
  try {
    return { pending: await pendingIntents(state.db), runs: await lastRuns(state.db, 100) };
  } finally {
    await state.close();
  }
}

describe('a run killed with SIGKILL at any point, and started again, finishes the job', () => {
  it(`over ${COPIES * 11} pairs, killed after the k-th write for k spread over the run: converged, nothing applied twice, nothing lost`, async () => {
    const reference = await preparedWorld(COPIES);
    expect([0, 4]).toContain((await reference.world.run('reconcile', '--quiet')).exitCode);
    const expectedState = syncedState(reference.world.sandbox, reference.ids, reference.keys);
    const expectedWrites = appliedWrites(reference.world.sandbox);
    const expectedDiff = (await reference.world.run('diff', '--json')).json<{ changes: unknown[] }>().changes;

    const { world, ids, keys } = await preparedWorld(COPIES);
    const before = appliedWrites(world.sandbox).length;
    const total = expectedWrites.length - before;
    expect(total).toBeGreaterThanOrEqual(50);
    const killPoints = [1, ...[0.25, 0.5, 0.75].map((share) => Math.round(share * total)), total - 1];
    let writes = 0;
    let kill: ((signal: NodeJS.Signals) => void) | undefined;
    // Killed as the emulator records the write, before it answers: the write has landed, raidsync never heard.
    onEachWrite(world.sandbox, () => {
      writes += 1;
      if (killPoints.includes(writes)) kill?.('SIGKILL');
    });

    const exits: Exit[] = [];
    for (let attempt = 0; attempt <= killPoints.length; attempt++) {
      const exit = await spawnCli(world, ['reconcile'], (send) => (kill = send));
      exits.push(exit);
      if (exit.signal === null) break;
    }
    const killed = exits.filter((exit) => exit.signal === 'SIGKILL');
    expect(killed).toHaveLength(killPoints.length);
    const last = exits.at(-1) as Exit;
    expect([0, 4]).toContain(last.code);
    // A killed run prints nothing; the last one found the write its predecessor was killed in (pairs run concurrently: a few), landed.
    expect(killed.every((exit) => exit.stdout === '')).toBe(true);
    expect(last.stdout).toMatch(/^1 earlier run\(s\) ended without finishing \(marked crashed\); of their \d+ unfinished write\(s\), [1-9]\d* had landed/);

    expect(syncedState(world.sandbox, ids, keys)).toEqual(expectedState);
    const written = appliedWrites(world.sandbox);
    expect(duplicatesIn(written)).toEqual([]);
    expect(written).toEqual(expectedWrites);
    expect((await world.run('diff', '--json')).json<{ changes: unknown[] }>().changes).toEqual(expectedDiff);

    const { pending, runs } = await stateOf(world);
    expect(pending).toEqual([]);
    expect(runs.filter((run) => run.status === 'crashed')).toHaveLength(killPoints.length);
    console.log(`crash test: ${COPIES * 11} pairs, ${total} writes, killed with SIGKILL after writes ${killPoints.join(', ')}; ${exits.length} runs, none applied twice`);
  }, 120_000);
});

describe('a run killed under another host name (a pod, a container) does not lock out the next', () => {
  it('SIGKILLed after its first write as host other-pod: the next run here takes the lock, marks it crashed, settles its write, writes nothing twice', async () => {
    const { world } = await preparedWorld(1);
    let writes = 0;
    let kill: ((signal: NodeJS.Signals) => void) | undefined;
    onEachWrite(world.sandbox, () => {
      if (++writes === 1) kill?.('SIGKILL');
    });
    const killed = await spawnCli(world, ['reconcile'], (send) => (kill = send), 'other-pod');
    expect(killed.stderr).toBe('');
    expect(killed.signal).toBe('SIGKILL');
    const state = await openState(world.env.RAIDSYNC_DB as string);
    const left = await state.db.selectFrom('lock').select(['host']).executeTakeFirst();
    await state.close();
    // The dead run's row names the other host; only the kernel's lock said it was alive.
    expect(left).toEqual({ host: 'other-pod' });

    const next = await spawnCli(world, ['reconcile']);
    expect(next.stderr).not.toContain('holds the lock');
    expect([0, 4]).toContain(next.code);
    expect(next.stdout).toMatch(/^1 earlier run\(s\) ended without finishing \(marked crashed\); of their \d+ unfinished write\(s\), [1-9]\d* had landed/);
    expect(duplicatesIn(appliedWrites(world.sandbox))).toEqual([]);
    const { pending, runs } = await stateOf(world);
    expect(pending).toEqual([]);
    expect(runs.filter((run) => run.status === 'crashed')).toHaveLength(1);
  }, 60_000);
});

describe('SIGTERM and concurrent runs', () => {
  it('SIGTERM stops after the writes in flight: run recorded interrupted, exit 4, nothing pending; the next run finishes', async () => {
    // 100 ms a request: eight pairs are in flight when the signal lands, and the rest must not be started.
    const { world } = await preparedWorld(3, { latencyMs: 100 });
    let writes = 0;
    let kill: ((signal: NodeJS.Signals) => void) | undefined;
    onEachWrite(world.sandbox, () => {
      if (++writes === 2) kill?.('SIGTERM');
    });
    const interrupted = await spawnCli(world, ['reconcile', '--json'], (send) => (kill = send));
    expect(interrupted.code).toBe(4);
    expect(interrupted.stderr).toContain('SIGTERM received; stopping after the write in flight');
    const run = JSON.parse(interrupted.stdout) as { changes: Array<{ outcome: string; reason: string }> };
    const notSent = run.changes.filter((change) => change.outcome === 'skipped' && change.reason.includes('not sent: the run was interrupted'));
    expect(notSent.length).toBeGreaterThan(0);
    const { pending, runs } = await stateOf(world);
    expect(pending).toEqual([]);
    expect(runs[0]).toMatchObject({ status: 'interrupted', exitCode: 4 });

    const rerun = await spawnCli(world, ['reconcile', '--json']);
    expect([0, 4]).toContain(rerun.code);
    const finished = JSON.parse(rerun.stdout) as { changes: Array<{ outcome: string }> };
    expect(finished.changes.filter((change) => change.outcome === 'applied').length).toBeGreaterThanOrEqual(notSent.length);
    expect(duplicatesIn(appliedWrites(world.sandbox))).toEqual([]);
  }, 60_000);

  it('two runs started together on one state file: exactly one proceeds, the other exits 5 naming the holder', async () => {
    const { world } = await preparedWorld(2);
    // The first run's JIRA search is answered after 6 s: the second (a CLI start takes seconds on a loaded machine) starts while the first holds the lock.
    world.sandbox.jira.faults.stall(1, 6000, { method: 'GET', pathPrefix: '/rest/api/2/search' });
    const requestsBefore = world.sandbox.impact.requests.length;
    const firstRun = spawnCli(world, ['reconcile', '--quiet']);
    while (world.sandbox.impact.requests.length === requestsBefore) await new Promise((tick) => setTimeout(tick, 5));
    const [first, second] = await Promise.all([firstRun, spawnCli(world, ['reconcile', '--quiet'])]);
    const codes = [first.code, second.code].sort();
    expect(codes[1]).toBe(5);
    expect([0, 4]).toContain(codes[0]);
    const loser = first.code === 5 ? first : second;
    expect(loser.stderr).toMatch(/^raidsync: another raidsync run holds the lock on .+: pid \d+ on .+, since \d{4}-/);
    expect(duplicatesIn(appliedWrites(world.sandbox))).toEqual([]);
  }, 60_000);
});
