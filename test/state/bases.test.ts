import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadBases, saveBases, type BaseRecord, type StoredBase as BaseValues } from '../../src/state/bases.js';
import type { JsonValue } from '../../src/state/json.js';
import { changesOfRun, recordChanges, startRun } from '../../src/state/runs.js';
import { openTempState } from './temp-state.js';

const at = new Date('2026-02-01T08:00:00Z');
const base = (incidentId: number, field: string, impact: JsonValue, jira: JsonValue): BaseRecord => ({
  incidentId,
  field,
  impact,
  jira,
  recordedAt: at,
});

describe('bases', () => {
  it('round-trips values of every JSON shape, null included', async () => {
    const { db } = await openTempState();
    await saveBases(db, [
      base(42, 'priority', 2, { value: '2' }),
      base(42, 'commander', 'ann@acme.test', null),
      base(43, 'status', 'Mitigating', 'In Progress'),
      base(43, 'description', '', [1, true, 'x']),
    ]);
    const bases = await loadBases(db);
    expect(bases).toEqual(
      new Map([
        [42, new Map<string, BaseValues>([['priority', { impact: 2, jira: { value: '2' } }], ['commander', { impact: 'ann@acme.test', jira: null }]])],
        [43, new Map<string, BaseValues>([['status', { impact: 'Mitigating', jira: 'In Progress' }], ['description', { impact: '', jira: [1, true, 'x'] }]])],
      ]),
    );
  });

  it('replaces the base of a field saved again', async () => {
    const { db } = await openTempState();
    await saveBases(db, [base(7, 'title', 'Old', 'Old')]);
    await saveBases(db, [base(7, 'title', 'New', 'New')]);
    expect((await loadBases(db)).get(7)?.get('title')).toEqual({ impact: 'New', jira: 'New' });
  });

  it('saves more rows than fit in one statement', async () => {
    const { db } = await openTempState();
    const many = Array.from({ length: 1_234 }, (_, index) => base(index, 'title', `t${index}`, `t${index}`));
    await saveBases(db, many);
    const bases = await loadBases(db);
    expect(bases.size).toBe(1_234);
    expect(bases.get(1_233)?.get('title')).toEqual({ impact: 't1233', jira: 't1233' });
  });

  it('round-trips any JSON value', async () => {
    const { db } = await openTempState();
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), fc.jsonValue(), async (impact, jira) => {
        await saveBases(db, [base(1, 'field', impact as JsonValue, jira as JsonValue)]);
        const loaded = (await loadBases(db)).get(1)?.get('field');
        // JSON has no -0; it reads back as 0, exactly as JSON.parse(JSON.stringify(x)) would.
        expect(loaded).toEqual(JSON.parse(JSON.stringify({ impact, jira })));
      }),
      { numRuns: 100 },
    );
  });

  it("commits a pair's outcomes and bases together, or neither", async () => {
    const { db } = await openTempState();
    const runId = await startRun(db, { command: 'reconcile', dryRun: false, startedAt: at });
    const change = {
      incidentId: 42,
      issueKey: 'INC-7',
      field: 'title',
      direction: 'impact_to_jira' as const,
      from: 'Old',
      to: 'New',
      outcome: 'applied' as const,
      reason: 'impact changed since last sync',
      category: null,
      durationMs: 12,
      at,
    };
    const failing = db.transaction().execute(async (trx) => {
      await recordChanges(trx, runId, [change]);
      await saveBases(trx, [base(42, 'title', 'New', 'New')]);
      throw new Error('crash before commit');
    });
    await expect(failing).rejects.toThrow('crash before commit');
    expect(await changesOfRun(db, runId)).toEqual([]);
    expect((await loadBases(db)).size).toBe(0);

    await db.transaction().execute(async (trx) => {
      await recordChanges(trx, runId, [change]);
      await saveBases(trx, [base(42, 'title', 'New', 'New')]);
    });
    expect(await changesOfRun(db, runId)).toEqual([change]);
    expect((await loadBases(db)).get(42)?.get('title')).toEqual({ impact: 'New', jira: 'New' });
  });
});
