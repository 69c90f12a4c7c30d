import type { ImpactClient } from '../impact/client.js';
import type { Incident } from '../impact/incident.js';
import type { JiraClient } from '../jira/client.js';
import type { PairError } from './plan.js';
import type { Pair } from './planner.js';

const ISSUE_KEY = /^[A-Z][A-Z0-9_]*-\d+$/;

export interface World {
  /** Every incident read, linked or not. */
  incidents: Incident[];
  pairs: Pair[];
  errors: PairError[];
}

export interface ReadOptions {
  incidentIds?: readonly number[] | undefined;
  onProgress?: ((message: string) => void) | undefined;
}

/** Reads both sides: the incidents, then their tickets in batched searches, never one GET per pair. */
export async function readWorld(impact: ImpactClient, jira: JiraClient, options: ReadOptions = {}): Promise<World> {
  options.onProgress?.('reading FireFighter incidents');
  const ids = options.incidentIds;
  const incidents = await impact.listIncidents(ids && ids.length > 0 ? { idIn: [...ids] } : {});
  const wanted = ids ? incidents.filter((incident) => ids.includes(incident.id)) : incidents;
  const errors: PairError[] = [];
  for (const id of ids ?? []) {
    if (!incidents.some((incident) => incident.id === id)) {
      errors.push({ incident: id, issue: '', message: `FireFighter has no incident ${id}` });
    }
  }
  const linked: Incident[] = [];
  for (const incident of wanted) {
    const key = incident.jiraTicketKey;
    if (key === null) continue;
    if (ISSUE_KEY.test(key)) linked.push(incident);
    else errors.push({ incident: incident.id, issue: key, message: `jira_ticket_key "${key}" is not a JIRA issue key`, category: 'validation' });
  }
  const count = (n: number) => n.toLocaleString('en-US');
  options.onProgress?.(`reading JIRA 0/${count(linked.length)}`);
  const issues = await jira.getIssuesByKeys(
    linked.map((incident) => incident.jiraTicketKey as string),
    (searched, total) => options.onProgress?.(`reading JIRA ${count(searched)}/${count(total)}`),
  );
  const byKey = new Map(issues.map((issue) => [issue.key, issue]));
  const pairs: Pair[] = [];
  for (const incident of linked) {
    const key = incident.jiraTicketKey as string;
    const issue = byKey.get(key);
    if (issue) pairs.push({ incident, issue });
    else errors.push({ incident: incident.id, issue: key, message: `JIRA has no issue ${key} (deleted, moved, or hidden from raidsync's account)` });
  }
  return { incidents, pairs, errors };
}
