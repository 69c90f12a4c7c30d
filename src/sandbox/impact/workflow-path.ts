/** The part of a JIRA workflow FireFighter's transition engine reads: statuses and named transitions between them. */
export interface WorkflowGraph {
  statuses: ReadonlyArray<{ id: string; name: string }>;
  /** `from: '*'` is a global transition. */
  transitions: ReadonlyArray<{ name: string; from: '*' | readonly string[]; to: string }>;
}

/** One entry of `_get_transitions` (jira_app/client.py:411-489): a status with an outgoing transition, and where it leads. */
interface StatusTransitionInfo {
  statusId: string;
  statusName: string;
  /** Target status id → transition name; insertion order stands in for Python's set order. */
  transitionToStatus: Map<string, string>;
}

// jira_app/utils.py:29: never routed *through*, still a valid start or target.
const TERMINAL_STATUS_NAMES = new Set(['Closed']);

/** `_get_transitions`: directed transitions per source, then every global one added to each status already listed. */
function transitionsInfo(graph: WorkflowGraph): StatusTransitionInfo[] {
  const idOf = new Map(graph.statuses.map((status) => [status.name, status.id]));
  const info: StatusTransitionInfo[] = [];
  for (const transition of graph.transitions) {
    if (transition.from === '*') continue;
    const targetId = idOf.get(transition.to)!;
    for (const source of transition.from) {
      const sourceId = idOf.get(source)!;
      let entry = info.find((candidate) => candidate.statusId === sourceId);
      if (!entry) info.push((entry = { statusId: sourceId, statusName: source, transitionToStatus: new Map() }));
      entry.transitionToStatus.set(targetId, transition.name);
    }
  }
  for (const transition of graph.transitions) {
    if (transition.from !== '*') continue;
    for (const entry of info) entry.transitionToStatus.set(idOf.get(transition.to)!, transition.name);
  }
  return info;
}

/** `get_status_id_from_name` (jira_app/utils.py:120-126): only statuses with an outgoing transition are found. */
export function statusIdFromName(graph: WorkflowGraph, name: string): string | undefined {
  return transitionsInfo(graph).find((entry) => entry.statusName === name)?.statusId;
}

/** `get_transitions_to_apply` + `_transition_path` (jira_app/utils.py:32-117): BFS shortest path, as transition names. */
export function transitionsToApply(graph: WorkflowGraph, currentStatusId: string, targetStatusId: string): string[] {
  if (currentStatusId === targetStatusId) return [];
  const info = transitionsInfo(graph);
  const blocked = new Set(info.filter((entry) => TERMINAL_STATUS_NAMES.has(entry.statusName)).map((entry) => entry.statusId));
  blocked.delete(currentStatusId);
  blocked.delete(targetStatusId);
  const targets = new Map(info.map((entry) => [entry.statusId, entry.transitionToStatus]));
  const visited = new Set<string>();
  const queue: string[][] = [[currentStatusId]];
  while (queue.length > 0) {
    const path = queue.shift()!;
    const node = path[path.length - 1]!;
    if (visited.has(node)) continue;
    visited.add(node);
    for (const adjacent of targets.get(node)?.keys() ?? []) {
      if (blocked.has(adjacent)) continue;
      const next = [...path, adjacent];
      queue.push(next);
      if (adjacent === targetStatusId) return next.slice(1).map((status, index) => targets.get(next[index]!)!.get(status)!);
    }
  }
  return [];
}
