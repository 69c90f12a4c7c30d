import type { Kysely } from 'kysely';
import { inBatches } from './batches.js';
import { inTransaction } from './in-transaction.js';
import { decodeJson, encodeJson, type JsonValue } from './json.js';
import type { Database } from './schema.js';

/** A base as stored: the JSON values both sides had when raidsync last saw a field in sync (the planner's `BaseValues` as text). */
export interface StoredBase {
  impact: JsonValue;
  jira: JsonValue;
}

export interface BaseRecord extends StoredBase {
  incidentId: number;
  field: string;
  recordedAt: Date;
}

/** Every recorded base, by incident id then field. */
export async function loadBases(db: Kysely<Database>): Promise<Map<number, Map<string, StoredBase>>> {
  return byIncident(await db.selectFrom('bases').select(['incident_id', 'field', 'impact_value', 'jira_value']).execute());
}

/** The bases of these incidents only: a run loads those of the slice of pairs it is planning. */
export async function loadBasesFor(db: Kysely<Database>, incidentIds: readonly number[]): Promise<Map<number, Map<string, StoredBase>>> {
  const rows = [];
  for (const batch of inBatches(incidentIds)) {
    rows.push(...(await db.selectFrom('bases').select(['incident_id', 'field', 'impact_value', 'jira_value']).where('incident_id', 'in', batch).execute()));
  }
  return byIncident(rows);
}

function byIncident(rows: ReadonlyArray<{ incident_id: number; field: string; impact_value: string | null; jira_value: string | null }>): Map<number, Map<string, StoredBase>> {
  const bases = new Map<number, Map<string, StoredBase>>();
  for (const row of rows) {
    let fields = bases.get(row.incident_id);
    if (!fields) bases.set(row.incident_id, (fields = new Map()));
    fields.set(row.field, { impact: decodeJson(row.impact_value), jira: decodeJson(row.jira_value) });
  }
  return bases;
}

/** Inserts or replaces bases; pass a transaction to commit them together with a pair's outcomes. */
export function saveBases(db: Kysely<Database>, records: readonly BaseRecord[]): Promise<void> {
  return inTransaction(db, async (trx) => {
    for (const batch of inBatches(records)) {
      await trx
        .insertInto('bases')
        .values(
          batch.map((record) => ({
            incident_id: record.incidentId,
            field: record.field,
            impact_value: encodeJson(record.impact),
            jira_value: encodeJson(record.jira),
            recorded_at: record.recordedAt.toISOString(),
          })),
        )
        .onConflict((conflict) =>
          conflict.columns(['incident_id', 'field']).doUpdateSet((eb) => ({
            impact_value: eb.ref('excluded.impact_value'),
            jira_value: eb.ref('excluded.jira_value'),
            recorded_at: eb.ref('excluded.recorded_at'),
          })),
        )
        .execute();
    }
  });
}
