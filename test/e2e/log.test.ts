import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, startWorld, type JsonRun, type World } from '../support/cli.js';

interface LogJson {
  command: 'log';
  changes: Array<{ at: string; run: number; incident: number; issue: string; field: string; direction: string; from: unknown; to: unknown; outcome: string }>;
}

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.close();
});

describe('raidsync log', () => {
  it('lists each write of the writing runs, newest first, never a diff; filters by incident, issue, run and age', async () => {
    await world.run('diff');
    const first = (await world.run('reconcile', '--json')).json<JsonRun>();
    world.sandbox.jira.editAsUser('INC-1', 'bob', { status: 'Resolved' });
    const second = (await world.run('reconcile', '--json')).json<JsonRun>();
    const sent = (run: JsonRun) => run.changes.filter((change) => ['applied', 'blocked', 'failed'].includes(change.outcome));

    const log = (await world.run('log', '--json')).json<LogJson>();
    expect(log.command).toBe('log');
    const key = (c: { incident: number; field: string; direction: string; outcome: string }) => `${c.incident} ${c.field} ${c.direction} ${c.outcome}`;
    expect(log.changes.map(key).sort()).toEqual([...sent(first), ...sent(second)].map(key).sort());
    // Newest first: the second reconcile (run 3) before the first (run 2); the diff (run 1) writes nothing.
    expect(log.changes.map((change) => change.run)).toEqual([...sent(second).map(() => 3), ...sent(first).map(() => 2)]);
    expect(log.changes.map((change) => change.at)).toEqual([...log.changes.map((change) => change.at)].sort().reverse());

    const pulled = log.changes.find((change) => change.issue === 'INC-1' && change.run === 3);
    expect(pulled).toMatchObject({ field: 'status', direction: 'jira_to_impact', outcome: 'applied' });
    expect((await world.run('log', '--issue', 'INC-1', '--json')).json<LogJson>().changes.every((c) => c.issue === 'INC-1')).toBe(true);
    expect((await world.run('log', '--incident', '101', '--json')).json<LogJson>().changes.every((c) => c.incident === 101)).toBe(true);
    expect((await world.run('log', '--run', '3', '--json')).json<LogJson>().changes).toHaveLength(sent(second).length);
    expect((await world.run('log', '--since', '1h', '--json')).json<LogJson>().changes).toHaveLength(log.changes.length);
  });

  it('shows a table that fits the terminal', async () => {
    await world.run('reconcile');
    const result = await runCli(['log'], { env: world.env, cwd: world.cwd, columns: 80, tty: true });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^│ time.* │ run +│ pair/m);
    expect(result.stdout).toMatch(/→ JIRA/);
    for (const line of result.stdout.split('\n')) expect([...line].length, line).toBeLessThanOrEqual(80);
  });

  it('says so when nothing was written, and refuses a bad --since with exit 2', async () => {
    expect((await world.run('log')).stdout).toBe('no changes recorded\n');
    const bad = await world.run('log', '--since', 'yesterday');
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('--since takes a duration such as 30m, 12h, 7d or 2w, not "yesterday"');
  });
});
