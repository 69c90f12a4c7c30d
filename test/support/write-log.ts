import type { Sandbox } from '../../src/sandbox/sandbox.js';

/**
 * Every write either emulator applied, one line each: JIRA's edits and transitions with their bodies, and each
 * FireFighter webhook item that changed an incident. A line that appears twice is a write applied twice.
 */
export function appliedWrites(sandbox: Sandbox): string[] {
  const jira = sandbox.jira.writes.map((write) => `jira ${write.key} ${write.kind} ${JSON.stringify(write.body)}`);
  const impact = sandbox.impact.webhooks.flatMap((hook) => {
    const items = (hook.payload as { changelog?: { items?: Array<{ field?: string; toString?: string }> } } | undefined)?.changelog?.items ?? [];
    return hook.effects.flatMap((effect, index) => (effect === 'applied' ? [`impact ${hook.incidentId} ${items[index]?.field} → ${items[index]?.toString}`] : []));
  });
  return [...jira, ...impact].sort();
}

export function duplicatesIn(lines: readonly string[]): string[] {
  return lines.filter((line, index) => lines.indexOf(line) !== index);
}

/** What both emulators hold for every pair: the values raidsync syncs. */
export function syncedState(sandbox: Sandbox, incidentIds: readonly number[], keys: readonly string[]): unknown {
  return {
    incidents: incidentIds.map((id) => {
      const incident = sandbox.impact.incident(id);
      return incident && { id, status: incident.status, priority: incident.priority };
    }),
    issues: keys.map((key) => {
      const issue = sandbox.jira.issue(key);
      return issue && { key, summary: issue.summary, description: issue.description, status: issue.statusId, priority: issue.priorityId, custom: issue.customFields, assignee: issue.assigneeAccountId };
    }),
  };
}

/** Calls `listener` as each write is recorded, before its answer is sent: the moment a kill leaves it unacknowledged. */
export function onEachWrite(sandbox: Sandbox, listener: () => void): void {
  for (const log of [sandbox.jira.writes, sandbox.impact.webhooks] as unknown[][]) {
    const push = log.push.bind(log);
    log.push = (...items: unknown[]) => {
      const length = push(...items);
      listener();
      return length;
    };
  }
}
