import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { benchWorld } from '../../src/bench/world.js';
import { SANDBOX_DEMO_CONFIG } from '../../src/sandbox/sandbox.js';
import { runBuilt } from '../support/built-cli.js';
import { startWorld, type JsonRun, type World } from '../support/cli.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function generatedWorld(pairs: number, driftEvery: number): Promise<World> {
  const seeds = benchWorld(pairs, driftEvery);
  world = await startWorld({ jiraSeed: seeds.jira, impactSeed: seeds.impact });
  const config = join(world.cwd, 'raidsync.config.yaml');
  writeFileSync(config, SANDBOX_DEMO_CONFIG);
  world.env.RAIDSYNC_CONFIG = config;
  return world;
}

/** Every write either service took: JIRA's API writes, FireFighter's webhook posts. */
function writesOf(w: World): number {
  return w.sandbox.jira.writes.length + w.sandbox.impact.requests.filter((request) => request.method !== 'GET').length;
}

describe('sync.maxChanges: a plan with more changes stops before the first write (exit 3)', () => {
  it('across slices: the whole plan is counted before the first slice writes', async () => {
    // 45 drifted pairs over three slices of 2,000: no slice alone holds more than 20.
    const w = await generatedWorld(4_500, 100);
    const stopped = await runBuilt(w, ['reconcile', '--max-changes', '44']);
    expect(stopped.code).toBe(3);
    expect(writesOf(w)).toBe(0);
    expect(stopped.stderr).toContain('the plan holds 45 changes, more than sync.maxChanges (44): nothing was written');
    // Per field and direction, and how to go on.
    expect(stopped.stderr).toMatch(/\n {2}priority +Impact → JIRA +\d+\n/);
    expect(stopped.stderr).toMatch(/\n {2}title +Impact → JIRA +\d+\n/);
    expect(stopped.stderr).toContain('raidsync diff --out plan.json');
    expect(stopped.stderr).toContain('raidsync apply plan.json --max-changes 45');
    expect(stopped.stderr).toContain('raidsync reconcile again with --max-changes 45');

    const through = await runBuilt(w, ['reconcile', '--max-changes', '45', '--json']);
    expect(through.code).toBe(0);
    expect((JSON.parse(through.stdout) as JsonRun).changes.filter((change) => change.outcome === 'applied')).toHaveLength(45);
  }, 120_000);

  it('the default (500), RAIDSYNC_MAX_CHANGES and 0 (no limit); diff never stops; a reviewed plan applies with --max-changes', async () => {
    const w = await generatedWorld(600, 1);
    const byDefault = await runBuilt(w, ['push']);
    expect(byDefault.code).toBe(3);
    expect(byDefault.stderr).toContain('more than sync.maxChanges (500): nothing was written');
    expect((await runBuilt(w, ['pull'], { RAIDSYNC_MAX_CHANGES: '3' })).stderr).toContain('more than sync.maxChanges (3)');
    expect((await runBuilt(w, ['reconcile', '--max-changes', 'many'])).code).toBe(2);
    expect(writesOf(w)).toBe(0);

    const diff = await runBuilt(w, ['diff', '--out', 'plan.json', '--quiet']);
    expect(diff.code).toBe(0);
    expect((await runBuilt(w, ['apply', 'plan.json'])).code).toBe(3);
    expect(writesOf(w)).toBe(0);
    const applied = await runBuilt(w, ['apply', 'plan.json', '--max-changes', '0', '--json']);
    expect(applied.code).toBe(0);
    expect((JSON.parse(applied.stdout) as JsonRun).changes.length).toBeGreaterThan(500);
    expect(writesOf(w)).toBeGreaterThan(0);
  }, 120_000);
});
