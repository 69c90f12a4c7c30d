import type { Kysely } from 'kysely';
import type { Incident } from '../impact/incident.js';
import { hash } from 'node:crypto';
import type { Link, StoredLink } from '../state/pairs.js';
import type { Database } from '../state/schema.js';
import { readWatermark, writeWatermark } from '../state/watermarks.js';
import { forgetWrittenIssues, loadWrittenIssues, pruneWrittenIssues, type WrittenIssue } from '../state/written-issues.js';
import type { SyncField } from './fields.js';
import { impactHash } from './decide/impact-hash.js';
import { aheadOfJira } from './jira-clock.js';
import type { IncrementalRead } from './read.js';

// Far beyond the seconds to minutes Cloud's search index lags by: a write older than this can no longer be served stale.
const INDEX_LAG_HORIZON_MS = 24 * 3600 * 1000;

const updatedMark = (project: string) => `jira.updated:${project}`;
const fullReadMark = (project: string) => `jira.full_read_at:${project}`;

export interface IncrementalSettings {
  project: string;
  fields: readonly SyncField[];
  overlapMs: number;
  fullReadMs: number;
  now: number;
}

/**
 * How this run may read incrementally, or undefined for a full read: no watermark yet, or the last full read
 * is older than `fullReadMs` (which also catches deleted tickets and anything an index lag hid for too long).
 */
export async function planIncrementalRead(
  db: Kysely<Database>,
  settings: IncrementalSettings,
  pairs: readonly StoredLink[],
): Promise<IncrementalRead | undefined> {
  const [updated, fullRead] = await Promise.all([readWatermark(db, updatedMark(settings.project)), readWatermark(db, fullReadMark(settings.project))]);
  if (updated === undefined || fullRead === undefined) return undefined;
  if (settings.now - Date.parse(fullRead) >= settings.fullReadMs) return undefined;
  // The digest of the Impact values each pair was left in sync with: no base needs loading to tell it moved.
  const left = new Map(pairs.filter((pair) => pair.inSync && pair.impactHash !== null).map((pair) => [pair.incidentId, pair]));
  const settled = (incident: Incident) => {
    const pair = left.get(incident.id);
    return pair !== undefined && pair.issueKey === incident.jiraTicketKey && pair.impactHash === impactHash(incident, settings.fields);
  };
  // A digest learnt over other fields says nothing of these: its pair may not be settled over them.
  const over = listedDigest('', settings.fields);
  const recognisable = new Map<string, Link>();
  for (const pair of left.values()) {
    // FireFighter does not name a created ticket: such a pair is paired through the state file, so is read each time.
    if (pair.origin === 'impact' && pair.listedDigest?.endsWith(over)) recognisable.set(pair.listedDigest.slice(0, -over.length), pair);
  }
  return {
    project: settings.project,
    watermark: Date.parse(updated),
    since: Date.parse(updated) - settings.overlapMs,
    settled,
    recognisable,
    toRemember: (incident, elementDigest) => {
      const pair = left.get(incident.id);
      if (pair === undefined || pair.origin !== 'impact' || pair.listedDigest === elementDigest + over || !settled(incident)) return undefined;
      return { digest: elementDigest + over, issueKey: pair.issueKey, impactHash: pair.impactHash as string };
    },
  };
}

/** How a pair remembers the list element it was settled in: that element's digest, and the fields it was settled over. */
export function listedDigest(elementDigest: string, fields: readonly SyncField[]): string {
  return `${elementDigest}:${hash('sha256', fields.join(','), 'base64url').slice(0, 8)}`;
}

/**
 * After a run that covered every pair and field: JIRA's changes up to `highWater` are seen. Never later than JIRA's
 * clock (`jiraNow`): once that clock stepped back, a watermark ahead of it would start every window after the edits.
 */
export async function advanceWatermarks(
  db: Kysely<Database>,
  project: string,
  highWater: number | null,
  jiraNow: number | null,
  fullRead: boolean,
  now: Date,
): Promise<void> {
  const previous = await readWatermark(db, updatedMark(project));
  const seen = Math.max(highWater ?? 0, previous === undefined ? 0 : Date.parse(previous));
  const mark = jiraNow !== null && aheadOfJira(seen, jiraNow) ? jiraNow : seen;
  if (mark > 0 && (previous === undefined || mark !== Date.parse(previous))) {
    await writeWatermark(db, updatedMark(project), new Date(mark).toISOString(), now);
  }
  if (fullRead) await writeWatermark(db, fullReadMark(project), now.toISOString(), now);
}

/**
 * Forgets the writes, of those the run began with, whose `updated` is ahead of JIRA's clock (it stepped back): each
 * would hide, as that write's, every edit of its issue until the clock caught up. This run's own writes were read back
 * on JIRA's clock as it is.
 */
export async function forgetWritesAheadOfJira(db: Kysely<Database>, written: ReadonlyMap<string, WrittenIssue>, jiraNow: number | null): Promise<void> {
  const ahead = [...written.values()].filter((write) => aheadOfJira(Date.parse(write.leftUpdated), jiraNow));
  await forgetWrittenIssues(db, ahead.map((write) => write.issueId));
}

/** The `updated` raidsync's own JIRA writes left, by issue id; a writing run first forgets those past any index lag. */
export async function ownWrites(db: Kysely<Database>, now: Date, prune: boolean): Promise<Map<string, WrittenIssue>> {
  if (prune) await pruneWrittenIssues(db, new Date(now.getTime() - INDEX_LAG_HORIZON_MS));
  return new Map((await loadWrittenIssues(db)).map((write) => [write.issueId, write]));
}
