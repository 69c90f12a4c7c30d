import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configureRetries } from '../../src/net/retry.js';
import { acquireLock } from '../../src/state/lock.js';
import { startWorld, type JsonRun, type World } from '../support/cli.js';

configureRetries({ baseDelayMs: 1, maxDelayMs: 5, maxTotalWaitMs: 50 });

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.close();
});

interface JsonError {
  command: string;
  error: { message: string; category: string };
}

describe('--json and a fatal error: one error object on stdout, the exit code unchanged', () => {
  it('exit 2: an unknown flag, and a config that does not load', async () => {
    const flag = await world.run('diff', '--json', '--bogus');
    expect(flag.exitCode).toBe(2);
    expect(flag.json<JsonError>()).toEqual({ command: 'diff', error: { message: expect.stringContaining("unknown option '--bogus'"), category: 'usage' } });
    writeFileSync(join(world.cwd, 'bad.yaml'), 'sync:\n  conflict: maybe\n');
    const config = await world.run('reconcile', '--json', '-c', join(world.cwd, 'bad.yaml'));
    expect(config.exitCode).toBe(2);
    expect(config.json<JsonError>()).toEqual({ command: 'reconcile', error: { message: expect.stringContaining('sync.conflict'), category: 'config' } });
    expect(Object.keys(config.json())).toEqual(['command', 'error']);
  });

  it('exit 3: JIRA unreachable, the message naming it and no secret', async () => {
    const result = await world.run('diff', '--json', '--db', join(world.cwd, 'other.sqlite'));
    expect(result.exitCode).toBe(0);
    world.env.RAIDSYNC_JIRA_URL = 'http://127.0.0.1:1';
    const down = await world.run('reconcile', '--json');
    expect(down.exitCode).toBe(3);
    expect(down.json<JsonError>()).toEqual({ command: 'reconcile', error: { message: expect.stringMatching(/^JIRA could not be reached/), category: 'network' } });
    expect(down.stdout).not.toContain(world.env.RAIDSYNC_JIRA_API_TOKEN as string);
  });

  it('exit 5: another run holds the lock', async () => {
    const state = await world.openState();
    try {
      await acquireLock(state.db, { pid: 4242, host: 'cron-box', now: new Date() });
      const locked = await world.run('push', '--json');
      expect(locked.exitCode).toBe(5);
      expect(locked.json<JsonError>()).toEqual({ command: 'push', error: { message: expect.stringContaining('pid 4242 on cron-box'), category: 'locked' } });
    } finally {
      await state.close();
    }
  });

  it('without --json the error stays on stderr and stdout is empty', async () => {
    const result = await world.run('diff', '--bogus');
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
  });
});

describe('a run for scripts and cron', () => {
  it('the JSON carries the run id that status lists', async () => {
    const first = (await world.run('diff', '--json')).json<JsonRun & { run: number }>();
    const second = (await world.run('reconcile', '--json')).json<JsonRun & { run: number }>();
    expect(second.run).toBe(first.run + 1);
    const status = (await world.run('status', '--json')).json<{ runs: Array<{ id: number; command: string }> }>();
    expect(status.runs[0]).toMatchObject({ id: second.run, command: 'reconcile' });
  });

  it('--quiet prints only the problems; the next run says an unchanged problem in one line', async () => {
    const json = (await world.run('diff', '--json')).json<JsonRun>();
    const blocked = json.changes.filter((change) => change.outcome === 'blocked');
    expect(blocked.length).toBeGreaterThan(0);
    const first = await world.run('reconcile', '--quiet');
    expect(first.exitCode).toBe(4);
    expect(first.stdout).not.toContain('✓');
    expect(first.stdout).toContain('blocked');
    for (const change of blocked) expect(first.stdout).toContain(`#${change.incident} `);
    const firstRun = (await world.run('status', '--json')).json<{ runs: Array<{ id: number }> }>().runs[0]?.id;
    const again = await world.run('reconcile', '--quiet');
    const third = await world.run('reconcile');
    for (const output of [again.stdout, third.stdout]) {
      for (const change of blocked) {
        expect(output).toContain(`still blocked since run ${firstRun}: #${change.incident} ${change.issue} ${change.field}: ${change.reason}`);
      }
      // No block, no table: one line each, and the summary.
      expect(output).not.toContain('┌');
    }
    expect(third.stdout.trimEnd().split('\n').at(-1)).toMatch(/pairs drifted: \d+ blocked/);
  });

  it('piped (the real binary): $COLUMNS when set, else no width limit', async () => {
    const bin = fileURLToPath(new URL('../../bin/raidsync.js', import.meta.url));
    const piped = (env: Record<string, string>) =>
      promisify(execFile)(process.execPath, [bin, 'diff'], { cwd: world.cwd, env: { PATH: process.env.PATH ?? '', ...world.env, ...env } });
    const widest = (text: string) => Math.max(...text.split('\n').map((line) => [...line].length));
    expect(widest((await piped({ COLUMNS: '70' })).stdout)).toBeLessThanOrEqual(70);
    const unlimited = (await piped({})).stdout;
    expect(widest(unlimited)).toBeGreaterThan(100);
    // Cells are not wrapped: a reason is on one line.
    expect(unlimited).toMatch(/│ conflict: no base yet \(first sync of this pair\); conflict policy impact +│/);
  });
});

describe('a plan round trip: diff --out → show → apply --dry-run → apply', () => {
  it('says where the plan went, shows it as diff did, applies it, and calls what is already done "already in sync"', async () => {
    const diff = await world.run('diff', '--out', 'plan.json', '--no-color');
    expect(diff.exitCode).toBe(0);
    expect(diff.stdout).toMatch(/Saved the plan \(\d+ changes\) to plan\.json\. To apply it where each record is still as planned, run:\n {4}raidsync apply plan\.json\n/);
    const plan = JSON.parse(readFileSync(join(world.cwd, 'plan.json'), 'utf8')) as { changes: Array<{ incident: number; issue: string; field: string; outcome: string }> };
    const planned = plan.changes.filter((change) => change.outcome === 'planned');

    const show = await world.run('show', 'plan.json');
    expect(show.exitCode).toBe(0);
    expect(show.stdout).toMatch(/^Plan saved \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC by raidsync diff; to run it: raidsync apply plan\.json$/m);
    const blocks = (text: string) => text.slice(text.indexOf('#'), text.lastIndexOf('pairs drift'));
    expect(blocks(show.stdout)).toBe(blocks(diff.stdout));
    expect((await world.run('show', 'plan.json', '--json')).json<JsonRun>().changes).toHaveLength(plan.changes.length);

    // Someone fixes one ticket by hand before the plan runs.
    const fixed = planned.find((change) => change.field === 'status');
    expect(fixed).toBeDefined();
    const target = (plan.changes.find((change) => change === fixed) as unknown as { target: string }).target;
    world.sandbox.jira.editAsUser(fixed?.issue as string, 'bob', { status: target });
    const writesBefore = world.sandbox.jira.writes.length;

    const dry = await world.run('apply', 'plan.json', '--dry-run', '--json');
    expect(dry.exitCode).toBe(0);
    const dryJson = dry.json<JsonRun & { alreadyInSync: Array<{ incident: number; field: string }> }>();
    expect(dryJson.dryRun).toBe(true);
    expect(dryJson.alreadyInSync).toEqual([expect.objectContaining({ incident: fixed?.incident, field: 'status' })]);
    expect(dryJson.changes.filter((change) => change.outcome === 'planned')).toHaveLength(planned.length - 1);
    expect(dryJson.changes.some((change) => change.incident === fixed?.incident && change.field === 'status')).toBe(false);
    expect(world.sandbox.jira.writes.length).toBe(writesBefore);
    const dryText = await world.run('apply', 'plan.json', '--dry-run');
    expect(dryText.stdout).toContain(`= #${fixed?.incident} ${fixed?.issue}: status already in sync`);
    expect(dryText.stdout).toContain('dry run: nothing was written');

    const apply = (await world.run('apply', 'plan.json', '--json')).json<JsonRun>();
    expect(apply.changes.filter((change) => change.outcome === 'applied')).toHaveLength(planned.length - 1);
    expect(world.sandbox.jira.writes.length).toBeGreaterThan(writesBefore);

    // Re-applied, every change is already made: in sync, not drift, nothing written.
    const writesAfter = world.sandbox.jira.writes.length;
    const again = await world.run('apply', 'plan.json');
    expect(again.exitCode).toBe(0);
    expect(again.stdout.trimEnd().split('\n').at(-1)).toBe(`${new Set(plan.changes.map((change) => change.incident)).size} pairs, all in sync: ${planned.length} planned changes already in sync`);
    expect(again.stdout).not.toContain('changed since plan');
    expect(world.sandbox.jira.writes.length).toBe(writesAfter);
  });
});
