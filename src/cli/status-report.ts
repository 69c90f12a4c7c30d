import type { Kysely } from 'kysely';
import { readLockHolder } from '../state/lock-holder.js';
import {
  driftHistory,
  errorCategories,
  notSentFailures,
  openProblems,
  percentile,
  runDurations,
  syncTypeStats,
  type RunWindow,
} from '../state/run-stats.js';
import { lastRuns } from '../state/runs.js';
import { loadPairs } from '../state/pairs.js';
import type { Database } from '../state/schema.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const DRIFT_RUNS = 20;

/** What `status` shows, and exactly what `status --json` prints. */
export interface StatusReport {
  command: 'status';
  state: string;
  /** "no runs yet" when the state holds no run (or does not exist). */
  notice?: string;
  lock: { pid: number; host: string; since: string } | null;
  runs: Array<{
    id: number;
    command: string;
    dryRun: boolean;
    status: string;
    startedAt: string;
    pairs: number;
    driftPairs: number;
    applied: number;
    failed: number;
    blocked: number;
    conflicts: number;
    skipped: number;
    durationMs: number | null;
    exitCode: number | null;
  }>;
  /** Pairs still drifted after each recent run that read both sides (planned minus applied), oldest first. */
  drift: number[];
  open: Array<{
    incident: number;
    issue: string;
    field: string;
    direction: string;
    outcome: string;
    reason: string;
    category: string | null;
    run: number;
    at: string;
  }>;
  rates: { lastRuns: WindowReport; last24h: WindowReport };
  /** Tickets raidsync created: FireFighter cannot learn their link, so these pairs sync push-only. */
  created: Array<{ incident: number; issue: string; createdAt: string; pushOnly: true }>;
}

export interface WindowReport {
  /** The window: the last `runs` writing runs, or those since `since`. */
  runs?: number;
  since?: string;
  syncTypes: Array<{
    field: string;
    direction: string;
    planned: number;
    applied: number;
    skipped: number;
    conflict: number;
    blocked: number;
    failed: number;
    /** applied / (applied + blocked + failed); null when nothing was attempted. */
    successRate: number | null;
    failureRate: number | null;
    p50Ms: number | null;
    p95Ms: number | null;
  }>;
  runDurationMs: { p50: number | null; p95: number | null };
  errors: Array<{ category: string; count: number; example: { message: string; incident: number | null; issue: string | null; at: string } }>;
}

export function emptyStatus(state: string): StatusReport {
  const empty = (window: Pick<WindowReport, 'runs' | 'since'>): WindowReport => ({ ...window, syncTypes: [], runDurationMs: { p50: null, p95: null }, errors: [] });
  return { command: 'status', state, notice: 'no runs yet', lock: null, runs: [], drift: [], open: [], rates: { lastRuns: empty({ runs: 0 }), last24h: empty({ runs: 0 }) }, created: [] };
}

export async function statusReport(db: Kysely<Database>, options: { state: string; runs: number; now: Date }): Promise<StatusReport> {
  const runs = await lastRuns(db, options.runs);
  if (runs.length === 0) return emptyStatus(options.state);
  const holder = await readLockHolder(db);
  const since = new Date(options.now.getTime() - DAY_MS);
  const notSent = await notSentFailures(db, runs.map((run) => run.id));
  return {
    command: 'status',
    state: options.state,
    lock: holder && { pid: holder.pid, host: holder.host, since: holder.startedAt.toISOString() },
    runs: runs.map((run) => ({
      id: run.id,
      command: run.command,
      dryRun: run.dryRun,
      status: run.status,
      startedAt: run.startedAt.toISOString(),
      pairs: run.pairs,
      driftPairs: run.driftPairs,
      applied: run.applied,
      // Changes an interrupted run never sent were not attempted: skipped, not failed.
      failed: run.failed - (notSent.get(run.id) ?? 0),
      blocked: run.blocked,
      conflicts: run.conflicts,
      skipped: run.skipped + (notSent.get(run.id) ?? 0),
      durationMs: run.durationMs,
      exitCode: run.exitCode,
    })),
    drift: await driftHistory(db, DRIFT_RUNS),
    open: (await openProblems(db)).map((problem) => ({
      incident: problem.incidentId,
      issue: problem.issueKey,
      field: problem.field,
      direction: problem.direction,
      outcome: problem.outcome,
      reason: problem.reason,
      category: problem.category,
      run: problem.runId,
      at: problem.at.toISOString(),
    })),
    rates: {
      lastRuns: { runs: options.runs, ...(await windowReport(db, { runs: options.runs })) },
      last24h: { since: since.toISOString(), ...(await windowReport(db, { since })) },
    },
    created: (await loadPairs(db))
      .filter((pair) => pair.origin === 'created')
      .map((pair) => ({ incident: pair.incidentId, issue: pair.issueKey, createdAt: pair.linkedAt.toISOString(), pushOnly: true as const })),
  };
}

async function windowReport(db: Kysely<Database>, window: RunWindow): Promise<Omit<WindowReport, 'runs' | 'since'>> {
  const durations = await runDurations(db, window);
  return {
    syncTypes: (await syncTypeStats(db, window)).map(({ field, direction, counts, durationsMs }) => {
      const attempts = counts.applied + counts.blocked + counts.failed;
      const rate = (n: number) => (attempts === 0 ? null : Math.round((n / attempts) * 1000) / 1000);
      return {
        field,
        direction,
        ...counts,
        successRate: rate(counts.applied),
        failureRate: rate(counts.blocked + counts.failed),
        p50Ms: percentile(durationsMs, 0.5),
        p95Ms: percentile(durationsMs, 0.95),
      };
    }),
    runDurationMs: { p50: percentile(durations, 0.5), p95: percentile(durations, 0.95) },
    errors: (await errorCategories(db, window)).map(({ category, count, example }) => ({
      category,
      count,
      example: { message: example.message, incident: example.incident, issue: example.issue, at: example.at.toISOString() },
    })),
  };
}
