import { describe, expect, it } from 'vitest';
import type { JiraClient } from '../../../src/jira/client.js';
import type { JiraTransition } from '../../../src/jira/transition.js';
import type { WorkflowKnowledge } from '../../../src/sync/act/workflow-knowledge.js';
import type { WorkflowTransitionEdge } from '../../../src/sync/act/workflow-path.js';
import { walkToStatus, type WalkDeps } from '../../../src/sync/act/workflow-walk.js';

const EDGES: WorkflowTransitionEdge[] = [
  { from: 'Open', to: 'In Progress', transitionId: '11', transitionName: 'Start' },
  { from: 'In Progress', to: 'Resolved', transitionId: '21', transitionName: 'Resolve' },
];

/** A JIRA whose issue INC-7 sits in `status` and moves when a hop is sent; `offered` decides what it offers from each status. */
function fakeWorld(options: { screens?: Record<string, string[]>; offered?: (status: string) => WorkflowTransitionEdge[] } = {}) {
  let status = 'Open';
  const sent: string[] = [];
  const paths: string[][] = [];
  const forgotten: string[] = [];
  const offered = options.offered ?? ((from: string) => EDGES.filter((edge) => edge.from === from));
  const transitions = (from: string): JiraTransition[] =>
    offered(from).map((edge) => ({ id: edge.transitionId, name: edge.transitionName, to: { id: edge.to, name: edge.to }, requiredFields: options.screens?.[edge.transitionId] ?? [] }));
  const jira = { getTransitions: async () => transitions(status) } as Pick<JiraClient, 'getTransitions'>;
  const knowledge: WorkflowKnowledge = {
    edges: async () => EDGES,
    source: () => 'learned transitions',
    requiredFields: (_key, _from, id) => options.screens?.[id] ?? [],
    learn: async () => undefined,
    forget: async (_key, from, id) => {
      forgotten.push(`${from}:${id}`);
    },
    explore: async () => undefined,
  };
  const deps: WalkDeps = {
    jira: jira as JiraClient,
    knowledge,
    terminalStatuses: [],
    transitionFields: {},
    beginPath: async (statuses) => {
      paths.push([...statuses]);
    },
    finishPath: async () => {
      paths.push(['finished']);
    },
    sendHop: async (hop, hopNumber, hops) => {
      sent.push(`${hop.transitionId} (${hopNumber}/${hops})`);
      status = hop.to;
    },
  };
  return { deps, sent, paths, forgotten, status: () => status };
}

const request = { issueKey: 'INC-7', from: 'Open', target: 'Resolved' };

describe('walkToStatus', () => {
  it('takes the shortest path one transition at a time, recording it before the first hop and finishing it at the target', async () => {
    const world = fakeWorld();
    const result = await walkToStatus(request, world.deps);
    expect(result).toEqual({ outcome: 'applied', reason: 'via "In Progress"', category: null });
    expect(world.sent).toEqual(['11 (1/2)', '21 (2/2)']);
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

  it('stops where JIRA no longer offers the next hop, forgets that transition and says where the issue was left', async () => {
    const world = fakeWorld({ offered: (from) => (from === 'Open' ? EDGES.slice(0, 1) : []) });
    const result = await walkToStatus(request, world.deps);
    expect(result.outcome).toBe('failed');
    expect(result.reason).toMatch(/JIRA no longer offers "Resolve" \(In Progress → Resolved\) for INC-7 after 1 of 2 hops \(INC-7 is now in "In Progress"/);
    expect(world.forgotten).toEqual(['In Progress:21']);
    expect(world.paths).toEqual([['Open', 'In Progress', 'Resolved']]);
  });

  it('blocks a target no transition leads to, sending nothing', async () => {
    const world = fakeWorld();
    const result = await walkToStatus({ ...request, target: 'Archived' }, world.deps);
    expect(result).toMatchObject({ outcome: 'blocked', category: 'workflow' });
    expect(result.reason).toMatch(/"Archived" is not a status INC-7 can be moved to/);
    expect(world.sent).toEqual([]);
  });
});
