import { describe, expect, it } from 'vitest';
import { forgetPair, loadPairs, rememberListedDigests, savePairs, type Link as Pair } from '../../src/state/pairs.js';
import { loadBases, saveBases } from '../../src/state/bases.js';
import { cacheUsers, loadUserCache, type CachedUser } from '../../src/state/user-cache.js';
import { readWatermark, writeWatermark } from '../../src/state/watermarks.js';
import { beginStatusPath, forgetStatusPaths, loadStatusPaths } from '../../src/state/status-paths.js';
import { forgetWorkflowEdge, loadWorkflowEdges, replaceWorkflowEdgesFrom, saveWorkflowEdges, type WorkflowEdge } from '../../src/state/workflow-edges.js';
import { openTempState } from './temp-state.js';

const t0 = new Date('2026-02-01T08:00:00.000Z');
const t1 = new Date('2026-02-02T08:00:00.000Z');

describe('pairs', () => {
  it('keeps when and how a pair was linked, and updates the rest', async () => {
    const { db } = await openTempState();
    const pair: Pair = { incidentId: 42, issueKey: 'INC-7', issueId: null, origin: 'created', linkedAt: t0, lastSeenAt: t0, inSync: false, impactHash: null };
    await savePairs(db, [pair, { ...pair, incidentId: 43, issueKey: 'INC-8', origin: 'impact' }]);
    await savePairs(db, [{ ...pair, issueId: '10007', origin: 'impact', linkedAt: t1, lastSeenAt: t1, inSync: true, impactHash: 'h1' }]);
    expect(await loadPairs(db)).toEqual([
      { incidentId: 42, issueKey: 'INC-7', issueId: '10007', origin: 'created', linkedAt: t0, lastSeenAt: t1, inSync: true, impactHash: 'h1', listedDigest: null },
      { ...pair, incidentId: 43, issueKey: 'INC-8', origin: 'impact', listedDigest: null },
    ]);
  });

  it('keeps the list element a pair was settled in while it stays as settled, and forgets it once it moves', async () => {
    const { db } = await openTempState();
    const settled: Pair = { incidentId: 42, issueKey: 'INC-7', issueId: '10007', origin: 'impact', linkedAt: t0, lastSeenAt: t0, inSync: true, impactHash: 'h1' };
    await savePairs(db, [{ ...settled, listedDigest: 'd1:f' }, { ...settled, incidentId: 43, issueKey: 'INC-8' }, { ...settled, incidentId: 44, issueKey: 'INC-9' }]);
    const digests = async () => (await loadPairs(db)).map((pair) => pair.listedDigest);
    expect(await digests()).toEqual(['d1:f', null, null]);
    // Read again as it was, with no element given: the one remembered stands.
    await savePairs(db, [{ ...settled, lastSeenAt: t1 }]);
    expect(await digests()).toEqual(['d1:f', null, null]);
    // Remembered only for pairs still as they were read; 44 moved on to another hash meanwhile.
    await savePairs(db, [{ ...settled, incidentId: 44, issueKey: 'INC-9', impactHash: 'h2' }]);
    await rememberListedDigests(db, new Map([[43, { digest: 'd3:f', issueKey: 'INC-8', impactHash: 'h1' }], [44, { digest: 'd4:f', issueKey: 'INC-9', impactHash: 'h1' }]]));
    expect(await digests()).toEqual(['d1:f', 'd3:f', null]);
    // Another hash, out of sync, another ticket: each forgets the element.
    await savePairs(db, [{ ...settled, impactHash: 'h2' }, { ...settled, incidentId: 43, issueKey: 'INC-8', inSync: false, impactHash: null }]);
    expect(await digests()).toEqual([null, null, null]);
    await savePairs(db, [{ ...settled, impactHash: 'h2', listedDigest: 'd5:f' }]);
    await savePairs(db, [{ ...settled, issueKey: 'INC-70', impactHash: 'h2' }]);
    expect(await digests()).toEqual([null, null, null]);
  });

  it('forgets a pair together with its bases', async () => {
    const { db } = await openTempState();
    const pair: Pair = { incidentId: 42, issueKey: 'INC-7', issueId: null, origin: 'impact', linkedAt: t0, lastSeenAt: t0, inSync: false, impactHash: null };
    await savePairs(db, [pair, { ...pair, incidentId: 43 }]);
    await saveBases(db, [42, 43].map((incidentId) => ({ incidentId, field: 'title', impact: 'x', jira: 'x', recordedAt: t0 })));
    await forgetPair(db, 42);
    expect((await loadPairs(db)).map((p) => p.incidentId)).toEqual([43]);
    expect([...(await loadBases(db)).keys()]).toEqual([43]);
  });
});

describe('user cache', () => {
  it('returns only lookups that have not expired, updated in place', async () => {
    const { db } = await openTempState();
    const ann: CachedUser = { email: 'ann@acme.test', accountId: '5b10a', name: null, displayName: 'Ann', resolved: 'one', expiresAt: t1 };
    const nobody: CachedUser = { email: 'nobody@acme.test', accountId: null, name: null, displayName: null, resolved: 'none', expiresAt: t0 };
    await cacheUsers(db, [ann, nobody]);
    await cacheUsers(db, [{ ...ann, displayName: 'Ann B.' }]);
    const cache = await loadUserCache(db, new Date(t0.getTime() + 1));
    expect(cache).toEqual(new Map([['ann@acme.test', { ...ann, displayName: 'Ann B.' }]]));
  });
});

describe('workflow edges', () => {
  it("round-trips a project's learned transitions and forgets one", async () => {
    const { db } = await openTempState();
    const edge = (fromStatus: string, transitionId: string, toStatus: string, project = 'INC'): WorkflowEdge => ({
      project, fromStatus, toStatus, transitionId, transitionName: `to ${toStatus}`, learnedAt: t0, requiredFields: null,
    });
    await saveWorkflowEdges(db, [edge('Open', '11', 'In Progress'), edge('In Progress', '31', 'Resolved'), edge('Open', '11', 'Done', 'OPS')]);
    await saveWorkflowEdges(db, [{ ...edge('Open', '11', 'Triaged'), learnedAt: t1 }]);
    expect(await loadWorkflowEdges(db, 'INC')).toEqual([
      edge('In Progress', '31', 'Resolved'),
      { ...edge('Open', '11', 'Triaged'), learnedAt: t1 },
    ]);
    await forgetWorkflowEdge(db, { project: 'INC', fromStatus: 'Open', transitionId: '11' });
    expect((await loadWorkflowEdges(db, 'INC')).map((e) => e.transitionId)).toEqual(['31']);
    expect(await loadWorkflowEdges(db, 'OPS')).toHaveLength(1);
  });

  it('replaces what was learned from one status with what JIRA offers from it now, screens included', async () => {
    const { db } = await openTempState();
    const edge = (fromStatus: string, transitionId: string, toStatus: string, requiredFields: string[] | null = null): WorkflowEdge => ({
      project: 'INC', fromStatus, toStatus, transitionId, transitionName: `to ${toStatus}`, learnedAt: t0, requiredFields,
    });
    await saveWorkflowEdges(db, [edge('In Progress', '31', 'In Review'), edge('In Progress', '51', 'Resolved'), edge('Open', '11', 'To Do')]);
    await replaceWorkflowEdgesFrom(db, 'INC', 'In Progress', [edge('In Progress', '51', 'Resolved', ['resolution'])]);
    expect(await loadWorkflowEdges(db, 'INC')).toEqual([edge('In Progress', '51', 'Resolved', ['resolution']), edge('Open', '11', 'To Do')]);
  });
});

describe('status paths', () => {
  it('keeps a begun path per incident until it is forgotten', async () => {
    const { db } = await openTempState();
    await beginStatusPath(db, { incidentId: 7, issueKey: 'INC-7', target: 'Done', statuses: ['Open', 'Done'], startedAt: t0 });
    await beginStatusPath(db, { incidentId: 7, issueKey: 'INC-7', target: 'In Progress', statuses: ['Open', 'To Do', 'In Progress'], startedAt: t1 });
    await beginStatusPath(db, { incidentId: 8, issueKey: 'INC-8', target: 'Open', statuses: ['Closed', 'Open'], startedAt: t0 });
    expect(await loadStatusPaths(db)).toEqual([
      { incidentId: 7, issueKey: 'INC-7', target: 'In Progress', statuses: ['Open', 'To Do', 'In Progress'], startedAt: t1 },
      { incidentId: 8, issueKey: 'INC-8', target: 'Open', statuses: ['Closed', 'Open'], startedAt: t0 },
    ]);
    await forgetStatusPaths(db, [7]);
    expect((await loadStatusPaths(db)).map((path) => path.incidentId)).toEqual([8]);
  });
});

describe('watermarks', () => {
  it('reads back the last value written under a name', async () => {
    const { db } = await openTempState();
    await expect(readWatermark(db, 'jira.updated')).resolves.toBeUndefined();
    await writeWatermark(db, 'jira.updated', '2026-02-01 08:00', t0);
    await writeWatermark(db, 'jira.updated', '2026-02-02 08:00', t1);
    await expect(readWatermark(db, 'jira.updated')).resolves.toBe('2026-02-02 08:00');
  });
});
