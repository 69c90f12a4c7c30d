import type { StateDb } from '../state/open.js';
import { acquireLock, releaseLock } from '../state/lock.js';
import { finishRun, markStaleRunsCrashed, recordErrors, startRun } from '../state/runs.js';
import { errorCategory, errorMessage } from '../net/errors.js';
import type { Config } from '../config/schema.js';
import type { RunObserver } from './events.js';
import { LockHeldError } from './lock-held-error.js';
import { NO_COUNTS, countOutcomes, type RunEnding, type RunReport } from './report.js';
import { scrubbed } from './scrubbed.js';

/** A run as the state file keeps it: its lock (when it writes), its row in the history, and its events. */
export interface RunSession {
  runId: number;
  writes: boolean;
  /** Earlier writing runs found still `running` under the lock: they were killed. */
  crashedRuns: number;
  finish(report: RunReport): Promise<void>;
  fail(error: unknown): Promise<void>;
  release(): Promise<void>;
}

export interface SessionDeps {
  config: Config;
  state: StateDb;
  owner: { pid: number; host: string };
  now: () => number;
  observe: RunObserver;
  /** The caller's mapping of how a run ended to the status it records with the run (state file, logs). */
  exitCodeOf: (ending: RunEnding) => number;
}

export async function openSession(command: string, writes: boolean, deps: SessionDeps): Promise<RunSession> {
  const { db } = deps.state;
  const { now, observe } = deps;
  if (writes) {
    const lock = await acquireLock(db, { pid: deps.owner.pid, host: deps.owner.host, now: new Date(now()) });
    if (!lock.ok) {
      const { pid, host, startedAt } = lock.holder;
      throw new LockHeldError(`another raidsync run holds the lock on ${deps.state.path}: pid ${pid} on ${host}, since ${startedAt.toISOString()}`);
    }
  }
  // Holding the lock, no other process can be running a writing run still recorded as running: it was killed.
  const crashedRuns = writes ? await markStaleRunsCrashed(db) : 0;
  const started = now();
  const runId = await startRun(db, { command, dryRun: !writes, startedAt: new Date(started) });
  observe({ type: 'run_started', at: new Date(started), runId, command, dryRun: !writes });
  return {
    runId,
    writes,
    crashedRuns,
    async finish(report) {
      const counts = countOutcomes(report);
      const exitCode = deps.exitCodeOf({ report });
      const status = report.result === 'interrupted' ? 'interrupted' : 'finished';
      await finishRun(db, runId, { ...counts, status, finishedAt: new Date(now()), exitCode, durationMs: now() - started });
      observe({ type: 'run_finished', at: new Date(now()), runId, exitCode, durationMs: now() - started, counts });
    },
    async fail(error) {
      const category = errorCategory(error);
      const message = scrubbed(errorMessage(error), deps.config);
      const exitCode = deps.exitCodeOf({ error });
      await recordErrors(db, runId, [{ incidentId: null, issueKey: null, category, message, at: new Date(now()) }]);
      await finishRun(db, runId, { ...NO_COUNTS, status: 'finished', finishedAt: new Date(now()), exitCode, durationMs: now() - started });
      observe({ type: 'run_failed', at: new Date(now()), runId, exitCode, durationMs: now() - started, category, message });
    },
    release: async () => {
      if (writes) await releaseLock(db, deps.owner);
    },
  };
}
