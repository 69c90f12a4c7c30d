import { renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Kysely } from 'kysely';
import type { Config } from '../config/schema.js';
import { errorMessage, type ErrorCategory } from '../net/errors.js';
import { changeTotals, errorTotals, lastReading, lastSuccessAt, OUTCOMES } from '../state/run-stats.js';
import { lastRuns } from '../state/runs.js';
import type { Database } from '../state/schema.js';
import { SYNC_FIELDS, isTwoWay } from '../sync/fields.js';
import type { Io } from './io.js';

const CATEGORIES: readonly ErrorCategory[] = ['auth', 'rate_limit', 'network', 'timeout', 'not_found', 'validation', 'workflow', 'impact_refused', 'mapping', 'internal'];

interface Metric {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  samples: Array<{ labels?: Record<string, string>; value: number }>;
}

/**
 * After a writing command's run, however it ended (a failed run's errors are what alerts need most).
 * A file that cannot be written is a warning: the sync itself went as reported.
 */
export async function writeRunMetrics(command: string, file: string | undefined, db: Kysely<Database>, config: Config, io: Io): Promise<void> {
  if (command === 'diff' || file === undefined) return;
  try {
    await writeMetricsFile(resolve(io.cwd, file), db, config);
  } catch (error) {
    io.stderr(`raidsync: warning: could not write metrics file ${file}: ${errorMessage(error)}\n`);
  }
}

/**
 * Writes the Prometheus text exposition for node_exporter's textfile collector: to a temporary file
 * beside the target, then renamed over it, so the collector never reads half a file.
 */
export async function writeMetricsFile(path: string, db: Kysely<Database>, config: Config): Promise<void> {
  const text = renderMetrics(await collectMetrics(db, config));
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  writeFileSync(temporary, text, { mode: 0o644 });
  renameSync(temporary, path);
}

/**
 * Counters cover every writing run the state file recorded (dry runs and diffs attempt nothing), so
 * they only grow and `rate()`/`increase()` work; gauges describe the latest run.
 */
async function collectMetrics(db: Kysely<Database>, config: Config): Promise<Metric[]> {
  const totals = new Map((await changeTotals(db)).map((row) => [`${row.field}|${row.direction}|${row.outcome}`, row.count]));
  const changes: Metric['samples'] = [];
  for (const field of SYNC_FIELDS) {
    for (const direction of isTwoWay(field) ? ['impact_to_jira', 'jira_to_impact'] : ['impact_to_jira']) {
      for (const outcome of OUTCOMES) changes.push({ labels: { field, direction, outcome }, value: totals.get(`${field}|${direction}|${outcome}`) ?? 0 });
    }
  }
  const errors = await errorTotals(db);
  const [latest] = await lastRuns(db, 1);
  const success = await lastSuccessAt(db);
  const reading = await lastReading(db);
  return [
    { name: 'raidsync_changes_total', type: 'counter', help: 'Field changes recorded by writing runs, by sync type and outcome.', samples: changes },
    {
      name: 'raidsync_errors_total',
      type: 'counter',
      help: 'Errors recorded by writing runs (failed, blocked and unmapped changes, unreadable pairs, failed runs), by category.',
      samples: CATEGORIES.map((category) => ({ labels: { category }, value: errors.get(category) ?? 0 })),
    },
    { name: 'raidsync_run_duration_seconds', type: 'gauge', help: 'Duration of the latest run.', samples: [{ value: (latest?.durationMs ?? 0) / 1000 }] },
    { name: 'raidsync_last_run_exit_code', type: 'gauge', help: 'Exit code of the latest run.', samples: [{ value: latest?.exitCode ?? 0 }] },
    {
      name: 'raidsync_last_success_timestamp_seconds',
      type: 'gauge',
      help: 'When the latest writing run that reached both services finished (exit 0 or 4), Unix time; 0 if never.',
      samples: [{ value: success ? success.getTime() / 1000 : 0 }],
    },
    { name: 'raidsync_pairs', type: 'gauge', help: 'Linked incident/ticket pairs the latest completed run read.', samples: [{ value: reading?.pairs ?? 0 }] },
    { name: 'raidsync_drift_pairs', type: 'gauge', help: 'Pairs with at least one drifted field in the latest completed run.', samples: [{ value: reading?.driftPairs ?? 0 }] },
    { name: 'raidsync_sync_enabled', type: 'gauge', help: 'Whether sync.enabled lets writing commands write (1) or not (0).', samples: [{ value: config.sync.enabled ? 1 : 0 }] },
    {
      name: 'raidsync_sync_direction_enabled',
      type: 'gauge',
      help: 'Whether the configuration lets raidsync write in this direction.',
      samples: [
        { labels: { direction: 'impact_to_jira' }, value: config.sync.directions.impactToJira ? 1 : 0 },
        { labels: { direction: 'jira_to_impact' }, value: config.sync.directions.jiraToImpact ? 1 : 0 },
      ],
    },
  ];
}

export function renderMetrics(metrics: readonly Metric[]): string {
  const lines: string[] = [];
  for (const metric of metrics) {
    lines.push(`# HELP ${metric.name} ${metric.help}`, `# TYPE ${metric.name} ${metric.type}`);
    for (const sample of metric.samples) lines.push(`${metric.name}${labelText(sample.labels)} ${sample.value}`);
  }
  return `${lines.join('\n')}\n`;
}

function labelText(labels: Record<string, string> | undefined): string {
  if (!labels) return '';
  const escape = (value: string) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
  return `{${Object.entries(labels).map(([name, value]) => `${name}="${escape(value)}"`).join(',')}}`;
}
