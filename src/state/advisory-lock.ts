import { sql } from 'kysely';

/*
 * PostgreSQL advisory lock keys (two int4 halves), one pair per schema so that two teams' states in one
 * database do not block each other. The search_path names the schema before the schema itself exists.
 */
const RAIDSYNC_KEY_SPACE = 0x5241_4900; // "RAI\0": keeps clear of other applications' advisory keys

/** Held for a moment by a migration or a lock change. */
export const serializationKey = sql`${sql.lit(RAIDSYNC_KEY_SPACE)}, hashtext(current_setting('search_path'))`;

/** Held by a writing run for as long as its session lives: the run lock. */
export const runLockKey = sql`${sql.lit(RAIDSYNC_KEY_SPACE + 1)}, hashtext(current_setting('search_path'))`;
