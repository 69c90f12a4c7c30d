import { describe, expect, it } from 'vitest';
import { shortestPath, type WorkflowTransitionEdge } from '../../../src/sync/act/workflow-path.js';

const edge = (from: string | null, to: string, transitionId: string): WorkflowTransitionEdge => ({ from, to, transitionId, transitionName: `t${transitionId}` });
const ids = (hops: ReturnType<typeof shortestPath>) => hops?.map((hop) => hop.transitionId) ?? null;

/** The sandbox's INC workflow, as plain data. */
const INC: WorkflowTransitionEdge[] = [
  edge('Open', 'To Do', '11'),
  edge('To Do', 'In Progress', '21'),
  edge('Reopened', 'In Progress', '21'),
  edge('In Progress', 'In Review', '31'),
  edge('In Review', 'Resolved', '41'),
  edge('In Progress', 'Resolved', '51'),
  edge('Resolved', 'Closed', '61'),
  edge('Resolved', 'Reopened', '71'),
  edge('Closed', 'Reopened', '71'),
  edge(null, 'Open', '141'),
];

describe('shortestPath', () => {
  it('is empty when the issue is already at the target', () => {
    expect(shortestPath(INC, 'Open', 'Open', ['Closed'])).toEqual([]);
  });

  it('finds two- and three-hop paths, hop by hop', () => {
    expect(shortestPath(INC, 'Open', 'In Progress', ['Closed'])).toEqual([
      { from: 'Open', to: 'To Do', transitionId: '11', transitionName: 't11' },
      { from: 'To Do', to: 'In Progress', transitionId: '21', transitionName: 't21' },
    ]);
    expect(ids(shortestPath(INC, 'Open', 'Resolved', ['Closed']))).toEqual(['11', '21', '51']);
    expect(ids(shortestPath(INC, 'Resolved', 'In Progress', ['Closed']))).toEqual(['71', '21']);
  });

  it('uses a global transition from any status but its own target', () => {
    expect(ids(shortestPath(INC, 'Resolved', 'Open', ['Closed']))).toEqual(['141']);
    expect(ids(shortestPath(INC, 'Closed', 'To Do', ['Closed']))).toEqual(['141', '11']);
  });

  it('never passes through a terminal status, though it may start or end there', () => {
    const shortcut = [edge('A', 'Closed', '1'), edge('Closed', 'B', '2'), edge('A', 'X', '3'), edge('X', 'Y', '4'), edge('Y', 'B', '5')];
    expect(ids(shortestPath(shortcut, 'A', 'B', ['Closed']))).toEqual(['3', '4', '5']);
    expect(ids(shortestPath(shortcut, 'A', 'B', []))).toEqual(['1', '2']);
    expect(ids(shortestPath(shortcut, 'A', 'Closed', ['Closed']))).toEqual(['1']);
    expect(ids(shortestPath(shortcut, 'Closed', 'B', ['Closed']))).toEqual(['2']);
  });

  it('answers null when no path exists, or only one through a terminal status', () => {
    expect(shortestPath(INC, 'Open', 'Nowhere', ['Closed'])).toBeNull();
    expect(shortestPath([edge('A', 'Closed', '1'), edge('Closed', 'B', '2')], 'A', 'B', ['Closed'])).toBeNull();
  });

  it('breaks ties by the lowest transition id, hop by hop, whatever order the edges come in', () => {
    const tied = [edge('A', 'C', '7'), edge('C', 'T', '1'), edge('B', 'T', '9'), edge('A', 'B', '5')];
    expect(ids(shortestPath(tied, 'A', 'T', []))).toEqual(['5', '9']);
    expect(ids(shortestPath([...tied].reverse(), 'A', 'T', []))).toEqual(['5', '9']);
    // Numeric, not textual: 21 before 111.
    expect(ids(shortestPath([edge('A', 'T', '111'), edge('A', 'T', '21')], 'A', 'T', []))).toEqual(['21']);
  });

  it('takes its first hop only among what JIRA offers now when told, the rest over the graph', () => {
    const graph = [edge('A', 'B', '1'), edge('B', 'T', '2'), edge('A', 'C', '3'), edge('C', 'D', '4'), edge('D', 'T', '5')];
    expect(ids(shortestPath(graph, 'A', 'T', []))).toEqual(['1', '2']);
    expect(ids(shortestPath(graph, 'A', 'T', [], [edge('A', 'C', '3')]))).toEqual(['3', '4', '5']);
    expect(shortestPath(graph, 'A', 'T', [], [])).toBeNull();
  });
});
