import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configureRetries } from '../../src/net/retry.js';
import { startWorld, type JsonRun, type World } from '../support/cli.js';
import { appliedWrites } from '../support/write-log.js';

configureRetries({ baseDelayMs: 1, maxDelayMs: 5, maxTotalWaitMs: 200 });

let world: World;
afterEach(async () => {
  await world?.close();
});

/** A world in sync, with a config (no loop window, so JIRA's unchanged value would be read as JIRA's own at once). */
async function syncedWorld(config: string): Promise<World> {
  const w = await startWorld();
  const file = join(w.cwd, 'raidsync.config.yaml');
  writeFileSync(file, config);
  w.env.RAIDSYNC_CONFIG = file;
  expect([0, 4]).toContain((await w.run('reconcile', '--json')).exitCode);
  return w;
}

const priorityOf105 = (run: JsonRun) => run.changes.filter((change) => change.incident === 105 && change.field === 'priority');

describe('a write answered 200 text/html (an SSO sign-in page) is not taken as applied', () => {
  it('escalation P4 → P1 answered with a sign-in page on every send: not applied, re-read; the next run pushes P1 again instead of pulling JIRA’s old value', async () => {
    world = await syncedWorld('sync:\n  loopWindowSeconds: 0\n');
    const jiraPriorityBefore = world.sandbox.jira.issue('INC-5')?.priorityId;
    world.sandbox.impact.update(105, { priority: 1 });
    // Every send of the edit meets the proxy's page; nothing reaches JIRA.
    world.sandbox.jira.faults.loginPage(3, { method: 'PUT', pathPrefix: '/rest/api/2/issue/INC-5' });
    const readsBefore = world.sandbox.jira.requests.filter((request) => request.method === 'GET').length;

    const run = await world.run('reconcile', '--json');
    expect(run.exitCode).toBe(4);
    const pushed = priorityOf105(run.json<JsonRun>());
    expect(pushed).toHaveLength(1);
    expect(pushed[0]).toMatchObject({ direction: 'impact_to_jira', outcome: 'failed' });
    expect(pushed[0]?.reason).toContain('JIRA answered PUT /rest/api/2/issue/INC-5 with 200 text/html instead of 204 with no body, so the write may not have landed');
    expect(world.sandbox.jira.faults.pending()).toBe(0);
    // Between the sends, the issue was read back to see whether the edit had landed.
    expect(world.sandbox.jira.requests.filter((request) => request.method === 'GET').length - readsBefore).toBeGreaterThanOrEqual(4);
    expect(world.sandbox.jira.issue('INC-5')?.priorityId).toBe(jiraPriorityBefore);

    const next = await world.run('reconcile', '--json');
    expect([0, 4]).toContain(next.exitCode);
    expect(priorityOf105(next.json<JsonRun>())).toEqual([expect.objectContaining({ direction: 'impact_to_jira', outcome: 'applied' })]);
    expect(world.sandbox.impact.incident(105)?.priority).toBe(1);
    expect(world.sandbox.jira.issue('INC-5')?.priorityId).not.toBe(jiraPriorityBefore);
    expect(appliedWrites(world.sandbox).filter((line) => line.startsWith('impact 105'))).toEqual([]);
  });

  it('a sign-in page once: re-read, found not landed, sent again and applied', async () => {
    world = await syncedWorld('sync:\n  loopWindowSeconds: 0\n');
    world.sandbox.impact.update(105, { priority: 1 });
    world.sandbox.jira.faults.loginPage(1, { method: 'PUT', pathPrefix: '/rest/api/2/issue/INC-5' });
    const writesBefore = world.sandbox.jira.writes.filter((write) => write.key === 'INC-5').length;
    const run = await world.run('reconcile', '--json');
    expect(priorityOf105(run.json<JsonRun>())).toEqual([expect.objectContaining({ direction: 'impact_to_jira', outcome: 'applied' })]);
    expect(world.sandbox.jira.writes.filter((write) => write.key === 'INC-5').length - writesBefore).toBe(1);
  });
});

describe('a deadline on every request as a whole', () => {
  it('a JIRA search whose body trickles a byte every 500 ms fails within jira.timeoutSeconds: exit 3, the lock released', async () => {
    world = await syncedWorld('jira:\n  timeoutSeconds: 1\n');
    world.sandbox.jira.faults.trickle(10, 500, { method: 'GET', pathPrefix: '/rest/api/2/search' });
    const run = await world.run('reconcile', '--json');
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(/^raidsync: JIRA could not be reached \(ETIMEDOUT\) for GET \/rest\/api\/2\/search\/jql; /);
    const state = await world.openState();
    const lock = await state.db.selectFrom('lock').selectAll().execute();
    await state.close();
    expect(lock).toEqual([]);
    world.sandbox.jira.faults.clear();
    expect([0, 4]).toContain((await world.run('reconcile', '--quiet')).exitCode);
  });
});
