import { sql, type Kysely } from 'kysely';
import { inBatches } from './batches.js';
import { inTransaction } from './in-transaction.js';
import type { Database, PairOrigin } from './schema.js';

/** A stored link between an incident and its JIRA ticket (the `pairs` table). */
export interface Link {
  incidentId: number;
  issueKey: string;
  issueId: string | null;
  /** 'impact' when the incident already named the ticket, 'created' when raidsync created it. */
  origin: PairOrigin;
  linkedAt: Date;
  lastSeenAt: Date;
  /** The last run that read the pair left every field agreed. */
  inSync: boolean;
  /** Digest of the Impact values it was left in sync with (null when not in sync). */
  impactHash: string | null;
  /** Saving: the list element the incident was read in (`<element digest>:<fields digest>`), when it is left settled as read. */
  listedDigest?: string | null;
}

/** A link as stored, with what a run last saw of its incident. */
export interface StoredLink extends Link {
  /** `<list element digest>:<fields digest>` when the pair was last seen settled in that element, else null. */
  listedDigest: string | null;
}

export async function loadPairs(db: Kysely<Database>): Promise<StoredLink[]> {
  const rows = await db.selectFrom('pairs').selectAll().orderBy('incident_id').execute();
  return rows.map((row) => ({
    incidentId: row.incident_id,
    issueKey: row.issue_key,
    issueId: row.issue_id,
    origin: row.origin,
    linkedAt: new Date(row.linked_at),
    lastSeenAt: new Date(row.last_seen_at),
    inSync: row.in_sync === 1,
    impactHash: row.impact_hash,
    listedDigest: row.listed_digest,
  }));
}

/** Inserts new pairs; for known ones updates the issue and last-seen time but keeps when and how they were linked. */
export function savePairs(db: Kysely<Database>, pairs: readonly Link[]): Promise<void> {
  return inTransaction(db, async (trx) => {
    for (const batch of inBatches(pairs)) {
      await trx
        .insertInto('pairs')
        .values(
          batch.map((pair) => ({
            incident_id: pair.incidentId,
            issue_key: pair.issueKey,
            issue_id: pair.issueId,
            origin: pair.origin,
            linked_at: pair.linkedAt.toISOString(),
            last_seen_at: pair.lastSeenAt.toISOString(),
            in_sync: pair.inSync ? (1 as const) : (0 as const),
            impact_hash: pair.impactHash,
            listed_digest: pair.listedDigest ?? null,
          })),
        )
        .onConflict((conflict) =>
          conflict.column('incident_id').doUpdateSet((eb) => ({
            issue_key: eb.ref('excluded.issue_key'),
            issue_id: eb.ref('excluded.issue_id'),
            last_seen_at: eb.ref('excluded.last_seen_at'),
            in_sync: eb.ref('excluded.in_sync'),
            impact_hash: eb.ref('excluded.impact_hash'),
            // A listed digest vouches for the pair only as it was settled: another ticket, hash or sync state voids it.
            listed_digest: sql<string | null>`coalesce(${eb.ref('excluded.listed_digest')}, case when ${eb.ref('pairs.issue_key')} = ${eb.ref('excluded.issue_key')} and ${eb.ref('pairs.in_sync')} = ${eb.ref('excluded.in_sync')} and ${eb.ref('pairs.impact_hash')} = ${eb.ref('excluded.impact_hash')} then ${eb.ref('pairs.listed_digest')} end)`,
          })),
        )
        .execute();
    }
  });
}

/**
 * Remembers, per incident, the list element its settled pair was seen in (`<element digest>:<fields digest>`), so
 * that the next run knows the same bytes unchanged. Only for pairs still as they were read: same ticket, in sync,
 * same Impact hash; savePairs voids the digest when any of those change.
 */
export function rememberListedDigests(db: Kysely<Database>, seen: ReadonlyMap<number, { digest: string; issueKey: string; impactHash: string }>): Promise<void> {
  return inTransaction(db, async (trx) => {
    // One statement per batch: a run right after a cold one remembers every pair.
    for (const batch of inBatches([...seen])) {
      await trx
        .updateTable('pairs')
        .set({ listed_digest: sql<string>`case incident_id ${sql.join(batch.map(([id, { digest }]) => sql`when ${id} then ${digest}`), sql` `)} end` })
        .where('in_sync', '=', 1)
        .where(sql<boolean>`(incident_id, issue_key, impact_hash) in (${sql.join(batch.map(([id, { issueKey, impactHash }]) => sql`(${id}, ${issueKey}, ${impactHash})`))})`)
        .execute();
    }
  });
}

/** Drops a pair and its bases, e.g. when the incident was linked to another ticket. */
export function forgetPair(db: Kysely<Database>, incidentId: number): Promise<void> {
  return inTransaction(db, async (trx) => {
    await trx.deleteFrom('bases').where('incident_id', '=', incidentId).execute();
    await trx.deleteFrom('pairs').where('incident_id', '=', incidentId).execute();
  });
}
