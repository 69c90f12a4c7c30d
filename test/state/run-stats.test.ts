import { describe, expect, it } from 'vitest';
import type { ErrorCategory } from '../../src/net/errors.js';
import { saveBases } from '../../src/state/bases.js';
import { NOT_SENT_INTERRUPTED } from '../../src/sync/decide/plan.js';
import {
  changeTotals,
  driftHistory,
  errorCategories,
  errorTotals,
  lastSuccessAt,
  notSentFailures,
  openProblems,
  percentile,
  runDurations,
  syncTypeStats,
} from '../../src/state/run-stats.js';
import { finishRun, recordChanges, recordErrors, startRun, type RunChange } from '../../src/state/runs.js';
import type { Database } from '../../src/state/schema.js';
import type { Kysely } from 'kysely';
import { openTempState } from './temp-state.js';

const t0 = Date.parse('2026-02-01T08:00:00.000Z');
const at = (minutes: number) => new Date(t0 + minutes * 60_000);

function change(incidentId: number, field: string, outcome: RunChange['outcome'], extra: Partial<RunChange> = {}): RunChange {
  return {
    incidentId, issueKey: `INC-${incidentId}`, field, direction: 'impact_to_jira', from: 'a', to: 'b', outcome,
    reason: `${outcome} ${field}`, category: null, durationMs: outcome === 'planned' ? 0 : 100, at: at(0), ...extra,
  };
}

async function run(
  db: Kysely<Database>,
  minutes: number,
  options: { dryRun?: boolean; exitCode?: number; durationMs?: number; driftPairs?: number; changes?: RunChange[]; errors?: Array<[ErrorCategory, string]> },
): Promise<number> {
  const id = await startRun(db, { command: options.dryRun ? 'diff' : 'reconcile', dryRun: options.dryRun ?? false, startedAt: at(minutes) });
  await recordChanges(db, id, (options.changes ?? []).map((c) => ({ ...c, at: at(minutes) })));
  await recordErrors(db, id, (options.errors ?? []).map(([category, message]) => ({ incidentId: null, issueKey: null, category, message, at: at(minutes) })));
  const none = { pairs: 5, driftPairs: options.driftPairs ?? 0, planned: 0, applied: 0, skipped: 0, conflicts: 0, blocked: 0, failed: 0 };
  await finishRun(db, id, { ...none, status: 'finished', finishedAt: at(minutes + 1), exitCode: options.exitCode ?? 0, durationMs: options.durationMs ?? 1000 });
  return id;
}

describe('run statistics', () => {
  it('counts outcomes and attempt durations per sync type over the last writing runs, ignoring dry runs', async () => {
    const { db } = await openTempState();
    await run(db, 0, { changes: [change(1, 'status', 'failed', { category: 'network', durationMs: 900 })] });
    await run(db, 10, {
      changes: [
        change(1, 'status', 'applied', { durationMs: 50 }),
        change(2, 'status', 'blocked', { category: 'workflow', durationMs: 70 }),
        change(3, 'priority', 'skipped', { category: 'mapping', direction: 'jira_to_impact' }),
      ],
    });
    await run(db, 20, { dryRun: true, changes: [change(4, 'status', 'planned')] });

    const lastOne = await syncTypeStats(db, { runs: 1 });
    expect(lastOne).toEqual([
      { field: 'priority', direction: 'jira_to_impact', counts: expect.objectContaining({ skipped: 1 }), durationsMs: [] },
      { field: 'status', direction: 'impact_to_jira', counts: { planned: 0, applied: 1, skipped: 0, conflict: 0, blocked: 1, failed: 0 }, durationsMs: [50, 70] },
    ]);
    const since = await syncTypeStats(db, { since: at(-1) });
    expect(since.find((s) => s.field === 'status')?.counts).toMatchObject({ applied: 1, blocked: 1, failed: 1, planned: 0 });
  });

  it('ranks error categories from changes and run errors, each with its latest example', async () => {
    const { db } = await openTempState();
    await run(db, 0, { exitCode: 3, errors: [['auth', 'JIRA returned 401 for GET /myself']] });
    await run(db, 10, {
      exitCode: 4,
      changes: [
        change(1, 'status', 'failed', { category: 'network', reason: 'first' }),
        change(2, 'status', 'failed', { category: 'network', reason: 'second' }),
      ],
    });
    const categories = await errorCategories(db, { runs: 10 });
    expect(categories.map((c) => [c.category, c.count])).toEqual([['network', 2], ['auth', 1]]);
    expect(categories[1]?.example.message).toBe('JIRA returned 401 for GET /myself');
    expect(Object.fromEntries(await errorTotals(db))).toEqual({ network: 2, auth: 1 });
    expect(await lastSuccessAt(db)).toEqual(at(11));
  });

  it('keeps a problem open until a later writing run records the field again or finds it agreed', async () => {
    const { db } = await openTempState();
    await run(db, 0, { changes: [change(1, 'status', 'conflict'), change(2, 'status', 'blocked'), change(3, 'priority', 'failed')] });
    await run(db, 10, { changes: [change(1, 'status', 'applied')] });
    await run(db, 15, { dryRun: true, changes: [change(2, 'status', 'planned')] });
    await saveBases(db, [{ incidentId: 3, field: 'priority', impact: '1', jira: 'Highest', recordedAt: at(20) }]);
    const open = await openProblems(db);
    expect(open.map((p) => [p.incidentId, p.field, p.outcome])).toEqual([[2, 'status', 'blocked']]);
  });

  it('gives run durations, drift history, totals and nearest-rank percentiles', async () => {
    const { db } = await openTempState();
    const unapplied = (pairs: number) => Array.from({ length: pairs }, (_, i) => change(i + 1, 'status', 'blocked'));
    for (const [i, ms] of [300, 100, 200, 400].entries()) await run(db, i * 10, { durationMs: ms, driftPairs: i, changes: unapplied(i) });
    await run(db, 50, { exitCode: 3, driftPairs: 0 });
    expect(await runDurations(db, { runs: 3 })).toEqual([200, 400, 1000]);
    expect(await driftHistory(db, 3)).toEqual([1, 2, 3]);
    expect(percentile([10, 20, 30, 40], 0.5)).toBe(20);
    expect(percentile([10, 20, 30, 40], 0.95)).toBe(40);
    expect(percentile([], 0.5)).toBeNull();
    expect(await changeTotals(db)).toEqual(expect.arrayContaining([expect.objectContaining({ outcome: 'blocked', count: 6 })]));
  });

  it('drift history is what each run left drifted: pairs with a change it did not apply', async () => {
    const { db } = await openTempState();
    await run(db, 0, { dryRun: true, driftPairs: 3, changes: [change(1, 'status', 'planned'), change(2, 'title', 'planned'), change(3, 'title', 'planned')] });
    await run(db, 10, {
      driftPairs: 3,
      exitCode: 4,
      changes: [change(1, 'status', 'applied'), change(2, 'title', 'applied'), change(2, 'status', 'blocked'), change(3, 'title', 'applied')],
    });
    expect(await driftHistory(db, 10)).toEqual([3, 1]);
  });

  it('a change an interrupted run never sent is skipped, not failed: no failure rate, no open problem', async () => {
    const { db } = await openTempState();
    const notSent = { reason: NOT_SENT_INTERRUPTED, durationMs: 0 };
    const id = await run(db, 0, {
      exitCode: 4,
      changes: [change(1, 'status', 'applied'), change(2, 'status', 'failed', notSent), change(3, 'status', 'skipped', notSent)],
    });
    const [status] = await syncTypeStats(db, { runs: 1 });
    expect(status?.counts).toMatchObject({ applied: 1, failed: 0, skipped: 2 });
    expect(status?.durationsMs).toEqual([100]);
    expect(await openProblems(db)).toEqual([]);
    expect(await notSentFailures(db, [id])).toEqual(new Map([[id, 1]]));
  });
});
