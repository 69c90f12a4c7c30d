import type { JiraUpdate } from './webhook.js';

/**
 * A JIRA-side value FireFighter is to take: a status by the JIRA names its webhook map knows (`from` JIRA's previous
 * status, which its close guard checks), or a priority as FireFighter's level "1".."5".
 */
export type PulledValue =
  | { field: 'status'; from: string | null; to: string }
  | { field: 'priority'; from: string | null; to: string };

/** The `jira:issue_updated` whose changelog FireFighter's own maps carry to these values. */
export function impactUpdate(issue: { id: string; key: string }, actor: JiraUpdate['actor'], values: readonly PulledValue[]): JiraUpdate {
  return { issueId: issue.id, issueKey: issue.key, actor, items: values.map(changelogItem) };
}

function changelogItem(value: PulledValue): JiraUpdate['items'][number] {
  if (value.field === 'status') return { field: 'status', fieldId: 'status', fromString: value.from, toString: value.to };
  // FireFighter recognises a priority change only by the custom field's id, and parses "1".."5".
  return { field: 'Priority', fieldId: 'customfield_11064', fromString: value.from, toString: value.to };
}
