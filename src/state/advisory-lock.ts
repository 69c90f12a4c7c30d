import { sql } from 'kysely';

/*
 * PostgreSQL advisory lock keys (two int4 halves), one pair per schema so that two teams' states in one
 * database do not block each other. The search_path names the schema before the schema itself exists.
 */
const RAIDSYNC_KEY_SPACE = 0x5241_4900; // "RAI\0": keeps clear of other applications' advisory keys

/** Held for a moment by a migration or a lock change. */
export const serializationKey = sql`${sql.lit(RAIDSYNC_KEY_SPACE)}, hashtext(current_setting('search_path'))`;

const RUN_LOCK_CLASS = RAIDSYNC_KEY_SPACE + 1;

/** Held by a writing run for as long as its session lives: the run lock. */
export const runLockKey = sql`${sql.lit(RUN_LOCK_CLASS)}, hashtext(current_setting('search_path'))`;

/** Whether any session holds the run lock (pg_locks shows a two-int4 key as classid, objid, objsubid 2). */
export const runLockHeld = sql<{ held: boolean }>`select exists (
  select 1 from pg_locks where locktype = 'advisory' and granted and objsubid = 2
    and classid = ${sql.lit(RUN_LOCK_CLASS)}::oid and objid = hashtext(current_setting('search_path'))::oid
) as held`;
