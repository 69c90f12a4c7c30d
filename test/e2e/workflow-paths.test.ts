import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configureRetries } from '../../src/net/retry.js';
import type { JiraSeed } from '../../src/sandbox/jira/seed.js';
import { startWorld, type World, type JsonChange } from '../support/cli.js';
import { fixtureSeed } from '../jira/harness.js';

configureRetries({ baseDelayMs: 1, maxDelayMs: 5, maxTotalWaitMs: 50 });

const RESOLUTION_CONFIG = 'jira:\n  transitionFields:\n    Resolved:\n      resolution: { name: Done }\n';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function open(options: Parameters<typeof startWorld>[0] = {}, config = ''): Promise<World> {
  world = await startWorld(options);
  writeFileSync(join(world.cwd, 'raidsync.config.yaml'), config);
  return world;
}

async function reconcile(w: World, ...args: string[]) {
  const result = await w.run('reconcile', '--json', '-c', join(w.cwd, 'raidsync.config.yaml'), ...args);
  const changes = result.json<{ changes: JsonChange[] }>().changes;
  return { exitCode: result.exitCode, changes, status: (incident: number) => changes.find((c) => c.incident === incident && c.field === 'status') };
}

/** The transition ids JIRA took for an issue, in order, with the screen fields sent. */
function transitionsOf(w: World, key: string): Array<{ id: string; fields?: unknown }> {
  return w.sandbox.jira.writes
    .filter((write) => write.key === key && write.kind === 'transition')
    .map((write) => {
      const body = write.body as { transition: { id: string }; fields?: unknown };
      return body.fields === undefined ? { id: body.transition.id } : { id: body.transition.id, fields: body.fields };
    });
}

/** The transition requests JIRA received since `since` (an index into its request log), by method. */
function transitionRequests(w: World, since: number): { GET: number; POST: number } {
  const calls = w.sandbox.jira.requests.slice(since).filter((request) => request.path.endsWith('/transitions'));
  return { GET: calls.filter((request) => request.method === 'GET').length, POST: calls.filter((request) => request.method === 'POST').length };
}

// Data Center has no workflow API: raidsync learns the graph from what issues are offered, and no issue sits in
// "Reopened", so from "Resolved" its shortest known way to "In Progress" is through "Open".
const RESOLVED_TO_IN_PROGRESS = { cloud: [{ id: '71' }, { id: '21' }], datacenter: [{ id: '141' }, { id: '11' }, { id: '21' }] };

describe.each(['cloud', 'datacenter'] as const)('status along the workflow (%s)', (mode) => {
  it('takes a multi-hop path from Resolved back to In Progress, transition by transition', async () => {
    const w = await open({ mode });
    const run = await reconcile(w, '--incident', '107');
    expect(run.status(107)).toMatchObject({ issue: 'INC-7', outcome: 'applied' });
    expect(transitionsOf(w, 'INC-7')).toEqual(RESOLVED_TO_IN_PROGRESS[mode]);
    expect(w.sandbox.jira.issue('INC-7')?.statusId).toBe('3');
  });

  it('takes a three-hop path, filling the required resolution from config on the hop that needs it', async () => {
    const w = await open({ mode }, RESOLUTION_CONFIG);
    w.sandbox.impact.update(105, { status: 'Mitigated' });
    const run = await reconcile(w, '--incident', '105');
    expect(run.status(105)).toMatchObject({ issue: 'INC-5', outcome: 'applied' });
    expect(transitionsOf(w, 'INC-5')).toEqual([{ id: '11' }, { id: '21' }, { id: '51', fields: { resolution: { name: 'Done' } } }]);
    expect(w.sandbox.jira.issue('INC-5')).toMatchObject({ statusId: '5', resolutionId: '10000' });
  });

  it('blocks a path whose screen needs a field with no configured value before taking any hop', async () => {
    const w = await open({ mode });
    w.sandbox.impact.update(105, { status: 'Mitigated' });
    const run = await reconcile(w, '--incident', '105');
    expect(run.exitCode).toBe(4);
    expect(run.status(105)?.outcome).toBe('blocked');
    expect(run.status(105)?.reason).toContain('transition "Resolve Issue" (In Progress → Resolved) requires field resolution');
    expect(run.status(105)?.reason).toContain('jira.transitionFields.Resolved.resolution');
    expect(transitionsOf(w, 'INC-5')).toEqual([]);
    expect(w.sandbox.jira.issue('INC-5')?.statusId).toBe('1');
  });
});

/** INC workflow where Blocked leads straight to Closed and Closed back to In Progress, and "Unblock" is gone. */
function shortcutThroughClosed(): JiraSeed {
  const seed = fixtureSeed();
  const workflow = seed.projects[0]!.workflow;
  workflow.transitions = [
    ...workflow.transitions.filter((transition) => transition.id !== '91'),
    { id: '151', name: 'Abandon', from: ['Blocked'], to: 'Closed' },
    { id: '161', name: 'Restart', from: ['Closed'], to: 'In Progress' },
  ];
  seed.issues.find((issue) => issue.key === 'INC-1')!.status = 'Blocked';
  return seed;
}

describe('status along the workflow: what may not be passed through, and what cannot be reached', () => {
  it('routes around "Closed" even when the path through it is shorter', async () => {
    const w = await open({ jiraSeed: shortcutThroughClosed() });
    w.sandbox.impact.update(101, { status: 'Investigating' });
    const run = await reconcile(w, '--incident', '101');
    expect(run.status(101)?.outcome).toBe('applied');
    expect(transitionsOf(w, 'INC-1')).toEqual([{ id: '141' }, { id: '11' }, { id: '21' }]);
    expect(w.sandbox.jira.issue('INC-1')?.changelog.flatMap((entry) => entry.items.map((item) => item.toString))).not.toContain('Closed');
  });

  it('reports an unreachable status as blocked while the pair\'s other fields and the other pairs sync (exit 4)', async () => {
    const seed = fixtureSeed();
    // Nothing leads into "Resolved" any more.
    seed.projects[0]!.workflow.transitions = seed.projects[0]!.workflow.transitions.filter((transition) => transition.to !== 'Resolved');
    const w = await open({ jiraSeed: seed });
    w.sandbox.impact.update(105, { status: 'Mitigated', title: 'Stale catalogue cache after every deploy' });
    const run = await reconcile(w);
    expect(run.exitCode).toBe(4);
    expect(run.status(105)).toMatchObject({ outcome: 'blocked' });
    expect(run.status(105)?.reason).toContain('"Resolved" is not a status INC-5 can be moved to');
    expect(run.changes.find((c) => c.incident === 105 && c.field === 'title')?.outcome).toBe('applied');
    expect(w.sandbox.jira.issue('INC-5')?.summary).toBe('Stale catalogue cache after every deploy');
    expect(run.status(107)?.outcome).toBe('applied');
    expect(run.changes.find((c) => c.incident === 110 && c.field === 'title')?.outcome).toBe('applied');
  });
});

describe('status along the workflow: what a walk costs', () => {
  it('takes a two-hop path from the workflow API with two POSTs and no GET of the transitions (cloud)', async () => {
    const w = await open({ mode: 'cloud' });
    const run = await reconcile(w, '--incident', '107');
    expect(run.status(107)?.outcome).toBe('applied');
    expect(transitionRequests(w, 0)).toEqual({ GET: 0, POST: 2 });
  });

  it('takes a three-hop path over the graph learned by an earlier run with three POSTs and no GET of the transitions (Data Center)', async () => {
    const w = await open({ mode: 'datacenter' }, RESOLUTION_CONFIG);
    expect((await reconcile(w, '--incident', '107')).status(107)?.outcome).toBe('applied');
    const since = w.sandbox.jira.requests.length;
    w.sandbox.impact.update(105, { status: 'Mitigated' });
    const run = await reconcile(w, '--incident', '105');
    expect(run.status(105)?.outcome).toBe('applied');
    expect(transitionRequests(w, since)).toEqual({ GET: 0, POST: 3 });
    expect(w.sandbox.jira.issue('INC-5')).toMatchObject({ statusId: '5', resolutionId: '10000' });
  });

  it('reaches the target over a stale graph: the workflow changed after raidsync learned it (Data Center)', async () => {
    const w = await open({ mode: 'datacenter' }, RESOLUTION_CONFIG);
    expect((await reconcile(w, '--incident', '107')).status(107)?.outcome).toBe('applied');
    // An administrator publishes a new workflow: "Plan" (11, Open → To Do) is replaced by "Plan work" (12).
    const workflow = w.sandbox.jira.workflow('INC');
    const plan = workflow.transitions.find((transition) => transition.id === '11')!;
    workflow.transitions = [...workflow.transitions.filter((transition) => transition !== plan), { ...plan, id: '12', name: 'Plan work' }];
    const since = w.sandbox.jira.requests.length;
    w.sandbox.impact.update(105, { status: 'Mitigated' });
    const run = await reconcile(w, '--incident', '105');
    expect(run.status(105)?.outcome).toBe('applied');
    expect(transitionsOf(w, 'INC-5')).toEqual([{ id: '12' }, { id: '21' }, { id: '51', fields: { resolution: { name: 'Done' } } }]);
    // The refused "Plan" costs one read of what is offered, then the walk goes on without reading.
    expect(transitionRequests(w, since)).toEqual({ GET: 1, POST: 4 });
  });
});

describe('status along the workflow: a path cut off midway', () => {
  it('resumes from where the issue stopped on the next run, without taking the first hop again', async () => {
    const w = await open();
    // JIRA refuses the second transition of INC-7's path (Reopen Issue, then Start Progress).
    w.sandbox.jira.faults.next(1, {
      status: 400,
      body: { errorMessages: ['The transition was refused by a workflow validator.'], errors: {} },
      matcher: { method: 'POST', pathPrefix: '/rest/api/2/issue/INC-7/transitions', after: 1 },
    });
    const first = await reconcile(w, '--incident', '107');
    expect(first.exitCode).toBe(4);
    expect(first.status(107)?.outcome).toBe('failed');
    expect(first.status(107)?.reason).toContain('after 1 of 2 hops (INC-7 is now in "Reopened"');
    expect(transitionsOf(w, 'INC-7')).toEqual([{ id: '71' }]);

    // Even with JIRA winning conflicts, "Reopened" is raidsync's own unfinished move, not an edit to pull into Impact.
    const second = await reconcile(w, '--incident', '107', '--conflict', 'jira');
    expect(second.exitCode).toBe(0);
    expect(second.status(107)).toMatchObject({ direction: 'impact_to_jira', outcome: 'applied' });
    expect(second.status(107)?.reason).toContain('resuming the workflow path to "In Progress"');
    expect(transitionsOf(w, 'INC-7')).toEqual([{ id: '71' }, { id: '21' }]);
    expect(w.sandbox.impact.incident(107)?.status).toBe('Mitigating');

    const third = await reconcile(w, '--incident', '107', '--conflict', 'jira');
    expect(third.changes).toEqual([]);
  });
});
