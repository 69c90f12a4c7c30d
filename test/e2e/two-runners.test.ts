import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { configureRetries } from '../../src/net/retry.js';
import { describeEachBackend, sessionEnded, type Backend } from '../support/backends.js';
import { startWorld, type World } from '../support/cli.js';
import { startGateProxy, type GateProxy } from '../support/gate-proxy.js';

/*
 * Two raidsync processes (as on two machines) against one state: a file, or one PostgreSQL schema.
 * Each runner is the real binary in its own process; a proxy in front of JIRA lets the test stop one
 * right after a write has landed, to start the other then, or to kill it there.
 */

configureRetries({ baseDelayMs: 1, maxDelayMs: 5, maxTotalWaitMs: 50 });

const repoRoot = resolve(import.meta.dirname, '../..');
const binary = join(repoRoot, 'bin/raidsync.js');

beforeAll(() => {
  if (!existsSync(join(repoRoot, 'dist/bundle/raidsync.cjs'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
});

interface Finished {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

interface StatusJson {
  lock: { pid: number; host: string } | null;
}

interface Runner {
  pid: number;
  kill(): void;
  done: Promise<Finished>;
}

function startRunner(world: World, env: Record<string, string>, ...args: string[]): Runner {
  const child = spawn(process.execPath, [binary, ...args], { cwd: world.cwd, env: { PATH: process.env.PATH ?? '', ...world.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return {
    pid: child.pid as number,
    kill: () => child.kill('SIGKILL'),
    done: new Promise((resolve) => child.on('close', (exitCode, signal) => resolve({ exitCode, signal, stdout, stderr }))),
  };
}

/** Every write each side received, as comparable text: the same write twice shows twice. */
function writesOf(world: World): string[] {
  const jira = world.sandbox.jira.writes.map((write) => `jira ${write.kind} ${write.key} ${JSON.stringify(write.body)}`);
  const impact = world.sandbox.impact.webhooks.map((hook) => `impact ${hook.incidentId} ${JSON.stringify(hook.effects)}`);
  return [...jira, ...impact].sort();
}

/** What one undisturbed reconcile writes, and the drift it leaves, on a fresh sandbox with the same backend. */
async function reference(backend: Backend): Promise<{ writes: string[]; drift: unknown }> {
  const clean = await startWorld({ backend });
  try {
    await clean.run('reconcile');
    return { writes: writesOf(clean), drift: (await clean.run('diff', '--json')).json() };
  } finally {
    await clean.close();
  }
}

let world: World;
let proxy: GateProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  await world.close();
});

describeEachBackend('two runners on one state', (backend) => {
  it('one proceeds; the other, started while the first holds the lock, exits 5 naming it and writes nothing', async () => {
    const expected = await reference(backend);
    world = await startWorld({ backend });
    let release: (() => void) | undefined;
    let firstWriteLanded!: () => void;
    const landed = new Promise<void>((resolve) => (firstWriteLanded = resolve));
    proxy = await startGateProxy(world.env.RAIDSYNC_JIRA_URL as string, (relay) => {
      // Pairs are applied concurrently: hold the first answer given once a write has landed, whichever it is.
      if (release === undefined && world.sandbox.jira.writes.length >= 1) {
        release = relay;
        firstWriteLanded();
      } else relay();
    });

    const first = startRunner(world, { RAIDSYNC_JIRA_URL: proxy.url }, 'reconcile', '--json');
    await landed;
    const second = await startRunner(world, {}, 'reconcile', '--json').done;
    const status = (await world.run('status', '--json')).json<StatusJson>();
    release?.();
    const firstResult = await first.done;

    expect(second.exitCode).toBe(5);
    expect(second.stderr).toContain(`another raidsync run holds the lock on`);
    expect(second.stderr).toContain(`pid ${first.pid} on ${hostname()}`);
    // --json: the contract's one error object on stdout.
    expect(JSON.parse(second.stdout)).toEqual({ command: 'reconcile', error: { message: expect.stringContaining(`pid ${first.pid}`), category: 'locked' } });
    expect(status.lock).toMatchObject({ pid: first.pid, host: hostname() });
    expect(firstResult.stderr).toBe('');
    expect(writesOf(world)).toEqual(expected.writes);
    expect(expected.writes.length).toBeGreaterThan(3);
  });

  it('a runner killed right after a write landed is finished by the next one, and no write is applied twice', async () => {
    const expected = await reference(backend);
    world = await startWorld({ backend });
    let killed: Runner | undefined;
    let victim!: Runner;
    proxy = await startGateProxy(world.env.RAIDSYNC_JIRA_URL as string, (relay) => {
      // Three writes have landed in JIRA; their writer dies before hearing of the last, its journal entry left pending.
      if (killed === undefined && world.sandbox.jira.writes.length >= 3) {
        killed = victim;
        victim.kill();
      } else relay();
    });

    victim = startRunner(world, { RAIDSYNC_JIRA_URL: proxy.url }, 'reconcile', '--json');
    const died = await victim.done;
    expect(died.signal).toBe('SIGKILL');
    expect(world.sandbox.jira.writes.length).toBeGreaterThanOrEqual(3);
    expect(writesOf(world).length).toBeLessThan(expected.writes.length);
    if (world.state.kind === 'postgres') await sessionEnded(world.state.url, `raidsync ${victim.pid}@${hostname()}`);
    // PostgreSQL freed the dead runner's lock with its session, the kernel its lock file: its row is no lock.
    const status = (await world.run('status', '--json')).json<StatusJson>();
    expect(status.lock).toBeNull();

    const next = await startRunner(world, {}, 'reconcile', '--json').done;
    expect(next.stderr).toBe('');
    expect([0, 4]).toContain(next.exitCode);
    expect(writesOf(world)).toEqual(expected.writes);
    // Runs differ in their id only.
    expect({ ...(await world.run('diff', '--json')).json(), run: undefined }).toEqual({ ...(expected.drift as object), run: undefined });
  });
});
