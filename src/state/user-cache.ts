import type { Kysely } from 'kysely';
import { inBatches } from './batches.js';
import { inTransaction } from './in-transaction.js';
import type { Database, UserResolution } from './schema.js';

/** What a JIRA user search found for an email, cached until `expiresAt`. */
export interface CachedUser {
  email: string;
  /** Cloud identifies users by accountId, Data Center by name. */
  accountId: string | null;
  name: string | null;
  displayName: string | null;
  resolved: UserResolution;
  expiresAt: Date;
}

/** Cached lookups still valid at `now`, by email. */
export async function loadUserCache(db: Kysely<Database>, now: Date): Promise<Map<string, CachedUser>> {
  const rows = await db.selectFrom('user_cache').selectAll().where('expires_at', '>', now.toISOString()).execute();
  return new Map(
    rows.map((row) => [
      row.email,
      {
        email: row.email,
        accountId: row.account_id,
        name: row.name,
        displayName: row.display_name,
        resolved: row.resolved,
        expiresAt: new Date(row.expires_at),
      },
    ]),
  );
}

export function cacheUsers(db: Kysely<Database>, users: readonly CachedUser[]): Promise<void> {
  return inTransaction(db, async (trx) => {
    for (const batch of inBatches(users)) {
      await trx
        .insertInto('user_cache')
        .values(
          batch.map((user) => ({
            email: user.email,
            account_id: user.accountId,
            name: user.name,
            display_name: user.displayName,
            resolved: user.resolved,
            expires_at: user.expiresAt.toISOString(),
          })),
        )
        .onConflict((conflict) =>
          conflict.column('email').doUpdateSet((eb) => ({
            account_id: eb.ref('excluded.account_id'),
            name: eb.ref('excluded.name'),
            display_name: eb.ref('excluded.display_name'),
            resolved: eb.ref('excluded.resolved'),
            expires_at: eb.ref('excluded.expires_at'),
          })),
        )
        .execute();
    }
  });
}
