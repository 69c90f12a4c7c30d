import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** A named high-water mark, e.g. the `updated` time up to which JIRA was last searched. */
export async function readWatermark(db: Kysely<Database>, name: string): Promise<string | undefined> {
  const row = await db.selectFrom('watermarks').select('value').where('name', '=', name).executeTakeFirst();
  return row?.value;
}

export async function writeWatermark(db: Kysely<Database>, name: string, value: string, updatedAt: Date): Promise<void> {
  const row = { value, updated_at: updatedAt.toISOString() };
  await db
    .insertInto('watermarks')
    .values({ name, ...row })
    .onConflict((conflict) => conflict.column('name').doUpdateSet(row))
    .execute();
}
