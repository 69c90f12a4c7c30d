import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { configureRetries } from '../../src/net/retry.js';
import { SANDBOX_DEMO_CONFIG } from '../../src/sandbox/sandbox.js';
import type { SandboxOptions } from '../../src/sandbox/sandbox.js';
import { startWorld, type World } from '../support/cli.js';

configureRetries({ baseDelayMs: 1, maxDelayMs: 5, maxTotalWaitMs: 50 });

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** A sandbox with the demo's settings (every pair can converge), reconciled until nothing is left to do. */
async function convergedWorld(options: SandboxOptions = {}): Promise<World> {
  world = await startWorld(options);
  const config = join(world.cwd, 'raidsync.config.yaml');
  writeFileSync(config, SANDBOX_DEMO_CONFIG);
  world.env.RAIDSYNC_CONFIG = config;
  expect((await world.run('reconcile')).exitCode).toBe(0);
  expect((await world.run('reconcile')).exitCode).toBe(0);
  return world;
}

/** The requests one command sends, by method and path. */
async function requestsOf(world: World, ...args: string[]) {
  const jiraBefore = world.sandbox.jira.requests.length;
  const impactBefore = world.sandbox.impact.requests.length;
  const result = await world.run(...args, '--json');
  const jira = world.sandbox.jira.requests.slice(jiraBefore).map((r) => `${r.method} ${r.path.replace(/INC-\d+/, 'KEY')}`);
  const impact = world.sandbox.impact.requests.slice(impactBefore).map((r) => `${r.method} ${r.path.replace(/\/\d+\/$/, '/ID/')}`);
  return { result, jira, impact };
}

/** The demo's settings with a 1 s loop window (so a test can edit what raidsync just wrote), reconciled once. */
async function windowedWorld(options: SandboxOptions = {}): Promise<World> {
  world = await startWorld(options);
  const config = join(world.cwd, 'raidsync.config.yaml');
  writeFileSync(config, `${SANDBOX_DEMO_CONFIG}sync:\n  loopWindowSeconds: 1\n`);
  world.env.RAIDSYNC_CONFIG = config;
  expect((await world.run('reconcile')).exitCode).toBe(0);
  return world;
}

/** A run's changes as `incident field direction outcome`. */
const changeLines = (run: { result: { json<T>(): T } }): string[] =>
  run.result.json<{ changes: Array<{ incident: number; field: string; direction: string; outcome: string }> }>().changes.map((c) => `${c.incident} ${c.field} ${c.direction} ${c.outcome}`);

describe('incremental runs', () => {
  it('a quiet run reads one FireFighter list and one page of JIRA changes, and nothing per pair', async () => {
    const w = await convergedWorld();
    const { result, jira, impact } = await requestsOf(w, 'reconcile');
    expect(result.exitCode).toBe(0);
    expect(result.json()).toMatchObject({ pairs: 11, changes: [] });
    expect(impact).toEqual(['GET /api/v2/firefighter/incidents/']);
    expect(jira).toEqual(['GET /rest/api/2/search/jql']);
    const jql = w.sandbox.jira.requests.at(-1)?.query.jql ?? '';
    // The converging runs' own writes are named, each with the `updated` it left: the search does not bring them back.
    expect(jql).toMatch(/^project = "INC" AND updated >= \d{13}( AND NOT \(key = "INC-\d+" AND updated <= \d{13}\))* ORDER BY updated ASC, key ASC$/);
  });

  it('the run right after a writing run does not page through its writes, and a later edit of one of them is still pulled', async () => {
    const w = await windowedWorld({ searchPageCap: 2 });
    const written = new Set(w.sandbox.jira.writes.map((write) => write.key));
    expect(written.size).toBeGreaterThan(4);
    w.sandbox.impact.update(104, { title: 'Checkout latency (payments)' });
    // A second writing run: it reads and writes one pair, and reads back only that one.
    const second = await requestsOf(w, 'reconcile');
    expect(second.result.exitCode).toBe(0);
    expect(second.jira.filter((r) => r.startsWith('GET /rest/api/2/search/jql'))).toHaveLength(3);
    // Quiet right after it: more writes than a page holds in the window, one search all the same.
    const quiet = await requestsOf(w, 'reconcile');
    expect(quiet.result.json()).toMatchObject({ changes: [] });
    expect(quiet.impact).toEqual(['GET /api/v2/firefighter/incidents/']);
    expect(quiet.jira).toEqual(['GET /rest/api/2/search/jql']);
    await sleep(1_100);
    w.sandbox.jira.editAsUser('INC-4', 'bob', { priority: 'Highest' });
    expect(changeLines(await requestsOf(w, 'reconcile'))).toEqual(['104 priority jira_to_impact applied']);
  });

  it('a pair known unchanged from its list element is read again once sync.fields changes, then known again', async () => {
    const w = await convergedWorld();
    const config = join(w.cwd, 'raidsync.config.yaml');
    const searches = async () => (await requestsOf(w, 'reconcile')).jira.filter((r) => r.startsWith('GET /rest/api/2/search/jql')).length;
    // A quiet run: JIRA's changes only; each incident is known, byte for byte, from the run before.
    expect(await searches()).toBe(1);
    // Settled over five fields says nothing of four: every pair is read (one batch), then left settled over the four.
    writeFileSync(config, `${SANDBOX_DEMO_CONFIG}sync:\n  fields: [title, description, priority, status]\n`);
    expect(await searches()).toBe(2);
    expect(await searches()).toBe(1);
    writeFileSync(config, SANDBOX_DEMO_CONFIG);
    expect(await searches()).toBe(2);
    expect(await searches()).toBe(1);
  });

  it('k drifted pairs cost O(k): their reads in one batch, one write each', async () => {
    const w = await convergedWorld();
    w.sandbox.jira.editAsUser('INC-2', 'bob', { priority: 'Highest' });
    w.sandbox.jira.editAsUser('INC-6', 'erin', { priority: 'Low' });
    w.sandbox.impact.update(104, { priority: 1 });
    w.sandbox.impact.update(109, { priority: 2 });
    w.sandbox.impact.update(111, { priority: 3 });
    const writesBefore = w.sandbox.jira.writes.length;
    const { result, jira, impact } = await requestsOf(w, 'reconcile');
    expect(result.exitCode).toBe(0);
    const changes = result.json<{ changes: Array<{ incident: number; direction: string; outcome: string }> }>().changes;
    expect(changes.map((c) => `${c.incident} ${c.direction} ${c.outcome}`).sort()).toEqual([
      '102 jira_to_impact applied',
      '104 impact_to_jira applied',
      '106 jira_to_impact applied',
      '109 impact_to_jira applied',
      '111 impact_to_jira applied',
    ]);
    expect(w.sandbox.jira.writes.length - writesBefore).toBe(3);
    // One search for JIRA's changes, one `key in (...)` batch for the pairs Impact changed, one read-back of the pushed issues
    // from JIRA's database (Cloud's read-after-write), one PUT per pushed issue, one lookup of our own account.
    expect(jira.filter((r) => r.startsWith('GET /rest/api/2/search/jql'))).toHaveLength(3);
    expect(jira.filter((r) => r.startsWith('PUT'))).toHaveLength(3);
    expect(jira.filter((r) => r.startsWith('GET /rest/api/2/issue/'))).toEqual([]);
    // One FireFighter list, one webhook and one read-back per pulled incident.
    expect(impact.filter((r) => r.startsWith('POST'))).toHaveLength(2);
    expect(impact.filter((r) => r === 'GET /api/v2/firefighter/incidents/ID/')).toHaveLength(2);
  });

  it("JIRA's clock stepping back an hour: the run reads every pair and pulls the edit made since, and the runs after it hear edits incrementally", async () => {
    const w = await windowedWorld();
    // An issue raidsync wrote: its recorded `updated` is ahead of JIRA's clock once that clock steps back.
    const key = w.sandbox.jira.writes.find((write) => write.kind === 'edit')!.key;
    const incident = 100 + Number(key.split('-')[1]);
    await sleep(1_100);
    w.sandbox.jira.setClockOffset(-3_600_000);
    w.sandbox.jira.editAsUser(key, 'bob', { priority: 'Highest' });
    const stepped = await requestsOf(w, 'reconcile');
    expect(changeLines(stepped)).toEqual([`${incident} priority jira_to_impact applied`]);
    expect(w.sandbox.impact.incident(incident)?.priority).toBe(1);
    // The same issue again, still before the `updated` raidsync's earlier write left on it.
    w.sandbox.jira.editAsUser(key, 'erin', { priority: 'Lowest' });
    const next = await requestsOf(w, 'reconcile');
    expect(changeLines(next)).toEqual([`${incident} priority jira_to_impact applied`]);
    // Incremental again: one search of JIRA's changes, not a read of every pair.
    expect(next.jira.filter((r) => r.includes('/search/jql'))).toHaveLength(1);
    expect(w.sandbox.jira.requests.filter((r) => r.path === '/rest/api/2/search/jql').at(-1)?.query.jql).toMatch(/^project = "INC" AND updated >= \d{13}/);
    expect(w.sandbox.impact.incident(incident)?.priority).toBe(5);
  });

  it("a watermark JIRA's clock left ahead of it (a step back after an edit) is read past once, then set back to JIRA's clock", async () => {
    const w = await windowedWorld();
    expect((await w.run('reconcile')).exitCode).toBe(0);
    // An edit while JIRA's clock is an hour fast: the watermark becomes that hour ahead.
    w.sandbox.jira.setClockOffset(3_600_000);
    w.sandbox.jira.editAsUser('INC-9', 'bob', { priority: 'Highest' });
    expect(changeLines(await requestsOf(w, 'reconcile'))).toEqual(['109 priority jira_to_impact applied']);
    await sleep(1_100);
    w.sandbox.jira.setClockOffset(0);
    w.sandbox.jira.editAsUser('INC-2', 'bob', { priority: 'Highest' });
    expect(changeLines(await requestsOf(w, 'reconcile'))).toEqual(['102 priority jira_to_impact applied']);
    w.sandbox.jira.editAsUser('INC-6', 'erin', { priority: 'Low' });
    const next = await requestsOf(w, 'reconcile');
    expect(changeLines(next)).toEqual(['106 priority jira_to_impact applied']);
    expect(next.jira.filter((r) => r.includes('/search/jql'))).toHaveLength(1);
    expect(w.sandbox.jira.requests.filter((r) => r.path === '/rest/api/2/search/jql').at(-1)?.query.jql).toMatch(/^project = "INC" AND updated >= \d{13}/);
  });

  it('issues updated together across a page boundary are all read', async () => {
    const w = await convergedWorld({ searchPageCap: 2 });
    // Tickets raidsync did not just write, so that no loop guard holds their value back.
    const keys = ['INC-1', 'INC-2', 'INC-6', 'INC-8', 'INC-9', 'INC-11'];
    for (const key of keys) w.sandbox.jira.editAsUser(key, 'alice', { priority: key === 'INC-6' ? 'Highest' : 'Lowest' });
    const { result, jira } = await requestsOf(w, 'reconcile');
    const pulled = result.json<{ changes: Array<{ incident: number; outcome: string }> }>().changes.filter((c) => c.outcome === 'applied');
    expect(pulled.map((c) => c.incident).sort()).toEqual([101, 102, 106, 108, 109, 111]);
    expect(jira.filter((r) => r.startsWith('GET /rest/api/2/search/jql')).length).toBeGreaterThanOrEqual(3);
    for (const id of [101, 102, 108, 109, 111]) expect(w.sandbox.impact.incident(id)?.priority).toBe(5);
  });

  it('a change the search index has not caught up with is pulled by a later run', async () => {
    const w = await convergedWorld({ indexLagMs: 400 });
    w.sandbox.jira.editAsUser('INC-6', 'erin', { priority: 'High' });
    const during = (await w.run('reconcile', '--json')).json<{ changes: unknown[] }>();
    expect(during.changes).toEqual([]);
    await sleep(500);
    const after = (await w.run('reconcile', '--json')).json<{ changes: Array<{ incident: number; to: string; outcome: string }> }>();
    expect(after.changes).toMatchObject([{ incident: 106, to: 'P2', outcome: 'applied' }]);
    expect(w.sandbox.impact.incident(106)?.priority).toBe(2);
  });
});
