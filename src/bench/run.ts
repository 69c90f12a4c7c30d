import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SANDBOX_DEMO_CONFIG, startSandbox, type Sandbox } from '../sandbox/sandbox.js';
import { runRaidsync, type Measured } from './measure.js';
import { timePlanner } from './planner.js';
import { benchWorld } from './world.js';

interface Scenario {
  name: string;
  pairs: number;
  wallMs: number;
  pairsPerSecond: number;
  requests: Record<string, number>;
  totalRequests: number;
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
  const jiraWritesFrom = sandbox.jira.writes.length;
  const webhooksFrom = sandbox.impact.webhooks.length;
  const measured = await action();
  const requests: Record<string, number> = {};
  const add = (key: string) => (requests[key] = (requests[key] ?? 0) + 1);
  for (const r of sandbox.jira.requests.slice(jiraFrom)) add(`JIRA ${r.method} ${r.path.replace(/[A-Z][A-Z0-9_]*-\d+/, '{key}')}`);
  for (const r of sandbox.impact.requests.slice(impactFrom)) add(`FF ${r.method} ${r.path.replace(/\/\d+\/$/, '/{id}/')}`);
  const jiraWrites = sandbox.jira.writes.slice(jiraWritesFrom);
  return {
    measured,
    requests,
    edits: jiraWrites.filter((w) => w.kind === 'edit').length,
    hops: jiraWrites.filter((w) => w.kind === 'transition').length,
    webhooks: sandbox.impact.webhooks.length - webhooksFrom,
  };
}

async function measureSize(pairs: number): Promise<Scenario[]> {
  const world = benchWorld(pairs, 50);
  const sandbox = await startSandbox({ jiraSeed: world.jira, impactSeed: world.impact, latencyMs, searchPageCap: pageCap });
  const folder = mkdtempSync(join(tmpdir(), 'raidsync-bench-'));
  writeFileSync(join(folder, 'raidsync.config.yaml'), SANDBOX_DEMO_CONFIG);
  const env = { ...sandbox.env, RAIDSYNC_DB: join(folder, 'state.sqlite'), RAIDSYNC_CONFIG: join(folder, 'raidsync.config.yaml') };
  const results: Scenario[] = [];
  const scenario = async (name: string, lowerBound: (run: Awaited<ReturnType<typeof counted>>) => number) => {
    const run = await counted(sandbox, () => runRaidsync(['reconcile', '--json', '--quiet'], env, folder));
    if (run.measured.exitCode !== 0) process.stderr.write(`${name}: exit ${run.measured.exitCode}\n${run.measured.stderr.slice(0, 2000)}\n`);
    const total = Object.values(run.requests).reduce((a, b) => a + b, 0);
    const bound = lowerBound(run);
    const changes = run.measured.stdout ? (JSON.parse(run.measured.stdout) as { changes: unknown[] }).changes.length : 0;
    results.push({
      name,
      pairs,
      wallMs: Math.round(run.measured.wallMs),
      pairsPerSecond: Math.round(pairs / (run.measured.wallMs / 1000)),
      requests: run.requests,
      totalRequests: total,
      lowerBound: bound,
      ratio: Number((total / bound).toFixed(2)),
      peakRssMb: Number((run.measured.peakRssBytes / 2 ** 20).toFixed(1)),
      exitCode: run.measured.exitCode,
      changes,
    });
  };
  // Lower bound: one FireFighter list, the search pages that the issues to read need, one write per issue or
  // incident that differs, each transition hop, and one read-back per incident written.
  const pages = (issues: number) => Math.max(1, Math.ceil(issues / pageCap));
  try {
    await scenario('(a) cold, 2% drifted', (run) => 1 + pages(pairs) + run.edits + run.hops + 2 * run.webhooks);
    // The run after a writing run reads back, once, the issues that run wrote (their `updated` moved).
    await scenario("(a') first warm run", (run) => 1 + pages(world.drifted.size) + run.edits + run.hops + 2 * run.webhooks);
    await scenario('(b) warm, nothing changed', (run) => 1 + pages(0) + run.edits + run.hops + 2 * run.webhooks);
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
    await scenario('(c) warm, 1% changed', (run) => 1 + pages(jiraEdits) + pages(touched - jiraEdits) + run.edits + run.hops + 2 * run.webhooks);
  } finally {
    await sandbox.close();
    rmSync(folder, { recursive: true, force: true });
  }
  return results;
}

function table(rows: readonly Scenario[]): string {
  const header = ['pairs', 'scenario', 'wall', 'pairs/s', 'requests', 'lower bound', 'ratio', 'peak RSS', 'changes', 'exit'];
  const lines = rows.map((r) => [
    r.pairs.toLocaleString('en-US'),
    r.name,
    `${(r.wallMs / 1000).toFixed(2)} s`,
    r.pairsPerSecond.toLocaleString('en-US'),
    String(r.totalRequests),
    String(r.lowerBound),
    `${r.ratio.toFixed(2)}×`,
    `${r.peakRssMb} MB`,
    String(r.changes),
    String(r.exitCode),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)));
  const row = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  return [row(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(row)].join('\n');
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
process.stdout.write(`raidsync benchmark: ${latencyMs} ms per request, ${pageCap} issues per search page; ${machine}\n\n`);
const all: Scenario[] = [];
for (const size of sizes) {
  const rows = await measureSize(size);
  all.push(...rows);
  process.stdout.write(`${table(rows)}\n`);
  for (const r of rows) process.stdout.write(`  ${r.name} requests: ${Object.entries(r.requests).map(([k, v]) => `${k} ×${v}`).join(', ')}\n`);
  process.stdout.write('\n');
}
const planner = timePlanner(50_000);
process.stdout.write(`planner alone, 50,000 pairs × 5 fields: ${planner.ms.toFixed(0)} ms (${planner.changes} changes planned)\n`);
const out = resolve(values.out ?? 'bench/results.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ at: new Date().toISOString(), machine, latencyMs, pageCap, plannerMs50k: Math.round(planner.ms), results: all }, null, 2)}\n`);
process.stdout.write(`figures written to ${out}\n`);
