import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { benchWorld } from '../../src/bench/world.js';
import { configureRetries } from '../../src/net/retry.js';
import { SANDBOX_DEMO_CONFIG } from '../../src/sandbox/sandbox.js';
import { startWorld, type World, type JsonRun } from '../support/cli.js';

configureRetries({ baseDelayMs: 1, maxDelayMs: 5, maxTotalWaitMs: 50 });

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function generatedWorld(pairs: number, driftEvery: number, missingTicketOf?: number): Promise<World> {
  const seeds = benchWorld(pairs, driftEvery);
  if (missingTicketOf !== undefined) {
    const incidents = seeds.impact.incidents as Array<{ id: number; jiraTicketKey: string | null }>;
    const incident = incidents.find((candidate) => candidate.id === missingTicketOf);
    if (incident) incident.jiraTicketKey = 'INC-99999';
  }
  world = await startWorld({ jiraSeed: seeds.jira, impactSeed: seeds.impact });
  const config = join(world.cwd, 'raidsync.config.yaml');
  writeFileSync(config, SANDBOX_DEMO_CONFIG);
  world.env.RAIDSYNC_CONFIG = config;
  return world;
}

describe('a run over more pairs than one slice', () => {
  it('reads, plans and applies slice by slice, and the next run finds nothing left', async () => {
    const w = await generatedWorld(4_500, 100);
    const first = (await w.run('reconcile', '--json')).json<JsonRun>();
    expect(first.pairs).toBe(4_500);
    const drifted = new Set(first.changes.map((change) => change.incident));
    expect(drifted.size).toBe(45);
    expect(first.changes.every((change) => change.outcome === 'applied')).toBe(true);
    // Drifted pairs from every slice of 2,000 were written.
    expect([...drifted].some((id) => id < 2_000) && [...drifted].some((id) => id > 4_000)).toBe(true);
    // One write phase over all three slices: their edited issues are read back together, 50 to a search.
    const edited = new Set(first.changes.filter((change) => change.direction === 'impact_to_jira').map((change) => change.issue));
    const readBacks = w.sandbox.jira.requests.filter((request) => request.path === '/rest/api/2/search/jql' && request.query['reconcileIssues'] !== undefined);
    expect(edited.size).toBeGreaterThan(0);
    expect(readBacks).toHaveLength(Math.ceil(edited.size / 50));
    const second = (await w.run('reconcile', '--json')).json<JsonRun>();
    expect(second).toMatchObject({ pairs: 4_500, changes: [], errors: [] });
  });
});

describe('a side that suddenly returns far fewer records stops the run before writing', () => {
  it('FireFighter listing no incidents', async () => {
    const w = await generatedWorld(40, 10);
    expect((await w.run('reconcile')).exitCode).toBe(0);
    for (let id = 1; id <= 40; id++) w.sandbox.impact.update(id, { priority: 1 });
    w.sandbox.impact.faults.next(1, { status: 200, body: [], matcher: { method: 'GET', path: '/api/v2/firefighter/incidents/' } });
    const writes = w.sandbox.jira.writes.length;
    const stopped = await w.run('reconcile');
    expect(stopped.exitCode).toBe(3);
    expect(stopped.stderr).toContain('FireFighter listed no incidents');
    expect(w.sandbox.jira.writes.length).toBe(writes);
  });

  it('JIRA hiding most of the tickets', async () => {
    const w = await generatedWorld(40, 10);
    expect((await w.run('reconcile')).exitCode).toBe(0);
    for (let id = 1; id <= 40; id++) w.sandbox.impact.update(id, { priority: 1 });
    // Both searches come back empty: JIRA's changes since the watermark, and the tickets asked for by key.
    w.sandbox.jira.faults.next(2, { status: 200, body: { issues: [], isLast: true }, matcher: { method: 'GET', pathPrefix: '/rest/api/2/search/jql' } });
    const writes = w.sandbox.jira.writes.length;
    const stopped = await w.run('reconcile');
    expect(stopped.exitCode).toBe(3);
    expect(stopped.stderr).toMatch(/JIRA returned the issues of \d+, but the last completed run read 40 pairs/);
    expect(w.sandbox.jira.writes.length).toBe(writes);
  });

  it('but one ticket gone is an error for its pair, run after run, not a stop', async () => {
    const w = await generatedWorld(40, 10, 7);
    for (let run = 0; run < 2; run++) {
      const result = await w.run('reconcile', '--json');
      expect(result.exitCode).toBe(4);
      expect(result.json<JsonRun>().errors).toEqual([{ incident: 7, issue: 'INC-99999', message: expect.stringContaining('JIRA has no issue INC-99999') }]);
    }
  });
});
