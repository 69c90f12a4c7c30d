import { describe, expect, it } from 'vitest';
import type { JiraIssue } from '../../../src/jira/issue.js';
import type { JiraTransition } from '../../../src/jira/transition.js';
import { ServiceError } from '../../../src/net/errors.js';
import type { WorkflowKnowledge } from '../../../src/sync/act/workflow-knowledge.js';
import type { WorkflowTransitionEdge } from '../../../src/sync/act/workflow-path.js';
import { walkToStatus, type WalkDeps } from '../../../src/sync/act/workflow-walk.js';

const EDGES: WorkflowTransitionEdge[] = [
  { from: 'Open', to: 'In Progress', transitionId: '11', transitionName: 'Start' },
  { from: 'In Progress', to: 'Resolved', transitionId: '21', transitionName: 'Resolve' },
];

interface WorldOptions {
  /** Screen fields JIRA requires, by transition id. */
  screens?: Record<string, string[]>;
  /** What raidsync knows of the screens (null: never seen); default: what JIRA requires. */
  knownScreens?: Record<string, string[] | null>;
  /** What JIRA offers from each status; default: the known graph. */
  offered?: (status: string) => WorkflowTransitionEdge[];
  /** Refuses every hop as a validator would. */
  validator?: boolean;
}

const refusal = (detail: string) => new ServiceError({ service: 'jira', endpoint: 'POST /rest/api/2/issue/INC-7/transitions', status: 400, detail });

/**
 * A JIRA whose issue INC-7 sits in `status` and moves when a hop JIRA offers is sent with its screen filled, refusing
 * (400) any other; raidsync's knowledge of the graph starts as EDGES and learns from what a read of the transitions answers.
 */
function fakeWorld(options: WorldOptions = {}) {
  let status = 'Open';
  const sent: string[] = [];
  const paths: string[][] = [];
  const reads: string[] = [];
  let graph = [...EDGES];
  const offered = options.offered ?? ((from: string) => EDGES.filter((edge) => edge.from === from));
  const screenOf = (id: string) => options.screens?.[id] ?? [];
  const transitions = (from: string): JiraTransition[] =>
    offered(from).map((edge) => ({ id: edge.transitionId, name: edge.transitionName, to: { id: edge.to, name: edge.to }, requiredFields: screenOf(edge.transitionId) }));
  const learnedScreens = new Map<string, string[]>();
  const jira: WalkDeps['jira'] = {
    getTransitions: async () => {
      reads.push(`transitions in ${status}`);
      return transitions(status);
    },
    getIssue: async () => {
      reads.push('issue');
      return { status } as JiraIssue;
    },
  };
  const knowledge: WorkflowKnowledge = {
    // As without the workflow API: a status the graph reaches but has never left is read through some issue sitting there.
    edges: async () => {
      for (;;) {
        const left = new Set(graph.map((edge) => edge.from));
        const unread = [...new Set(graph.map((edge) => edge.to))].filter((to) => !left.has(to) && offered(to).length > 0);
        if (unread.length === 0) return graph;
        for (const to of unread) {
          reads.push(`transitions in ${to} (another issue)`);
          graph = [...graph, ...offered(to)];
        }
      }
    },
    source: () => 'learned transitions',
    requiredFields: (_key, _from, id) => learnedScreens.get(id) ?? (options.knownScreens && id in options.knownScreens ? options.knownScreens[id]! : screenOf(id)),
    learn: async (_key, from, now) => {
      graph = [...graph.filter((edge) => edge.from !== from), ...now.map((t) => ({ from, to: t.to.name, transitionId: t.id, transitionName: t.name }))];
      for (const t of now) learnedScreens.set(t.id, t.requiredFields);
    },
    explore: async () => undefined,
  };
  const deps: WalkDeps = {
    jira,
    knowledge,
    terminalStatuses: [],
    transitionFields: {},
    beginPath: async (statuses) => {
      paths.push([...statuses]);
    },
    finishPath: async () => {
      paths.push(['finished']);
    },
    sendHop: async (hop, hopNumber, hops, fields) => {
      sent.push(`${hop.transitionId} (${hopNumber}/${hops})`);
      const transition = transitions(status).find((candidate) => candidate.id === hop.transitionId);
      if (!transition) throw refusal(`Transition id '${hop.transitionId}' is not valid for this issue.`);
      const missing = transition.requiredFields.filter((field) => fields?.[field] === undefined);
      if (missing.length > 0) throw refusal(`${missing[0]}: required`);
      if (options.validator) throw refusal('The transition was refused by a workflow validator.');
      status = transition.to.name;
    },
  };
  return { deps, sent, paths, reads, status: () => status };
}

const request = { issueKey: 'INC-7', from: 'Open', target: 'Resolved' };

describe('walkToStatus', () => {
  it('takes the known path one transition at a time with no read before a hop, recording it before the first hop and finishing it at the target', async () => {
    const world = fakeWorld();
    const result = await walkToStatus(request, world.deps);
    expect(result).toEqual({ outcome: 'applied', reason: 'via "In Progress"', category: null });
    expect(world.sent).toEqual(['11 (1/2)', '21 (2/2)']);
    expect(world.reads).toEqual([]);
    expect(world.paths).toEqual([['Open', 'In Progress', 'Resolved'], ['finished']]);
    expect(world.status()).toBe('Resolved');
  });

  it('blocks before any hop when a screen on the path needs a field with no configured value', async () => {
    const world = fakeWorld({ screens: { '21': ['resolution'] } });
    const result = await walkToStatus(request, world.deps);
    expect(result.outcome).toBe('blocked');
    expect(result.reason).toMatch(/requires field resolution; set jira\.transitionFields\.Resolved\.resolution/);
    expect({ sent: world.sent, paths: world.paths }).toEqual({ sent: [], paths: [] });
  });

  it('reads the transitions of the issue when the first hop\'s screen was never seen, and blocks before it on what the read tells', async () => {
    const world = fakeWorld({ screens: { '11': ['resolution'] }, knownScreens: { '11': null } });
    const result = await walkToStatus(request, world.deps);
    expect(result.outcome).toBe('blocked');
    expect(result.reason).toMatch(/transition "Start" \(Open → In Progress\) requires field resolution/);
    expect(world.reads).toEqual(['transitions in Open']);
    expect(world.sent).toEqual([]);
  });

  it('sends a required screen field with the value configured for the hop\'s target', async () => {
    const world = fakeWorld({ screens: { '21': ['resolution'] } });
    const fields: Array<Record<string, unknown> | undefined> = [];
    const send = world.deps.sendHop;
    const result = await walkToStatus(request, {
      ...world.deps,
      transitionFields: { Resolved: { resolution: { name: 'Done' } } },
      sendHop: async (hop, hopNumber, hops, sentFields) => {
        fields.push(sentFields);
        await send(hop, hopNumber, hops, sentFields);
      },
    });
    expect(result.outcome).toBe('applied');
    expect(fields).toEqual([undefined, { resolution: { name: 'Done' } }]);
  });

  it('answers a hop refused by a screen learned stale by reading the transitions and sending it again with the field', async () => {
    const world = fakeWorld({ screens: { '21': ['resolution'] }, knownScreens: { '21': [] } });
    const result = await walkToStatus(request, { ...world.deps, transitionFields: { Resolved: { resolution: { name: 'Done' } } } });
    expect(result.outcome).toBe('applied');
    expect(world.sent).toEqual(['11 (1/2)', '21 (2/2)', '21 (2/2)']);
    expect(world.reads).toEqual(['issue', 'transitions in In Progress']);
    expect(world.status()).toBe('Resolved');
  });

  it('reaches the target through a stale graph: a refused hop is re-planned over what JIRA offers now', async () => {
    // The workflow changed after raidsync learned it: "Resolve" became "Close out" (31), through "Review".
    const now: WorkflowTransitionEdge[] = [
      EDGES[0]!,
      { from: 'In Progress', to: 'Review', transitionId: '31', transitionName: 'Review' },
      { from: 'Review', to: 'Resolved', transitionId: '41', transitionName: 'Close out' },
    ];
    const world = fakeWorld({ offered: (from) => now.filter((edge) => edge.from === from) });
    const result = await walkToStatus(request, world.deps);
    expect(result).toEqual({ outcome: 'applied', reason: 'via "In Progress", "Review"', category: null });
    expect(world.sent).toEqual(['11 (1/2)', '21 (2/2)', '31 (2/3)', '41 (3/3)']);
    expect(world.reads).toEqual(['issue', 'transitions in In Progress', 'transitions in Review (another issue)']);
    expect(world.paths).toEqual([['Open', 'In Progress', 'Resolved'], ['Open', 'In Progress', 'Review', 'Resolved'], ['finished']]);
    expect(world.status()).toBe('Resolved');
  });

  it('stops where JIRA no longer offers the next hop and no other way is left, saying where the issue was left', async () => {
    const world = fakeWorld({ offered: (from) => (from === 'Open' ? EDGES.slice(0, 1) : []) });
    const result = await walkToStatus(request, world.deps);
    expect(result.outcome).toBe('failed');
    expect(result.reason).toMatch(/JIRA no longer offers "Resolve" \(In Progress → Resolved\) for INC-7 after 1 of 2 hops \(INC-7 is now in "In Progress"/);
    expect(world.paths).toEqual([['Open', 'In Progress', 'Resolved']]);
  });

  it('reports a refusal the re-plan cannot change (a validator) after one read, without sending the hop again', async () => {
    const world = fakeWorld({ validator: true });
    const result = await walkToStatus(request, world.deps);
    expect(result.outcome).toBe('failed');
    expect(result.reason).toContain('refused by a workflow validator');
    expect(world.sent).toEqual(['11 (1/2)']);
    expect(world.reads).toEqual(['issue', 'transitions in Open']);
  });

  it('blocks a target no transition leads to, sending nothing', async () => {
    const world = fakeWorld();
    const result = await walkToStatus({ ...request, target: 'Archived' }, world.deps);
    expect(result).toMatchObject({ outcome: 'blocked', category: 'workflow' });
    expect(result.reason).toMatch(/"Archived" is not a status INC-7 can be moved to/);
    expect(world.sent).toEqual([]);
    expect(world.reads).toEqual(['transitions in Open']);
  });
});
