import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configureRetries } from '../../src/net/retry.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/sandbox.js';
import { runCli, startWorld, type World, type JsonChange } from '../support/cli.js';

configureRetries({ baseDelayMs: 1, maxDelayMs: 5, maxTotalWaitMs: 50 });

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.close();
});

/** Faults of five kinds on one reconcile, beside the fixtures' own workflow and mapping problems. */
function injectFaults(): void {
  const { faults } = world.sandbox.jira;
  faults.next(1, { status: 400, matcher: { method: 'PUT', pathPrefix: '/rest/api/2/issue/INC-10' } });
  faults.next(1, { status: 403, matcher: { method: 'PUT', pathPrefix: '/rest/api/2/issue/INC-5' } });
  faults.resetConnection(50, { method: 'PUT', pathPrefix: '/rest/api/2/issue/INC-4' });
  faults.next(50, { status: 429, matcher: { pathPrefix: '/rest/api/2/issue/INC-7/transitions' } });
}

// What the run above produces, by pair and field: the fault's category, or the fixtures' own problem.
const EXPECTED = {
  '110 title': 'validation',
  '105 description': 'auth',
  '104 priority': 'network',
  '107 status': 'rate_limit',
  '103 status': 'workflow',
  '109 commander': 'mapping',
} as const;

describe('monitoring a run with faults', () => {
  it('categorises every error alike in status --json, the metrics file and the JSON log', async () => {
    injectFaults();
    const metrics = join(world.cwd, 'raidsync.prom');
    const run = await world.run('reconcile', '--json', '--log-format', 'json', '--metrics-file', metrics);
    expect(run.exitCode).toBe(4);

    // The JSON log: one object per line, the failed and blocked changes with their categories.
    const lines = run.stderr.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const changeLines = lines.filter((line) => line.event === 'change');
    const logged = Object.fromEntries(changeLines.filter((line) => line.category !== null).map((line) => [`${line.incident} ${line.field}`, line.category]));
    expect(logged).toMatchObject(EXPECTED);
    for (const line of lines) expect(line).toMatchObject({ time: expect.any(String), level: expect.any(String), run_id: 1 });
    expect(changeLines.find((line) => line.incident === 110)).toMatchObject({ level: 'error', outcome: 'failed', direction: 'impact_to_jira', issue: 'INC-10', duration_ms: expect.any(Number) });
    expect(lines.at(-1)).toMatchObject({ event: 'run_finished', exit_code: 4, pairs: 11 });
    for (const secret of Object.values(SANDBOX_CREDENTIALS)) expect(run.stderr).not.toContain(secret);

    // status --json: the open problems and the error categories, each with an example.
    const status = await world.run('status', '--json');
    expect(status.exitCode).toBe(0);
    const report = status.json<{
      runs: Array<{ command: string; failed: number; blocked: number; exitCode: number }>;
      open: Array<{ incident: number; field: string; outcome: string; category: string }>;
      rates: { lastRuns: { errors: Array<{ category: string; count: number; example: { message: string } }>; syncTypes: Array<Record<string, unknown>> } };
    }>();
    expect(report.runs).toEqual([expect.objectContaining({ command: 'reconcile', exitCode: 4, failed: 5, blocked: 2 })]);
    expect(Object.fromEntries(report.open.map((p) => [`${p.incident} ${p.field}`, p.category]))).toMatchObject(EXPECTED);
    const categories = Object.fromEntries(report.rates.lastRuns.errors.map((e) => [e.category, e.count]));
    expect(categories).toEqual({ validation: 1, auth: 2, network: 1, rate_limit: 1, workflow: 1, mapping: 1 });
    expect(report.rates.lastRuns.errors.find((e) => e.category === 'validation')?.example.message).toContain('JIRA returned 400 for PUT /rest/api/2/issue/INC-10');
    expect(report.rates.lastRuns.syncTypes).toContainEqual(
      expect.objectContaining({ field: 'title', direction: 'impact_to_jira', failed: 1, successRate: expect.any(Number), p95Ms: expect.any(Number) }),
    );

    // The metrics file, parsed as Prometheus' text format.
    const parsed = parsePrometheus(readFileSync(metrics, 'utf8'));
    expect(parsed.value('raidsync_errors_total', { category: 'auth' })).toBe(2);
    expect(parsed.value('raidsync_errors_total', { category: 'rate_limit' })).toBe(1);
    expect(parsed.value('raidsync_errors_total', { category: 'impact_refused' })).toBe(0);
    expect(parsed.value('raidsync_changes_total', { field: 'title', direction: 'impact_to_jira', outcome: 'failed' })).toBe(1);
    expect(parsed.value('raidsync_changes_total', { field: 'status', direction: 'impact_to_jira', outcome: 'blocked' })).toBe(1);
    expect(parsed.value('raidsync_pairs')).toBe(11);
    expect(parsed.value('raidsync_drift_pairs')).toBeGreaterThan(0);
    expect(parsed.value('raidsync_run_duration_seconds')).toBeGreaterThan(0);
    expect(parsed.value('raidsync_last_success_timestamp_seconds')).toBeGreaterThan(Date.parse('2020-01-01') / 1000);
    expect(parsed.types).toMatchObject({ raidsync_changes_total: 'counter', raidsync_errors_total: 'counter', raidsync_pairs: 'gauge' });
    expect(Object.keys(parsed.types).every((name) => parsed.help[name])).toBe(true);
    expect(readdirTemporaries()).toEqual([]);
  });

  it('a later run that settles a field closes its problem; a failed run is counted by category', async () => {
    injectFaults();
    await world.run('reconcile', '--quiet');
    await world.run('reconcile', '--quiet', '--fields', 'title');
    world.env.RAIDSYNC_JIRA_API_TOKEN = 'not-the-token';
    const metrics = join(world.cwd, 'raidsync.prom');
    const failed = await world.run('reconcile', '--log-format', 'json', '--metrics-file', metrics);
    expect(failed.exitCode).toBe(3);
    expect(JSON.parse(failed.stderr.split('\n').find((line) => line.includes('run_failed')) ?? '{}')).toMatchObject({ level: 'error', category: 'auth', exit_code: 3 });
    expect(parsePrometheus(readFileSync(metrics, 'utf8')).value('raidsync_errors_total', { category: 'auth' })).toBe(3);

    const report = (await world.run('status', '--json')).json<{ open: Array<{ incident: number; field: string }>; drift: number[] }>();
    expect(report.open.map((p) => `${p.incident} ${p.field}`)).not.toContain('110 title');
    expect(report.open.map((p) => `${p.incident} ${p.field}`)).toContain('105 description');
    expect(report.drift).toHaveLength(2);
  });

  it('status on a terminal shows the runs, the drift sparkline, the open problems and the rates', async () => {
    injectFaults();
    await world.run('reconcile', '--quiet');
    const status = await world.run('status');
    expect(status.exitCode).toBe(0);
    expect(status.stdout).toContain('No run is going.');
    expect(status.stdout).toMatch(/#1 +│ \d{4}-\d\d-\d\d \d\d:\d\d:\d\d │ reconcile/);
    expect(status.stdout).toMatch(/Drift over the last 1 runs: █/);
    expect(status.stdout).toContain('#110 INC-10 title failed [validation]: JIRA returned 400');
    expect(status.stdout).toMatch(/auth ×2 +e\.g\. INC-5: JIRA returned 403/);
  });
});

describe('status without a state file', () => {
  it('says "no runs yet", exits 0 and creates nothing, without credentials', async () => {
    const state = join(world.cwd, 'nothing-here.sqlite');
    const env = { RAIDSYNC_DB: state };
    const text = await runCli(['status'], { env, cwd: world.cwd });
    expect(text).toMatchObject({ exitCode: 0, stderr: '' });
    expect(text.stdout).toContain('no runs yet');
    const json = await runCli(['status', '--json'], { env, cwd: world.cwd });
    expect(json.json()).toMatchObject({ command: 'status', notice: 'no runs yet', runs: [], open: [], lock: null });
    expect(existsSync(state)).toBe(false);
  });
});

describe('switches', () => {
  it('sync disabled: plans and reports, writes nothing to either side, exits 0 with the reason', async () => {
    world.env.RAIDSYNC_ENABLED = 'false';
    const text = await world.run('reconcile');
    expect(text.exitCode).toBe(0);
    expect(text.stdout.split('\n')[0]).toContain('sync disabled by configuration');
    const json = await world.run('reconcile', '--json');
    expect(json.exitCode).toBe(0);
    expect(json.json()).toMatchObject({ dryRun: true, notice: expect.stringContaining('sync disabled by configuration') });
    expect(json.json<{ changes: JsonChange[] }>().changes.length).toBeGreaterThan(0);
    expect((await world.run('push')).exitCode).toBe(0);
    expect(world.sandbox.jira.writes).toEqual([]);
    expect(world.sandbox.impact.webhooks).toEqual([]);
  });

  it('an invalid switch value is a configuration error naming the variable', async () => {
    world.env.RAIDSYNC_ENABLED = 'perhaps';
    const result = await world.run('reconcile');
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('sync.enabled must be true or false (from RAIDSYNC_ENABLED)');
  });

  /** A priority edited on each side since the last sync: one change each way. */
  async function driftBothWays(): Promise<void> {
    await world.run('reconcile', '--fields', 'priority', '--quiet');
    world.sandbox.jira.editAsUser('INC-6', 'erin', { priority: 'High' });
    world.sandbox.impact.update(104, { priority: 1 });
  }

  it('impactToJira off (RAIDSYNC_ENABLE_JIRA=false) blocks only writes to JIRA', async () => {
    await driftBothWays();
    const writesBefore = world.sandbox.jira.writes.length;
    world.env.RAIDSYNC_ENABLE_JIRA = 'false';
    const run = (await world.run('reconcile', '--json', '--fields', 'priority')).json<{ changes: JsonChange[] }>();
    expect(run.changes.find((c) => c.incident === 104)).toMatchObject({ direction: 'impact_to_jira', outcome: 'skipped', reason: expect.stringContaining('sync.directions.impactToJira') });
    expect(run.changes.find((c) => c.incident === 106)).toMatchObject({ direction: 'jira_to_impact', outcome: 'applied' });
    expect(world.sandbox.jira.writes).toHaveLength(writesBefore);
    expect(world.sandbox.impact.incident(106)?.priority).toBe(2);
  });

  it('jiraToImpact off (sync.directions in the config file) blocks only writes to FireFighter', async () => {
    await driftBothWays();
    writeFileSync(join(world.cwd, 'raidsync.config.yaml'), 'sync:\n  directions:\n    jiraToImpact: false\n');
    const run = (await world.run('reconcile', '--json', '--fields', 'priority', '--config', join(world.cwd, 'raidsync.config.yaml'))).json<{ changes: JsonChange[] }>();
    expect(run.changes.find((c) => c.incident === 106)).toMatchObject({ direction: 'jira_to_impact', outcome: 'skipped', reason: expect.stringContaining('sync.directions.jiraToImpact') });
    expect(run.changes.find((c) => c.incident === 104)).toMatchObject({ direction: 'impact_to_jira', outcome: 'applied' });
    expect(world.sandbox.impact.webhooks).toEqual([]);
    expect(world.sandbox.impact.incident(106)?.priority).not.toBe(2);
  });
});

function readdirTemporaries(): string[] {
  return readdirSync(world.cwd).filter((name) => name.endsWith('.tmp'));
}

/**
 * A small parser of Prometheus' text exposition format (no npm parser is kept up to date): HELP and
 * TYPE comments, and `name{label="value",...} number` samples with escaped label values.
 */
function parsePrometheus(text: string) {
  const help: Record<string, string> = {};
  const types: Record<string, string> = {};
  const samples: Array<{ name: string; labels: Record<string, string>; value: number }> = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const comment = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (comment) {
      (comment[1] === 'HELP' ? help : types)[comment[2] as string] = comment[3] as string;
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, name, value] of (sample[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[name as string] = (value as string).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    const name = sample[1] as string;
    if (!types[name]) throw new Error(`sample ${name} has no TYPE line before it`);
    samples.push({ name, labels, value: Number(sample[3]) });
  }
  return {
    help,
    types,
    value(name: string, labels: Record<string, string> = {}): number | undefined {
      const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v) && Object.keys(s.labels).length === Object.keys(labels).length);
      if (found.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} matches ${found.length} samples`);
      return found[0]?.value;
    },
  };
}
