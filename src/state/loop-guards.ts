import type { Kysely } from 'kysely';
import { inBatches } from './batches.js';
import { inTransaction } from './in-transaction.js';
import { decodeJson, encodeJson, type JsonValue } from './json.js';
import type { Database, SyncDirection } from './schema.js';

/** A write raidsync made: for a while, a different value read back for the field is its own echo. */
export interface LoopGuard {
  key: string;
  field: string;
  value: JsonValue;
  writtenAt: Date;
}

export type GuardedWrite = Pick<LoopGuard, 'value' | 'writtenAt'>;

/** The contract's key format, e.g. `sync:incident:42:impact_to_jira`. */
export function loopGuardKey(entityType: string, entityId: string | number, direction: SyncDirection): string {
  return `sync:${entityType}:${entityId}:${direction}`;
}

/** Every recorded write, by key then field. */
export async function loadLoopGuards(db: Kysely<Database>): Promise<Map<string, Map<string, GuardedWrite>>> {
  const rows = await db.selectFrom('loop_guards').selectAll().execute();
  const guards = new Map<string, Map<string, GuardedWrite>>();
  for (const row of rows) {
    let fields = guards.get(row.key);
    if (!fields) guards.set(row.key, (fields = new Map()));
    fields.set(row.field, { value: decodeJson(row.value), writtenAt: new Date(row.written_at) });
  }
  return guards;
}

/** Records writes, replacing any earlier record of the same key and field. */
export function recordLoopGuards(db: Kysely<Database>, guards: readonly LoopGuard[]): Promise<void> {
  return inTransaction(db, async (trx) => {
    for (const batch of inBatches(guards)) {
      await trx
        .insertInto('loop_guards')
        .values(
          batch.map((guard) => ({
            key: guard.key,
            field: guard.field,
            value: encodeJson(guard.value),
            written_at: guard.writtenAt.toISOString(),
          })),
        )
        .onConflict((conflict) =>
          conflict.columns(['key', 'field']).doUpdateSet((eb) => ({
            value: eb.ref('excluded.value'),
            written_at: eb.ref('excluded.written_at'),
          })),
        )
        .execute();
    }
  });
}

/** Deletes guards written more than `olderThanSeconds` before `now`, or after it (the clock was set back); returns how many. */
export async function pruneLoopGuards(
  db: Kysely<Database>,
  options: { olderThanSeconds: number; now: Date },
): Promise<number> {
  const cutoff = new Date(options.now.getTime() - options.olderThanSeconds * 1000).toISOString();
  const future = options.now.toISOString();
  const result = await db
    .deleteFrom('loop_guards')
    .where((eb) => eb.or([eb('written_at', '<', cutoff), eb('written_at', '>', future)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
