import type { ImpactClient } from '../impact/client.js';
import type { Incident } from '../impact/incident.js';
import type { JiraClient } from '../jira/client.js';
import type { JiraIssue } from '../jira/issue.js';
import type { PairError } from './plan.js';
import type { Pair } from './planner.js';

const ISSUE_KEY = /^[A-Z][A-Z0-9_]*-\d+$/;

export interface World {
  /** Every incident read, linked or not. */
  incidents: Incident[];
  /** The pairs read on both sides: all of them, or on an incremental run those that may have moved. */
  pairs: Pair[];
  errors: PairError[];
  /** Linked pairs left unread because neither side moved since they were last in sync. */
  unchanged: number;
  /** The latest JIRA `updated` read (epoch ms): where the next incremental run may start. */
  highWater: number | null;
  /** Incidents paired through `createdLinks` alone: synced push-only, as FireFighter cannot take a change for them. */
  pushOnly: ReadonlySet<number>;
}

/** An incremental read: JIRA's changes since a watermark, plus the pairs whose Impact side moved. */
export interface IncrementalRead {
  project: string;
  /** Epoch ms, already less the overlap: explicit UTC, so JIRA's per-user time zone cannot shift it. */
  since: number;
  /** The pair was left in sync and its Impact values still equal its bases. */
  settled(incident: Incident): boolean;
}

export interface ReadOptions {
  incidentIds?: readonly number[] | undefined;
  onProgress?: ((message: string) => void) | undefined;
  incremental?: IncrementalRead | undefined;
  /** Tickets raidsync created, by incident: FireFighter does not know them, so they pair only through the state file. */
  createdLinks?: ReadonlyMap<number, string> | undefined;
}

/** Reads both sides: the incidents, then their tickets in batched searches, never one GET per pair. */
export async function readWorld(impact: ImpactClient, jira: JiraClient, options: ReadOptions = {}): Promise<World> {
  options.onProgress?.('reading FireFighter incidents');
  const ids = options.incidentIds;
  const incidents = await impact.listIncidents(ids && ids.length > 0 ? { idIn: [...ids] } : {});
  const pushOnly = new Set<number>();
  const withCreated = incidents.map((incident) => {
    const created = incident.jiraTicketKey === null ? options.createdLinks?.get(incident.id) : undefined;
    if (created === undefined) return incident;
    pushOnly.add(incident.id);
    return { ...incident, jiraTicketKey: created };
  });
  const wanted = ids ? withCreated.filter((incident) => ids.includes(incident.id)) : withCreated;
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
  const progress = (searched: number, total: number) => options.onProgress?.(`reading JIRA ${count(searched)}/${count(total)}`);
  const incremental = ids === undefined ? options.incremental : undefined;
  let changed: JiraIssue[] = [];
  let toRead = linked;
  if (incremental) {
    options.onProgress?.('reading JIRA changes');
    changed = await jira.search(
      `project = ${incremental.project} AND updated >= ${incremental.since} ORDER BY updated ASC, key ASC`,
      { onPage: (read) => options.onProgress?.(`reading JIRA changes ${count(read)}`) },
    );
    const changedKeys = new Set(changed.map((issue) => issue.key));
    // Neither side moved since the pair was last left in sync: nothing to read, nothing to do.
    toRead = linked.filter((incident) => changedKeys.has(incident.jiraTicketKey as string) || !incremental.settled(incident));
  }
  const known = new Map(changed.map((issue) => [issue.key, issue]));
  const toFetch = toRead.map((incident) => incident.jiraTicketKey as string).filter((key) => !known.has(key));
  options.onProgress?.(`reading JIRA 0/${count(toFetch.length)}`);
  for (const issue of await jira.getIssuesByKeys(toFetch, progress)) known.set(issue.key, issue);
  const pairs: Pair[] = [];
  for (const incident of toRead) {
    const key = incident.jiraTicketKey as string;
    const issue = known.get(key);
    if (issue) pairs.push({ incident, issue });
    else errors.push({ incident: incident.id, issue: key, message: `JIRA has no issue ${key} (deleted, moved, or hidden from raidsync's account)` });
  }
  const updated = [...known.values()].map((issue) => Date.parse(issue.updated)).filter((ms) => Number.isFinite(ms));
  return {
    incidents,
    pairs,
    errors,
    unchanged: linked.length - toRead.length,
    highWater: updated.length > 0 ? Math.max(...updated) : null,
    pushOnly,
  };
}
