import type { Kysely } from 'kysely';
import type { JiraClient } from '../../jira/client.js';
import type { JiraIssue } from '../../jira/issue.js';
import type { Database } from '../../state/schema.js';
import { saveWrittenIssues, type WrittenIssue } from '../../state/written-issues.js';
import { FIELD_ADAPTERS } from '../decide/field-adapters.js';
import type { FieldMaps } from '../decide/maps/types.js';
import { pairContext, type Pair } from '../decide/pair.js';
import type { FieldChange } from '../decide/plan.js';
import { SYNC_FIELDS } from '../fields.js';

/** A pair and its applied or attempted changes, as the write phase left them. */
export interface WrittenPair {
  pair: Pair;
  changes: readonly FieldChange[];
}

/**
 * Cloud only: reads back from JIRA's database (`reconcileIssues`, 50 issues a search) the issues this slice wrote, and
 * records the `updated` each write left, so the next runs neither take a lagging index's older copy for a change
 * nor re-read the issue because raidsync itself changed it. Data Center's search is consistent: nothing to record.
 * The read-back is a safeguard, never the write: if it fails, the writes stand and loop guards still hold.
 */
export async function recordReadAfterWrite(
  jira: JiraClient,
  deployment: 'cloud' | 'datacenter',
  db: Kysely<Database>,
  maps: FieldMaps,
  written: readonly WrittenPair[],
  at: Date,
): Promise<void> {
  if (deployment !== 'cloud') return;
  const sent = written.filter(({ changes }) => changes.some((change) => change.direction === 'impact_to_jira' && (change.outcome === 'applied' || change.outcome === 'failed')));
  if (sent.length === 0) return;
  let copies: JiraIssue[];
  try {
    copies = await jira.getIssuesByKeys(sent.map(({ pair }) => pair.issue.key), undefined, undefined, new Map(sent.map(({ pair }) => [pair.issue.key, pair.issue.id])));
  } catch {
    return;
  }
  const byKey = new Map(copies.map((copy) => [copy.key, copy]));
  const rows: WrittenIssue[] = sent.flatMap(({ pair, changes }) => {
    const copy = byKey.get(pair.issue.key);
    if (!copy) return [];
    return [{ issueId: copy.id, issueKey: copy.key, leftUpdated: copy.updated, own: leftAsWritten(pair, copy, changes, maps), writtenAt: at }];
  });
  await saveWrittenIssues(db, rows);
}

/** Whether the issue read back holds, on every synced field, what raidsync read before plus what it applied: nobody else edited in between. */
export function leftAsWritten(before: Pair, after: JiraIssue, changes: readonly FieldChange[], maps: FieldMaps): boolean {
  const applied = new Map(changes.filter((change) => change.direction === 'impact_to_jira' && change.outcome === 'applied').map((change) => [change.field, change.target]));
  const was = pairContext(before, maps);
  const now = pairContext({ incident: before.incident, issue: after }, maps);
  return SYNC_FIELDS.every((field) => {
    const adapter = FIELD_ADAPTERS[field];
    const expected = applied.has(field) ? applied.get(field) : adapter.jiraValue(was);
    return adapter.jiraValue(now) === expected;
  });
}
