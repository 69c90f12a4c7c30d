import { missingKeysIn, type JiraClient, type SearchOptions } from '../jira/client.js';
import type { JiraIssue } from '../jira/issue.js';
import { assertIssueKey } from '../jira/issue-keys.js';
import { jqlString } from '../jira/jql.js';
import { ServiceError } from '../net/errors.js';
import type { WrittenIssue } from '../state/written-issues.js';

// The writes of a run over 50,000 pairs with 2% drifted: some 57 characters each, a 57 KB query in a POST body.
export const MAX_SKIPPED_WRITES = 1_000;

/**
 * JIRA's changes since `since` (epoch ms, explicit UTC), less each issue exactly as raidsync's own write left it:
 * `updated` no later than the write left it is that copy or an older one a lagging index still serves, while anyone's
 * later edit, to the millisecond, still matches. So the run after a writing run does not page through its own writes.
 */
export function changesJql(project: string, since: number, skipped: readonly WrittenIssue[]): string {
  const clauses = [`project = ${jqlString(project)}`, `updated >= ${since}`];
  for (const write of skipped) {
    assertIssueKey(write.issueKey);
    clauses.push(`NOT (key = ${jqlString(write.issueKey)} AND updated <= ${Date.parse(write.leftUpdated)})`);
  }
  return `${clauses.join(' AND ')} ORDER BY updated ASC, key ASC`;
}

/** The writes worth naming: those raidsync left alone on the issue, recent enough to match `updated >= since`, the latest first. */
export function writesToSkip(written: ReadonlyMap<string, WrittenIssue>, since: number): WrittenIssue[] {
  return [...written.values()]
    .filter((write) => write.own && Date.parse(write.leftUpdated) >= since)
    .sort((a, b) => Date.parse(b.leftUpdated) - Date.parse(a.leftUpdated))
    .slice(0, MAX_SKIPPED_WRITES);
}

/**
 * Searches JIRA's changes without raidsync's own writes. A skipped issue JIRA no longer knows is dropped from the query;
 * a JIRA that refuses the query otherwise (a JQL its search does not take) is asked the plain query, which pages the
 * writes too but misses nothing.
 */
export async function searchChanges(
  jira: JiraClient,
  project: string,
  since: number,
  written: ReadonlyMap<string, WrittenIssue>,
  options: SearchOptions,
): Promise<JiraIssue[]> {
  let skipped = writesToSkip(written, since);
  while (skipped.length > 0) {
    try {
      return await jira.search(changesJql(project, since, skipped), options);
    } catch (error) {
      const missing = missingKeysIn(error);
      const known = skipped.filter((write) => !missing.includes(write.issueKey));
      if (known.length < skipped.length) skipped = known;
      else if (error instanceof ServiceError && error.status === 400) break;
      else throw error;
    }
  }
  return jira.search(changesJql(project, since, []), options);
}
