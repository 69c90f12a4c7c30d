/** A transition of a workflow: from one status (or, when global, from every status but its own target) to another. */
export interface WorkflowTransitionEdge {
  /** null for a global transition, offered from every status except its target. */
  from: string | null;
  to: string;
  transitionId: string;
  transitionName: string;
}

/** One step of a path: the transition to take from `from`. */
export interface WorkflowHop {
  from: string;
  to: string;
  transitionId: string;
  transitionName: string;
}

/** Orders transition ids numerically where they are numbers (JIRA's are), so "21" comes before "111". */
function byTransitionId(a: WorkflowTransitionEdge, b: WorkflowTransitionEdge): number {
  const numeric = Number(a.transitionId) - Number(b.transitionId);
  if (Number.isFinite(numeric) && numeric !== 0) return numeric;
  return a.transitionId < b.transitionId ? -1 : a.transitionId > b.transitionId ? 1 : 0;
}

function outgoing(edges: readonly WorkflowTransitionEdge[], status: string): WorkflowTransitionEdge[] {
  return edges.filter((edge) => (edge.from === null ? edge.to !== status : edge.from === status)).sort(byTransitionId);
}

/**
 * The shortest path of transitions from `start` to `target` (breadth first, as FireFighter's engine), never
 * passing *through* a terminal status: one may be the start or the target, never a hop in between.
 * Among paths of equal length the one whose transition ids are lowest, hop by hop from the start, wins.
 * `offeredAtStart`, when JIRA was just asked, replaces what the graph says leaves `start`.
 * `[]` when already there; null when no path exists.
 */
export function shortestPath(
  edges: readonly WorkflowTransitionEdge[],
  start: string,
  target: string,
  terminalStatuses: readonly string[],
  offeredAtStart?: readonly WorkflowTransitionEdge[],
): WorkflowHop[] | null {
  if (start === target) return [];
  const terminal = new Set(terminalStatuses);
  const reachedBy = new Map<string, WorkflowHop | null>([[start, null]]);
  let frontier = [start];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const status of frontier) {
      if (status !== start && terminal.has(status)) continue;
      for (const edge of status === start && offeredAtStart ? [...offeredAtStart].sort(byTransitionId) : outgoing(edges, status)) {
        if (reachedBy.has(edge.to)) continue;
        reachedBy.set(edge.to, { from: status, to: edge.to, transitionId: edge.transitionId, transitionName: edge.transitionName });
        if (edge.to === target) return pathTo(reachedBy, target);
        next.push(edge.to);
      }
    }
    frontier = next;
  }
  return null;
}

function pathTo(reachedBy: ReadonlyMap<string, WorkflowHop | null>, target: string): WorkflowHop[] {
  const hops: WorkflowHop[] = [];
  for (let hop = reachedBy.get(target); hop; hop = reachedBy.get(hop.from)) hops.unshift(hop);
  return hops;
}
