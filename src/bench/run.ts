import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SANDBOX_DEMO_CONFIG, startSandbox, type Sandbox } from '../sandbox/sandbox.js';
import { runRaidsync, type Measured } from './measure.js';
import { timePlanner } from './planner.js';
import { benchWorld } from './world.js';

/** What a run must do at the least, as issue 18 counts it. */
interface Needed {
  /** Issues whose current fields the run has to learn. */
  read: number;
  /** Issues to edit: one PUT each, all their fields at once. */
  edits: number;
  /** Transition hops: one POST each. */
  hops: number;
  /** Incidents to change: one webhook and one read-back each. */
  incidents: number;
}

interface Scenario {
  name: string;
  pairs: number;
  wallMs: number;
  requests: Record<string, number>;
  totalRequests: number;
  needed: Needed;
  lowerBound: number;
  ratio: number;
  peakRssMb: number;
  exitCode: number;
  changes: number;
}

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000,50000' },
    latency: { type: 'string', default: '20' },
    'page-cap': { type: 'string', default: '100' },
    out: { type: 'string', default: 'bench/results.json' },
  },
});
const sizes = (values.sizes ?? '').split(',').map((n) => Number(n.trim()));
const latencyMs = Number(values.latency);
const pageCap = Number(values['page-cap']);

/** Requests each emulator served during `action`, by method and path with keys and ids folded. */
async function counted(sandbox: Sandbox, action: () => Promise<Measured>) {
  const jiraFrom = sandbox.jira.requests.length;
  const impactFrom = sandbox.impact.requests.length;
  const measured = await action();
  const requests: Record<string, number> = {};
  const add = (key: string) => (requests[key] = (requests[key] ?? 0) + 1);
  for (const r of sandbox.jira.requests.slice(jiraFrom)) add(`JIRA ${r.method} ${r.path.replace(/[A-Z][A-Z0-9_]*-\d+/, '{key}')}`);
  for (const r of sandbox.impact.requests.slice(impactFrom)) add(`FF ${r.method} ${r.path.replace(/\/\d+\/$/, '/{id}/')}`);
  return { measured, requests };
}

/** 1 FireFighter list + the search pages for the issues to read (one at least: a run learns "nothing changed" by asking) + the writes. */
function lowerBound(needed: Needed): number {
  return 1 + Math.max(1, Math.ceil(needed.read / pageCap)) + needed.edits + needed.hops + 2 * needed.incidents;
}

async function measureSize(pairs: number): Promise<Scenario[]> {
  const world = benchWorld(pairs, 50);
  const sandbox = await startSandbox({ jiraSeed: world.jira, impactSeed: world.impact, latencyMs, searchPageCap: pageCap });
  const folder = mkdtempSync(join(tmpdir(), 'raidsync-bench-'));
  writeFileSync(join(folder, 'raidsync.config.yaml'), SANDBOX_DEMO_CONFIG);
  const env = { ...sandbox.env, RAIDSYNC_DB: join(folder, 'state.sqlite'), RAIDSYNC_CONFIG: join(folder, 'raidsync.config.yaml') };
  const results: Scenario[] = [];
  const reconcile = () => counted(sandbox, () => runRaidsync(['reconcile', '--json', '--quiet', '--max-changes', '0'], env, folder));
  /** A run that changes nothing can be timed again: its wall is the median of `repeat` runs, its peak the highest. */
  const scenario = async (name: string, needed: Needed, repeat = 1) => {
    const runs = [];
    for (let i = 0; i < repeat; i++) runs.push(await reconcile());
    const run = runs[0]!;
    const walls = runs.map((r) => r.measured.wallMs).sort((a, b) => a - b);
    run.measured.wallMs = walls[Math.floor(walls.length / 2)]!;
    run.measured.peakRssBytes = Math.max(...runs.map((r) => r.measured.peakRssBytes));
    if (run.measured.exitCode !== 0) process.stderr.write(`${name}: exit ${run.measured.exitCode}\n${run.measured.stderr.slice(0, 2000)}\n`);
    const total = Object.values(run.requests).reduce((a, b) => a + b, 0);
    const bound = lowerBound(needed);
    const changes = run.measured.stdout ? (JSON.parse(run.measured.stdout) as { changes: unknown[] }).changes.length : 0;
    results.push({
      name,
      pairs,
      wallMs: Math.round(run.measured.wallMs),
      requests: run.requests,
      totalRequests: total,
      needed,
      lowerBound: bound,
      ratio: Number((total / bound).toFixed(2)),
      peakRssMb: Number((run.measured.peakRssBytes / 2 ** 20).toFixed(1)),
      exitCode: run.measured.exitCode,
      changes,
    });
  };
  const nothing: Needed = { read: 0, edits: 0, hops: 0, incidents: 0 };
  try {
    await scenario('cold, 2% drifted', { read: pairs, edits: world.firstRunWrites.issueEdits, hops: world.firstRunWrites.hops, incidents: 0 });
    await scenario('quiet, right after a writing run', nothing);
    await scenario('quiet (median of 5)', nothing, 5);
    // People change 1% of the pairs, half in JIRA (raidsync changes the incident), half in FireFighter (raidsync edits the issue).
    const touched = Math.max(2, Math.round(pairs / 100));
    let jiraEdits = 0;
    for (let i = 0; i < touched; i++) {
      const id = 1 + Math.floor((i * pairs) / touched) + 1;
      const priority = ['Highest', 'High', 'Medium', 'Low', 'Lowest'][(id + 2) % 5] as string;
      if (i % 2 === 0) {
        sandbox.jira.editAsUser(`INC-${id}`, 'alice', { priority });
        jiraEdits += 1;
      } else sandbox.impact.update(id, { priority: ((id + 2) % 5) + 1 });
    }
    await scenario('1% changed by people', { read: touched, edits: touched - jiraEdits, hops: 0, incidents: jiraEdits });
  } finally {
    await sandbox.close();
    rmSync(folder, { recursive: true, force: true });
  }
  return results;
}

/** The table of issue 18: run | requests | request lower bound | ratio | wall | peak RSS, one row per run. */
function table(rows: readonly Scenario[]): string {
  const header = ['pairs', 'run', 'requests', 'request lower bound', 'ratio', 'wall', 'peak RSS', 'exit'];
  const lines = rows.map((r) => [
    r.pairs.toLocaleString('en-US'),
    r.name,
    String(r.totalRequests),
    String(r.lowerBound),
    `${r.ratio.toFixed(2)}×`,
    `${(r.wallMs / 1000).toFixed(2)} s`,
    `${r.peakRssMb.toFixed(0)} MB`,
    String(r.exitCode),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)));
  const row = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  return [row(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(row)].join('\n');
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
process.stdout.write(`raidsync benchmark: ${latencyMs} ms per request, ${pageCap} issues a page, the tickets' last edits spread over 30 days\n`);
process.stdout.write(`machine: ${machine}\n\n`);
// Before the worlds: the planner's figure is its own, not the collector's cleaning up after a 50,000-pair sandbox.
const timings = Array.from({ length: 5 }, () => timePlanner(50_000));
const planner = timings.sort((a, b) => a.ms - b.ms)[2]!;
process.stdout.write(`planner alone, 50,000 pairs × 5 fields: ${planner.ms.toFixed(0)} ms, the median of 5 (${planner.changes} changes planned)\n\n`);
const all: Scenario[] = [];
for (const size of sizes) {
  const rows = await measureSize(size);
  all.push(...rows);
  process.stdout.write(`${table(rows)}\n`);
  for (const r of rows) process.stdout.write(`  ${r.name} requests: ${Object.entries(r.requests).map(([k, v]) => `${k} ×${v}`).join(', ')}\n`);
  process.stdout.write('\n');
}
const out = resolve(values.out ?? 'bench/results.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ at: new Date().toISOString(), machine, latencyMs, pageCap, plannerMs50k: Math.round(planner.ms), results: all }, null, 2)}\n`);
process.stdout.write(`figures written to ${out}\n`);
