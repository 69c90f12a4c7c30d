import type { Kysely } from 'kysely';
import type { JsonValue } from './json.js';
import type { Database, IntentKind } from './schema.js';

/** A write about to be sent, journaled first so that a crash mid-write leaves it visible as pending. */
export interface Intent {
  runId: number;
  incidentId: number;
  issueKey: string;
  kind: IntentKind;
  payload: { [key: string]: JsonValue };
  createdAt: Date;
}

export interface PendingIntent extends Intent {
  id: number;
}

/** Journals a write as pending; returns its id for completeIntent / failIntent. */
export async function beginIntent(db: Kysely<Database>, intent: Intent): Promise<number> {
  const { id } = await db
    .insertInto('intents')
    .values({
      run_id: intent.runId,
      incident_id: intent.incidentId,
      issue_key: intent.issueKey,
      kind: intent.kind,
      payload: JSON.stringify(intent.payload),
      status: 'pending',
      created_at: intent.createdAt.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export function completeIntent(db: Kysely<Database>, id: number, finishedAt: Date): Promise<void> {
  return settleIntent(db, id, 'done', finishedAt);
}

export function failIntent(db: Kysely<Database>, id: number, finishedAt: Date): Promise<void> {
  return settleIntent(db, id, 'failed', finishedAt);
}

/** Writes that were begun but never settled: a crash interrupted them, so their outcome is unknown. */
export async function pendingIntents(db: Kysely<Database>): Promise<PendingIntent[]> {
  const rows = await db.selectFrom('intents').selectAll().where('status', '=', 'pending').orderBy('id').execute();
  return rows.map((row) => ({
    id: row.id,
    runId: row.run_id,
    incidentId: row.incident_id,
    issueKey: row.issue_key,
    kind: row.kind,
    payload: JSON.parse(row.payload) as PendingIntent['payload'],
    createdAt: new Date(row.created_at),
  }));
}

async function settleIntent(db: Kysely<Database>, id: number, status: 'done' | 'failed', finishedAt: Date): Promise<void> {
  await db
    .updateTable('intents')
    .set({ status, finished_at: finishedAt.toISOString() })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute();
}
