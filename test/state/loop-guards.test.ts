import { describe, expect, it } from 'vitest';
import { loadLoopGuards, loopGuardKey, pruneLoopGuards, recordLoopGuards } from '../../src/state/loop-guards.js';
import { LoopGuards } from '../../src/sync/decide/loop-guard.js';
import { openTempState } from './temp-state.js';

const t0 = new Date('2026-02-01T08:00:00.000Z');
const secondsAfter = (seconds: number): Date => new Date(t0.getTime() + seconds * 1000);

describe('loop guards', () => {
  it('builds keys in the contract format', () => {
    expect(loopGuardKey('incident', 42, 'impact_to_jira')).toBe('sync:incident:42:impact_to_jira');
    expect(loopGuardKey('issue', 'INC-7', 'jira_to_impact')).toBe('sync:issue:INC-7:jira_to_impact');
  });

  it('round-trips recorded writes by key and field, keeping the latest per field', async () => {
    const { db } = await openTempState();
    const key = loopGuardKey('incident', 42, 'jira_to_impact');
    await recordLoopGuards(db, [
      { key, field: 'status', value: 'Mitigating', writtenAt: t0 },
      { key, field: 'priority', value: 2, writtenAt: t0 },
    ]);
    await recordLoopGuards(db, [{ key, field: 'status', value: 'Mitigated', writtenAt: secondsAfter(5) }]);
    expect(await loadLoopGuards(db)).toEqual(
      new Map([
        [
          key,
          new Map([
            ['status', { value: 'Mitigated', writtenAt: secondsAfter(5) }],
            ['priority', { value: 2, writtenAt: t0 }],
          ]),
        ],
      ]),
    );
  });

  it('prunes only guards older than the window', async () => {
    const { db } = await openTempState();
    await recordLoopGuards(db, [
      { key: 'sync:incident:1:impact_to_jira', field: 'title', value: 'a', writtenAt: t0 },
      { key: 'sync:incident:2:impact_to_jira', field: 'title', value: null, writtenAt: secondsAfter(20) },
      { key: 'sync:incident:3:impact_to_jira', field: 'title', value: 'c', writtenAt: secondsAfter(30) },
    ]);
    await expect(pruneLoopGuards(db, { olderThanSeconds: 30, now: secondsAfter(50) })).resolves.toBe(1);
    const left = await loadLoopGuards(db);
    expect([...left.keys()].sort()).toEqual(['sync:incident:2:impact_to_jira', 'sync:incident:3:impact_to_jira']);
    expect(left.get('sync:incident:2:impact_to_jira')?.get('title')).toEqual({ value: null, writtenAt: secondsAfter(20) });
  });
});

describe('a loop guard dated in the future (the clock was set back)', () => {
  it('is pruned, with the expired ones', async () => {
    const { db } = await openTempState();
    await recordLoopGuards(db, [
      { key: 'sync:incident:1:impact_to_jira', field: 'title', value: 'a', writtenAt: secondsAfter(3 * 3600) },
      { key: 'sync:incident:2:impact_to_jira', field: 'title', value: 'b', writtenAt: secondsAfter(40) },
    ]);
    await expect(pruneLoopGuards(db, { olderThanSeconds: 30, now: secondsAfter(50) })).resolves.toBe(1);
    expect([...(await loadLoopGuards(db)).keys()]).toEqual(['sync:incident:2:impact_to_jira']);
  });

  it('is not honoured by the planner: an edit is not taken for an echo for hours', () => {
    const guards = new LoopGuards([{ key: 'sync:jira_issue:INC-7:impact_to_jira', field: 'priority', value: '1', writtenAt: t0.getTime() + 3 * 3600_000 }]);
    const entity = { type: 'jira_issue', id: 'INC-7' } as const;
    expect(guards.recent(entity, 'impact_to_jira', 'priority', t0.getTime(), 30_000)).toBeNull();
    expect(guards.recent(entity, 'impact_to_jira', 'priority', t0.getTime() + 3 * 3600_000 + 10_000, 30_000)).not.toBeNull();
  });
});
