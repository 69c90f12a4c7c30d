import type { Kysely } from 'kysely';
import { inBatches } from './batches.js';
import type { Database } from './schema.js';

/** The `updated` a raidsync write left on a JIRA issue, and whether the issue then held only what raidsync left. */
export interface WrittenIssue {
  issueId: string;
  issueKey: string;
  /** JIRA's `updated` as read back from its database right after the write. */
  leftUpdated: string;
  own: boolean;
  writtenAt: Date;
}

export async function loadWrittenIssues(db: Kysely<Database>): Promise<WrittenIssue[]> {
  const rows = await db.selectFrom('written_issues').selectAll().execute();
  return rows.map((row) => ({ issueId: row.issue_id, issueKey: row.issue_key, leftUpdated: row.left_updated, own: row.own === 1, writtenAt: new Date(row.written_at) }));
}

export async function saveWrittenIssues(db: Kysely<Database>, issues: readonly WrittenIssue[]): Promise<void> {
  for (const batch of inBatches(issues)) {
    const rows = batch.map((issue) => ({ issue_id: issue.issueId, issue_key: issue.issueKey, left_updated: issue.leftUpdated, own: issue.own ? (1 as const) : (0 as const), written_at: issue.writtenAt.toISOString() }));
    await db
      .insertInto('written_issues')
      .values(rows)
      .onConflict((conflict) =>
        conflict.column('issue_id').doUpdateSet((eb) => ({
          issue_key: eb.ref('excluded.issue_key'),
          left_updated: eb.ref('excluded.left_updated'),
          own: eb.ref('excluded.own'),
          written_at: eb.ref('excluded.written_at'),
        })),
      )
      .execute();
  }
}

/** Rows written before `before`: far longer ago than any index lag, so no stale copy of the issue can come back. */
export async function pruneWrittenIssues(db: Kysely<Database>, before: Date): Promise<void> {
  await db.deleteFrom('written_issues').where('written_at', '<', before.toISOString()).execute();
}

/** Forgets these issues' rows: their `updated` is ahead of JIRA's clock, which stepped back, so they would hide edits made since. */
export async function forgetWrittenIssues(db: Kysely<Database>, issueIds: readonly string[]): Promise<void> {
  for (const batch of inBatches(issueIds)) await db.deleteFrom('written_issues').where('issue_id', 'in', batch).execute();
}
