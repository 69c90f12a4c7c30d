import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { configureRetries } from '../../src/net/retry.js';
import { startWorld, type World } from '../support/cli.js';
import { appliedWrites, duplicatesIn, syncedState } from '../support/write-log.js';

configureRetries({ baseDelayMs: 1, maxDelayMs: 5, maxTotalWaitMs: 200 });

const RECONCILE = ['reconcile', '--json'] as const;
const INCIDENTS = [101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111];
const KEYS = INCIDENTS.map((id) => `INC-${id - 100}`);
const JIRA_API = '/rest/api/2';
const IMPACT_API = '/api/v2/firefighter';

/** Per fault kind: faults injected (answers the emulators actually gave or withheld) and survived (the run converged anyway). */
const tally: Array<{ kind: string; injected: number; survived: number }> = [];

interface Reference {
  state: unknown;
  writes: string[];
  diff: unknown;
}
let reference: Reference;
let world: World;

/**
 * A world in sync after a first reconcile, then edited by people on both sides so that the next run writes both
 * ways: edits and transitions to JIRA, webhooks to FireFighter. Its clients time out after 0.5 s.
 */
async function faultWorld(): Promise<World> {
  const w = await startWorld();
  const config = join(w.cwd, 'raidsync.config.yaml');
  writeFileSync(
    config,
    'jira:\n  timeoutSeconds: 0.5\n  transitionFields:\n    Resolved:\n      resolution: { name: Done }\nimpact:\n  timeoutSeconds: 0.5\n',
  );
  w.env.RAIDSYNC_CONFIG = config;
  expect([0, 4]).toContain((await w.run(...RECONCILE)).exitCode);
  w.sandbox.jira.editAsUser('INC-2', '5b10ac8d82e05b22cc7d4e02', { priority: 'Highest' });
  w.sandbox.jira.editAsUser('INC-9', '5b10ac8d82e05b22cc7d4e04', { priority: 'High' });
  w.sandbox.impact.update(104, { status: 'Mitigated' });
  w.sandbox.impact.update(101, { title: 'Checkout API returns 500 for card payments on PRD' });
  w.sandbox.impact.update(110, { description: 'Promo codes are applied twice when the cart is refreshed.' });
  return w;
}

async function outcome(w: World) {
  const diff = (await w.run('diff', '--json')).json<{ changes: unknown[] }>();
  return { state: syncedState(w.sandbox, INCIDENTS, KEYS), writes: appliedWrites(w.sandbox), diff: diff.changes };
}

beforeAll(async () => {
  const clean = await faultWorld();
  const run = await clean.run(...RECONCILE);
  expect([0, 4]).toContain(run.exitCode);
  reference = await outcome(clean);
  await clean.close();
  expect(reference.writes.some((line) => line.startsWith('impact '))).toBe(true);
  expect(reference.writes.some((line) => line.includes(' transition '))).toBe(true);
});

afterEach(async () => {
  await world?.close();
});

afterAll(() => {
  const lines = tally.map(({ kind, injected, survived }) => `  ${kind.padEnd(44)} injected ${injected}, survived ${survived}`);
  const injected = tally.reduce((sum, row) => sum + row.injected, 0);
  const survived = tally.reduce((sum, row) => sum + row.survived, 0);
  console.log(`fault injection: ${injected} faults injected, ${survived} survived\n${lines.join('\n')}`);
});

/** Runs reconcile (twice when the first run stops before writing), then expects the clean run's end state and no write twice. */
async function expectConverges(kind: string, options: { rerun?: boolean } = {}) {
  const queued = pendingFaults();
  const writesBefore = appliedWrites(world.sandbox);
  const first = await world.run(...RECONCILE);
  if (options.rerun) {
    expect(first.exitCode).toBe(3);
    expect(first.stderr).toMatch(/^raidsync: FireFighter sent a malformed response for GET \/api\/v2\/firefighter\/incidents\/: .+\n$/);
    expect(appliedWrites(world.sandbox)).toEqual(writesBefore);
    await world.run(...RECONCILE);
  }
  // Every queued fault met a request.
  expect(pendingFaults()).toBe(0);
  const count = queued;
  const after = await outcome(world);
  expect(after.state).toEqual(reference.state);
  expect(duplicatesIn(after.writes)).toEqual([]);
  expect(after.writes).toEqual(reference.writes);
  expect(after.diff).toEqual(reference.diff);
  tally.push({ kind, injected: count, survived: count });
}

const pendingFaults = () => world.sandbox.jira.faults.pending() + world.sandbox.impact.faults.pending();

describe('reconcile converges under injected faults', () => {
  it('429 with Retry-After on JIRA reads and writes, and on FireFighter reads', async () => {
    world = await faultWorld();
    world.sandbox.jira.faults.next(2, { status: 429, headers: { 'Retry-After': '1' }, matcher: { method: 'GET' } });
    world.sandbox.jira.faults.next(2, { status: 429, headers: { 'Retry-After': '1' }, matcher: { method: 'PUT' } });
    world.sandbox.impact.faults.next(2, { status: 429, headers: { 'Retry-After': '1' }, body: { detail: 'slow down' } });
    await expectConverges('429 + Retry-After (reads and writes)');
  });

  it('503 on reads and on writes: a write is re-read, then resent only if it did not land', async () => {
    world = await faultWorld();
    world.sandbox.jira.faults.next(2, { status: 503, matcher: { method: 'GET', pathPrefix: `${JIRA_API}/search` } });
    world.sandbox.jira.faults.next(2, { status: 503, matcher: { method: 'PUT' } });
    world.sandbox.jira.faults.next(1, { status: 503, matcher: { method: 'POST', pathPrefix: `${JIRA_API}/issue/` } });
    world.sandbox.impact.faults.next(1, { status: 503, body: 'Service Unavailable', matcher: { method: 'POST' } });
    await expectConverges('503 (reads, edits, transitions, webhook)');
  });

  it('connection reset on reads and on writes', async () => {
    world = await faultWorld();
    world.sandbox.jira.faults.resetConnection(2, { method: 'GET' });
    world.sandbox.jira.faults.resetConnection(2, { method: 'PUT' });
    world.sandbox.impact.faults.resetConnection(1, { method: 'GET' });
    world.sandbox.impact.faults.resetConnection(1, { method: 'POST' });
    await expectConverges('connection reset (reads and writes)');
  });

  it('timeout: writes applied but answered too late are found applied, not sent again', async () => {
    world = await faultWorld();
    world.sandbox.jira.faults.stall(2, 1500, { method: 'PUT' });
    world.sandbox.jira.faults.stall(1, 1500, { method: 'POST', pathPrefix: `${JIRA_API}/issue/` });
    world.sandbox.impact.faults.stall(1, 1500, { method: 'POST' });
    world.sandbox.jira.faults.stall(1, 1500, { method: 'GET', pathPrefix: `${JIRA_API}/search` });
    await expectConverges('timeout (answer lost after the write applied)');
  });

  it('500 on a write: re-read, not landed, resent once', async () => {
    world = await faultWorld();
    world.sandbox.jira.faults.next(1, { status: 500, matcher: { method: 'PUT' } });
    world.sandbox.jira.faults.next(1, { status: 500, matcher: { method: 'POST', pathPrefix: `${JIRA_API}/issue/` } });
    world.sandbox.impact.faults.next(1, { status: 500, body: 'Server Error (500)', matcher: { method: 'POST' } });
    await expectConverges('500 on a write');
  });

  it('a truncated JSON body stops the run before any write with a one-line error; the next run converges', async () => {
    world = await faultWorld();
    world.sandbox.impact.faults.next(1, { status: 200, headers: { 'Content-Type': 'application/json' }, body: '[{"id": 101, "title": "Chec', matcher: { method: 'GET', path: `${IMPACT_API}/incidents/` } });
    await expectConverges('malformed body (truncated JSON)', { rerun: true });
  });

  it('FireFighter answering an HTML login page stops the run with a one-line error; the next run converges', async () => {
    world = await faultWorld();
    world.sandbox.impact.faults.html(1, { method: 'GET' });
    await expectConverges('HTML login page instead of JSON', { rerun: true });
  });
});
