import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { configureRetries } from '../../src/net/retry.js';
import { SANDBOX_DEMO_CONFIG } from '../../src/sandbox/sandbox.js';
import { startWorld, type JsonRun, type World } from '../support/cli.js';
import { fixtureSeed } from '../jira/harness.js';

configureRetries({ baseDelayMs: 1, maxDelayMs: 5, maxTotalWaitMs: 50 });

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** Cloud with a search index 60 s behind every write, a 1 s loop window, the demo's settings; reconciled once. */
async function laggingWorld(sync: string): Promise<World> {
  const w = (world = await startWorld({ indexLagMs: 60_000 }));
  const config = join(w.cwd, 'raidsync.config.yaml');
  writeFileSync(config, `${SANDBOX_DEMO_CONFIG}sync:\n  loopWindowSeconds: 1\n${sync}`);
  w.env.RAIDSYNC_CONFIG = config;
  expect((await w.run('reconcile')).exitCode).toBe(0);
  return w;
}

/** The requests one command sends, by method and path. */
async function requestsOf(w: World, ...args: string[]) {
  const jiraBefore = w.sandbox.jira.requests.length;
  const impactBefore = w.sandbox.impact.requests.length;
  const result = await w.run(...args, '--json');
  const jira = w.sandbox.jira.requests.slice(jiraBefore);
  const impact = w.sandbox.impact.requests.slice(impactBefore).map((r) => `${r.method} ${r.path}`);
  return { result, jira, impact };
}

const applied = (run: JsonRun) => run.changes.filter((change) => change.outcome === 'applied').map((change) => `${change.incident} ${change.field} ${change.direction}`);

describe('read-after-write on JIRA Cloud (a lagging search index)', () => {
  it('an incremental run after the loop window does not pull back the priority raidsync pushed, though the index still serves the old one', async () => {
    const w = await laggingWorld('');
    w.sandbox.impact.update(102, { priority: 1 });
    const push = await w.run('reconcile', '--json');
    expect(applied(push.json<JsonRun>())).toEqual(['102 priority impact_to_jira']);
    const pushed = w.sandbox.jira.issue('INC-2')!.priorityId;
    await sleep(1_100);
    // FireFighter moves again, so the pair is read: the index still has INC-2 as it was before the push.
    w.sandbox.impact.update(102, { title: 'Search latency spike (catalogue)' });
    const next = (await w.run('reconcile', '--json')).json<JsonRun>();
    expect(applied(next)).toEqual(['102 title impact_to_jira']);
    expect(w.sandbox.impact.incident(102)?.priority).toBe(1);
    expect(w.sandbox.jira.issue('INC-2')!.priorityId).toBe(pushed);
  });

  it('a full read after the loop window does not pull back what raidsync pushed either', async () => {
    const w = await laggingWorld('  fullReadHours: 0\n');
    w.sandbox.impact.update(102, { priority: 1 });
    expect(applied((await w.run('reconcile', '--json')).json<JsonRun>())).toEqual(['102 priority impact_to_jira']);
    await sleep(1_100);
    const next = await w.run('reconcile', '--json');
    expect(next.exitCode).toBe(0);
    expect(next.json<JsonRun>().changes).toEqual([]);
    expect(w.sandbox.impact.incident(102)?.priority).toBe(1);
  });

  it('a person who edits the issue after raidsync wrote it is heard, though the index has not caught up', async () => {
    const w = await laggingWorld('  fullReadHours: 0\n');
    w.sandbox.impact.update(102, { priority: 1 });
    expect(applied((await w.run('reconcile', '--json')).json<JsonRun>())).toEqual(['102 priority impact_to_jira']);
    w.sandbox.jira.editAsUser('INC-2', 'bob', { priority: 'Low' });
    await sleep(1_100);
    // The index serves INC-2 as it was before raidsync's write, older than the write: read again from JIRA's database.
    expect(applied((await w.run('reconcile', '--json')).json<JsonRun>())).toEqual(['102 priority jira_to_impact']);
    expect(w.sandbox.impact.incident(102)?.priority).toBe(4);
  });

  it('the writing run reads its writes back in one search after them; the run right after it is 1 FireFighter list and 1 search', async () => {
    const w = await laggingWorld('');
    w.sandbox.impact.update(102, { priority: 1 });
    w.sandbox.impact.update(104, { priority: 2 });
    const writing = await requestsOf(w, 'reconcile');
    expect(applied(writing.result.json<JsonRun>()).sort()).toEqual(['102 priority impact_to_jira', '104 priority impact_to_jira']);
    const searches = writing.jira.filter((r) => r.path === '/rest/api/2/search/jql');
    const readBack = searches.filter((r) => r.query['reconcileIssues'] !== undefined);
    // INC-4 was written by the first run and the index still serves it as it was: read again from the database first.
    expect(readBack.map((r) => r.query['jql'])).toEqual(['key in ("INC-4")', 'key in ("INC-2", "INC-4")']);
    expect(String(readBack.at(-1)!.query['reconcileIssues']).split(',').sort()).toEqual([w.sandbox.jira.issue('INC-2')!.id, w.sandbox.jira.issue('INC-4')!.id].sort());
    await sleep(1_100);
    const quiet = await requestsOf(w, 'reconcile');
    expect(quiet.result.exitCode).toBe(0);
    expect(quiet.result.json<JsonRun>().changes).toEqual([]);
    expect(quiet.impact).toEqual(['GET /api/v2/firefighter/incidents/']);
    expect(quiet.jira.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /rest/api/2/search/jql']);
  });
});

describe('one refused field on a write (JIRA names it)', () => {
  it('an unassignable commander: title applied, commander failed with JIRA\'s message (exit 4); the next run sends no title', async () => {
    const seed = fixtureSeed() as { users: Array<Record<string, unknown>> };
    for (const user of seed.users) if (user['name'] === 'dave') user['assignable'] = false;
    const w = (world = await startWorld({ jiraSeed: seed as ReturnType<typeof fixtureSeed> }));
    w.sandbox.impact.update(102, { title: 'Search latency spike (catalogue)', commanderEmail: 'dave@acme.test' });
    writeFileSync(join(w.cwd, 'raidsync.config.yaml'), SANDBOX_DEMO_CONFIG);
    w.env.RAIDSYNC_CONFIG = join(w.cwd, 'raidsync.config.yaml');
    const first = await w.run('reconcile', '--json', '--fields', 'title,commander', '--incident', '102');
    expect(first.exitCode, first.stdout + first.stderr).toBe(4);
    const changes = first.json<JsonRun>().changes;
    expect(changes.find((change) => change.field === 'title')).toMatchObject({ outcome: 'applied' });
    expect(changes.find((change) => change.field === 'commander')).toMatchObject({ outcome: 'failed' });
    expect(changes.find((change) => change.field === 'commander')!.reason).toContain('cannot be assigned issues');
    expect(w.sandbox.jira.issue('INC-2')!.summary).toBe('Search latency spike (catalogue)');
    const before = w.sandbox.jira.writes.length;
    expect((await w.run('reconcile', '--json', '--fields', 'title,commander', '--incident', '102')).exitCode).toBe(4);
    const sent = w.sandbox.jira.writes.slice(before).map((write) => JSON.stringify(write.body));
    expect(sent.some((body) => body.includes('summary'))).toBe(false);
  });
});
