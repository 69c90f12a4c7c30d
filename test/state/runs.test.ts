import { describe, expect, it } from 'vitest';
import {
  changesOfRun,
  errorsOfRun,
  finishRun,
  lastRuns,
  markStaleRunsCrashed,
  recordChanges,
  recordErrors,
  startRun,
  type RunChange,
} from '../../src/state/runs.js';
import { openTempState } from './temp-state.js';

const t0 = new Date('2026-02-01T08:00:00.000Z');
const counts = { pairs: 3, driftPairs: 2, planned: 0, applied: 2, skipped: 0, conflicts: 1, blocked: 0, failed: 1 };

describe('runs', () => {
  it('records a run from start to finish', async () => {
    const { db } = await openTempState();
    const id = await startRun(db, { command: 'reconcile', dryRun: false, startedAt: t0 });
    expect(await lastRuns(db, 1)).toEqual([
      expect.objectContaining({ id, command: 'reconcile', dryRun: false, status: 'running', finishedAt: null, applied: 0 }),
    ]);
    const finishedAt = new Date(t0.getTime() + 1500);
    await finishRun(db, id, { ...counts, status: 'finished', finishedAt, exitCode: 4, durationMs: 1500 });
    expect(await lastRuns(db, 1)).toEqual([
      { id, command: 'reconcile', dryRun: false, startedAt: t0, finishedAt, status: 'finished', exitCode: 4, durationMs: 1500, ...counts },
    ]);
  });

  it('lists the most recent runs first, as many as asked', async () => {
    const { db } = await openTempState();
    for (const command of ['diff', 'push', 'pull', 'reconcile']) {
      await startRun(db, { command, dryRun: command === 'diff', startedAt: t0 });
    }
    const runs = await lastRuns(db, 2);
    expect(runs.map((run) => run.command)).toEqual(['reconcile', 'pull']);
  });

  it('marks runs left running as crashed, and only those', async () => {
    const { db } = await openTempState();
    const finished = await startRun(db, { command: 'push', dryRun: false, startedAt: t0 });
    await finishRun(db, finished, { ...counts, status: 'finished', finishedAt: t0, exitCode: 0, durationMs: 1 });
    const stale = await startRun(db, { command: 'reconcile', dryRun: false, startedAt: t0 });
    await expect(markStaleRunsCrashed(db)).resolves.toBe(1);
    const byId = new Map((await lastRuns(db, 10)).map((run) => [run.id, run.status]));
    expect(byId).toEqual(new Map([[finished, 'finished'], [stale, 'crashed']]));
  });

  it("keeps each run's changes and errors apart, in recorded order", async () => {
    const { db } = await openTempState();
    const first = await startRun(db, { command: 'reconcile', dryRun: false, startedAt: t0 });
    const second = await startRun(db, { command: 'reconcile', dryRun: true, startedAt: t0 });
    const change = (field: string, outcome: RunChange['outcome']): RunChange => ({
      incidentId: 42,
      issueKey: 'INC-7',
      field,
      direction: 'jira_to_impact',
      from: 'Investigating',
      to: null,
      outcome,
      reason: 'jira changed since last sync',
      category: outcome === 'failed' ? 'network' : null,
      durationMs: outcome === 'planned' ? null : 30,
      at: t0,
    });
    await recordChanges(db, first, [change('status', 'applied'), change('priority', 'failed')]);
    await recordChanges(db, second, [change('status', 'planned')]);
    const error = { incidentId: null, issueKey: 'INC-8', category: 'not_found' as const, message: 'JIRA returned 404 for INC-8', at: t0 };
    await recordErrors(db, first, [error]);

    expect(await changesOfRun(db, first)).toEqual([change('status', 'applied'), change('priority', 'failed')]);
    expect(await changesOfRun(db, second)).toEqual([change('status', 'planned')]);
    expect(await errorsOfRun(db, first)).toEqual([error]);
    expect(await errorsOfRun(db, second)).toEqual([]);
  });

  it('refuses changes for a run that does not exist', async () => {
    const { db } = await openTempState();
    const orphan: RunChange = {
      incidentId: 1, issueKey: 'INC-1', field: 'title', direction: 'impact_to_jira', from: 'a', to: 'b',
      outcome: 'applied', reason: 'x', category: null, durationMs: null, at: t0,
    };
    await expect(recordChanges(db, 999, [orphan])).rejects.toThrow(/FOREIGN KEY/);
  });
});
