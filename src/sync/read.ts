import type { ImpactClient, IncidentRecords } from '../impact/client.js';
import type { Incident } from '../impact/incident.js';
import type { JiraClient } from '../jira/client.js';
import type { JiraIssue } from '../jira/issue.js';
import { ISSUE_KEY_PATTERN } from '../jira/issue-keys.js';
import { searchChanges } from './changes-search.js';
import { aheadOfJira } from './jira-clock.js';
import { thousands } from './thousands.js';
import { soleClaims, type Claimant } from './decide/claims.js';
import type { PairError } from './decide/plan.js';
import type { Pair } from './decide/pair.js';
import type { Link } from '../state/pairs.js';
import type { WrittenIssue } from '../state/written-issues.js';

export interface World {
  /** Every incident read and checked, linked or not. */
  incidents: Incident[];
  /** How many valid incidents FireFighter listed: those read and checked, and those recognised unchanged. */
  listed: number;
  /** Linked incidents whose tickets are to be read: all of them, or on an incremental run those that may have moved. */
  toRead: Incident[];
  /** Tickets the incremental search already brought, by key. */
  known: ReadonlyMap<string, JiraIssue>;
  /** FireFighter-side problems: incidents asked for that do not exist, ticket keys that are not keys. */
  errors: PairError[];
  /** Linked pairs left unread because neither side moved since they were last in sync. */
  unchanged: number;
  /** The latest JIRA `updated` the incremental search read (epoch ms), or null. */
  highWater: number | null;
  /** Incidents paired through `createdLinks` alone: synced push-only, as FireFighter cannot take a change for them. */
  pushOnly: ReadonlySet<number>;
  /** The `updated` raidsync's own writes left, by issue id (Cloud only): how a copy from a lagging index is told apart. */
  written: ReadonlyMap<string, WrittenIssue>;
  /** Settled pairs seen in a list element not remembered yet: for `rememberListedDigests`, so the next run skips it. */
  seenSettled: ReadonlyMap<number, ListedSighting>;
  /** Each checked incident's list element digest, by id (a run over every incident): recorded with pairs left settled. */
  digests: ReadonlyMap<number, string>;
}

/** A slice of the pairs, read on both sides. */
export interface PairChunk {
  pairs: Pair[];
  /** Tickets asked for that JIRA did not return. */
  errors: PairError[];
  /** How many tickets this slice asked JIRA for. */
  asked: number;
  highWater: number | null;
}

/** A settled pair's list element, as `rememberListedDigests` keeps it. */
export interface ListedSighting {
  digest: string;
  issueKey: string;
  impactHash: string;
}

/** An incremental read: JIRA's changes since a watermark, plus the pairs whose Impact side moved. */
export interface IncrementalRead {
  project: string;
  /** The latest JIRA `updated` seen up to the last run (epoch ms). */
  watermark: number;
  /** Epoch ms, already less the overlap: explicit UTC, so JIRA's per-user time zone cannot shift it. */
  since: number;
  /** The pair was left in sync and its Impact values still equal its bases. */
  settled(incident: Incident): boolean;
  /** Settled pairs, by the digest of the list element they were last seen in: those bytes again mean nothing moved. */
  recognisable: ReadonlyMap<string, Link>;
  /** What to remember of a settled incident's list element, or undefined when it is not settled or remembered already. */
  toRemember(incident: Incident, elementDigest: string): ListedSighting | undefined;
}

/** FireFighter's list, being read: it waits for what the run already knows before it decodes a record. */
interface PendingListing {
  records: Promise<IncidentRecords<Link>>;
  /** Lets the list be read, skipping the elements `known` names (undefined: read and check every one). */
  read(known: ReadonlyMap<string, Link> | undefined): void;
  /** The run stops before the list is read: the request is let go, not read for nothing. */
  abandon(): void;
}

/** Starts reading FireFighter's list. A failure is kept for `readWorld` to throw, never left unheard. */
function startListing(impact: ImpactClient, incidentIds: readonly number[] | undefined): PendingListing {
  let read!: PendingListing['read'];
  let abandon!: PendingListing['abandon'];
  const known = new Promise<ReadonlyMap<string, Link> | undefined>((resolve, reject) => {
    read = resolve;
    abandon = () => reject(new Error('the run stopped before reading the list'));
  });
  const records = impact.listIncidentRecords(incidentIds && incidentIds.length > 0 ? { idIn: [...incidentIds] } : {}, known);
  records.catch(() => undefined);
  return { records, read, abandon };
}

export interface ReadOptions {
  incidentIds?: readonly number[] | undefined;
  onProgress?: ((message: string) => void) | undefined;
  incremental?: IncrementalRead | undefined;
  /** Tickets raidsync created, by incident: FireFighter does not know them, so they pair only through the state file. */
  createdLinks?: ReadonlyMap<number, string> | undefined;
  /** The `updated` raidsync's own writes left, by issue id. */
  written?: ReadonlyMap<string, WrittenIssue> | undefined;
}

/**
 * Reads FireFighter's side whole (one request), and on an incremental run JIRA's changes: what the pairs need.
 * JIRA's changes come first (the list's body waits meanwhile): a list element the same as when its pair was last
 * settled, whose ticket did not change either, is then neither decoded nor checked.
 */
export async function readWorld(impact: ImpactClient, jira: JiraClient, options: ReadOptions = {}): Promise<World> {
  const ids = options.incidentIds;
  const incremental = ids === undefined ? options.incremental : undefined;
  options.onProgress?.(incremental ? 'reading FireFighter incidents and JIRA changes' : 'reading FireFighter incidents');
  const written = options.written ?? new Map<string, WrittenIssue>();
  const invalidKeys: string[] = [];
  const search = incremental
    ? searchChanges(jira, incremental.project, incremental.since, written, {
        onPage: (read) => options.onProgress?.(`reading JIRA changes ${thousands(read)}`),
        onInvalid: (record) => record.key && invalidKeys.push(record.key),
      })
    : undefined;
  search?.catch(() => undefined);
  // The search is on the wire first: it is small, and the list's elements wait for its answer.
  if (search) await new Promise(setImmediate);
  const listing = startListing(impact, ids);
  let changed: JiraIssue[] = [];
  let changedKeys = new Set<string>();
  let stepped = false;
  if (incremental && search) {
    try {
      const searched = await search;
      // A copy older than raidsync's own write is the lagging index's: it says nothing of JIRA now.
      changed = searched.filter((issue) => freshness(issue, written) !== 'stale');
      // An invalid changed issue is read again with its pair, which then fails with the field named; an issue as raidsync's own write left it has not changed.
      changedKeys = new Set([...changed.filter((issue) => freshness(issue, written) === 'changed').map((issue) => issue.key), ...invalidKeys]);
      // JIRA's clock stepped back behind the watermark or a write's `updated`: edits since may be outside the window or
      // look like that write, so every pair is read.
      const jiraNow = jira.serverNow();
      stepped = aheadOfJira(incremental.watermark, jiraNow) || [...written.values()].some((write) => aheadOfJira(Date.parse(write.leftUpdated), jiraNow));
    } catch (error) {
      listing.abandon();
      throw error;
    }
  }
  // An empty map still has every element's digest computed: pairs left settled remember theirs for the next run.
  const recognisable = new Map(incremental && !stepped ? [...incremental.recognisable].filter(([, pair]) => !changedKeys.has(pair.issueKey)) : []);
  listing.read(ids === undefined ? recognisable : undefined);
  const { incidents, invalid, recognised, digests } = await listing.records;
  const pushOnly = new Set<number>();
  const withCreated = incidents.map((incident) => {
    const created = incident.jiraTicketKey === null ? options.createdLinks?.get(incident.id) : undefined;
    if (created === undefined) return incident;
    pushOnly.add(incident.id);
    return { ...incident, jiraTicketKey: created };
  });
  // Recognised incidents still claim their tickets: another incident naming the same one fails both.
  const claims = soleClaims<Incident | Claimant>([...withCreated, ...recognised.map((pair) => ({ id: pair.incidentId, jiraTicketKey: pair.issueKey }))]);
  const wanted = ids ? claims.sole.filter((incident) => ids.includes(incident.id)) : claims.sole;
  // An invalid record fails its own pair; the others sync.
  const errors: PairError[] = invalid
    .filter((record) => !ids || (record.id !== null && ids.includes(record.id)))
    .map((record) => ({ incident: record.id ?? 0, issue: record.jiraTicketKey ?? '', message: record.error.message, category: 'validation' as const }));
  errors.push(...claims.errors.filter((error) => !ids || ids.includes(error.incident)));
  for (const id of ids ?? []) {
    if (!incidents.some((incident) => incident.id === id) && !invalid.some((record) => record.id === id)) {
      errors.push({ incident: id, issue: '', message: `FireFighter has no incident ${id}` });
    }
  }
  const linked: Incident[] = [];
  let recognisedLinked = 0;
  for (const incident of wanted) {
    const key = incident.jiraTicketKey;
    if (key === null) continue;
    if (!isIncident(incident)) recognisedLinked += 1;
    else if (ISSUE_KEY_PATTERN.test(key)) linked.push(incident);
    else errors.push({ incident: incident.id, issue: key, message: `jira_ticket_key "${key}" is not a JIRA issue key`, category: 'validation' });
  }
  // Neither side moved since the pair was last left in sync: nothing to read, nothing to do.
  const toRead = incremental && !stepped ? linked.filter((incident) => changedKeys.has(incident.jiraTicketKey as string) || !incremental.settled(incident)) : linked;
  const seenSettled = new Map<number, ListedSighting>();
  for (const incident of incremental ? linked : []) {
    const digest = digests.get(incident.id);
    // A created ticket's pair (push-only) is never remembered: toRemember knows it by its origin.
    const sighting = digest === undefined ? undefined : incremental?.toRemember(incident, digest);
    if (sighting) seenSettled.set(incident.id, sighting);
  }
  return {
    incidents,
    listed: incidents.length + recognised.length,
    toRead,
    known: new Map(changed.map((issue) => [issue.key, issue])),
    errors,
    unchanged: linked.length + recognisedLinked - toRead.length,
    highWater: latestUpdate(changed),
    pushOnly,
    written,
    seenSettled,
    digests,
  };
}

function isIncident(claimant: Incident | Claimant): claimant is Incident {
  return 'title' in claimant;
}

/**
 * The pairs to read, `size` at a time, their tickets fetched in batched searches (never one GET per pair):
 * a run holds one slice of tickets and plans at once, not every one of tens of thousands. The next slice's
 * searches are in flight while the caller decides the one it was given: JIRA's latency hides behind that work.
 */
export async function* readPairs(
  jira: JiraClient,
  world: World,
  size: number,
  onProgress?: (message: string) => void,
): AsyncGenerator<PairChunk> {
  const total = world.toRead.length;
  let done = 0;
  const readSlice = async (start: number): Promise<PairChunk> => {
    const slice = world.toRead.slice(start, start + size);
    const found = new Map<string, JiraIssue>();
    const toFetch: string[] = [];
    for (const incident of slice) {
      const key = incident.jiraTicketKey as string;
      const issue = world.known.get(key);
      if (issue) found.set(key, issue);
      else toFetch.push(key);
    }
    const invalid = new Map<string, string>();
    const fetched = await jira.getIssuesByKeys(
      toFetch,
      (searched) => onProgress?.(`reading JIRA ${thousands(done + searched)}/${thousands(total)}`),
      (record) => record.key !== null && invalid.set(record.key, record.error.message),
    );
    for (const issue of fetched) found.set(issue.key, issue);
    // Cloud's index served some as they were before raidsync's write: read those again from JIRA's database.
    const stale = fetched.filter((issue) => freshness(issue, world.written) === 'stale');
    if (stale.length > 0) {
      const again = await jira.getIssuesByKeys(stale.map((issue) => issue.key), undefined, (record) => record.key !== null && invalid.set(record.key, record.error.message), new Map(stale.map((issue) => [issue.key, issue.id])));
      for (const issue of again) found.set(issue.key, issue);
    }
    done += slice.length;
    const pairs: Pair[] = [];
    const errors: PairError[] = [];
    for (const incident of slice) {
      const key = incident.jiraTicketKey as string;
      const issue = found.get(key);
      const problem = invalid.get(key);
      if (issue) pairs.push({ incident, issue });
      else if (problem !== undefined) errors.push({ incident: incident.id, issue: key, message: problem, category: 'validation' });
      else errors.push({ incident: incident.id, issue: key, message: `JIRA has no issue ${key} (deleted, moved, or hidden from raidsync's account)` });
    }
    return { pairs, errors, asked: slice.length, highWater: latestUpdate(found.values()) };
  };
  let next = total > 0 ? readSlice(0) : undefined;
  for (let start = 0; next !== undefined; start += size) {
    // The next slice is asked for once this one is read: one slice's searches in flight at a time.
    const chunk = await next;
    next = start + size < total ? readSlice(start + size) : undefined;
    // A caller that stops early never awaits the slice read ahead: its failure must not surface as unhandled.
    next?.catch(() => undefined);
    yield chunk;
  }
}

/**
 * How a copy of an issue stands against raidsync's last write to it: older than the write (a lagging index's copy),
 * as the write left it and nobody else since, or changed. Data Center's reads are consistent: no write is recorded there.
 */
function freshness(issue: JiraIssue, written: ReadonlyMap<string, WrittenIssue>): 'stale' | 'own' | 'changed' {
  const write = written.get(issue.id);
  if (!write) return 'changed';
  const copy = Date.parse(issue.updated);
  const left = Date.parse(write.leftUpdated);
  if (copy < left) return 'stale';
  return copy === left && write.own ? 'own' : 'changed';
}

/** The latest `updated` among these issues, as epoch ms. */
export function latestUpdate(issues: Iterable<JiraIssue>): number | null {
  let latest: number | null = null;
  for (const issue of issues) {
    const ms = Date.parse(issue.updated);
    if (Number.isFinite(ms) && (latest === null || ms > latest)) latest = ms;
  }
  return latest;
}
