import { sql, type Kysely } from 'kysely';
import { autoIncrementingKey } from './id-column.js';

// Migrations see the schema as it was when they were written, not today's Database interface.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('pairs')
    .addColumn('incident_id', 'integer', (col) => col.primaryKey())
    .addColumn('issue_key', 'text', (col) => col.notNull())
    .addColumn('issue_id', 'text')
    .addColumn('origin', 'text', (col) => col.notNull().check(sql`origin in ('impact', 'created')`))
    .addColumn('linked_at', 'text', (col) => col.notNull())
    .addColumn('last_seen_at', 'text', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('bases')
    .addColumn('incident_id', 'integer', (col) => col.notNull())
    .addColumn('field', 'text', (col) => col.notNull())
    .addColumn('impact_value', 'text')
    .addColumn('jira_value', 'text')
    .addColumn('recorded_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('bases_pk', ['incident_id', 'field'])
    .execute();

  await db.schema
    .createTable('loop_guards')
    .addColumn('key', 'text', (col) => col.notNull())
    .addColumn('field', 'text', (col) => col.notNull())
    .addColumn('value', 'text')
    .addColumn('written_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('loop_guards_pk', ['key', 'field'])
    .execute();

  await db.schema
    .createTable('runs')
    .addColumn('id', 'integer', autoIncrementingKey(db))
    .addColumn('command', 'text', (col) => col.notNull())
    .addColumn('dry_run', 'integer', (col) => col.notNull().check(sql`dry_run in (0, 1)`))
    .addColumn('started_at', 'text', (col) => col.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('status', 'text', (col) =>
      col.notNull().check(sql`status in ('running', 'finished', 'interrupted', 'crashed')`),
    )
    .addColumn('pairs', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('drift_pairs', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('planned', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('applied', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('skipped', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('conflicts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('blocked', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('failed', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('exit_code', 'integer')
    .addColumn('duration_ms', 'integer')
    .execute();

  await db.schema
    .createTable('run_changes')
    .addColumn('id', 'integer', autoIncrementingKey(db))
    .addColumn('run_id', 'integer', (col) => col.notNull().references('runs.id').onDelete('cascade'))
    .addColumn('incident_id', 'integer', (col) => col.notNull())
    .addColumn('issue_key', 'text', (col) => col.notNull())
    .addColumn('field', 'text', (col) => col.notNull())
    .addColumn('direction', 'text', (col) =>
      col.notNull().check(sql`direction in ('impact_to_jira', 'jira_to_impact')`),
    )
    .addColumn('from_value', 'text')
    .addColumn('to_value', 'text')
    .addColumn('outcome', 'text', (col) =>
      col.notNull().check(sql`outcome in ('planned', 'applied', 'skipped', 'conflict', 'blocked', 'failed')`),
    )
    .addColumn('reason', 'text', (col) => col.notNull())
    .addColumn('category', 'text')
    .addColumn('duration_ms', 'integer')
    .addColumn('at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('run_changes_by_run').on('run_changes').column('run_id').execute();

  await db.schema
    .createTable('run_errors')
    .addColumn('id', 'integer', autoIncrementingKey(db))
    .addColumn('run_id', 'integer', (col) => col.notNull().references('runs.id').onDelete('cascade'))
    .addColumn('incident_id', 'integer')
    .addColumn('issue_key', 'text')
    .addColumn('category', 'text', (col) => col.notNull())
    .addColumn('message', 'text', (col) => col.notNull())
    .addColumn('at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('run_errors_by_run').on('run_errors').column('run_id').execute();

  await db.schema
    .createTable('intents')
    .addColumn('id', 'integer', autoIncrementingKey(db))
    .addColumn('run_id', 'integer', (col) => col.notNull().references('runs.id').onDelete('cascade'))
    .addColumn('incident_id', 'integer', (col) => col.notNull())
    .addColumn('issue_key', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) =>
      col.notNull().check(sql`kind in ('jira_edit', 'jira_transition', 'impact_update', 'jira_create')`),
    )
    .addColumn('payload', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('pending', 'done', 'failed')`))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('intents_by_status').on('intents').column('status').execute();

  await db.schema
    .createTable('lock')
    .addColumn('id', 'integer', (col) => col.primaryKey().check(sql`id = 1`))
    .addColumn('pid', 'integer', (col) => col.notNull())
    .addColumn('host', 'text', (col) => col.notNull())
    .addColumn('started_at', 'text', (col) => col.notNull())
    .addColumn('run_id', 'integer')
    .execute();

  await db.schema
    .createTable('user_cache')
    .addColumn('email', 'text', (col) => col.primaryKey())
    .addColumn('account_id', 'text')
    .addColumn('name', 'text')
    .addColumn('display_name', 'text')
    .addColumn('resolved', 'text', (col) => col.notNull().check(sql`resolved in ('one', 'none', 'many')`))
    .addColumn('expires_at', 'text', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('workflow_edges')
    .addColumn('project', 'text', (col) => col.notNull())
    .addColumn('from_status', 'text', (col) => col.notNull())
    .addColumn('to_status', 'text', (col) => col.notNull())
    .addColumn('transition_id', 'text', (col) => col.notNull())
    .addColumn('transition_name', 'text', (col) => col.notNull())
    .addColumn('learned_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('workflow_edges_pk', ['project', 'from_status', 'transition_id'])
    .execute();

  await db.schema
    .createTable('watermarks')
    .addColumn('name', 'text', (col) => col.primaryKey())
    .addColumn('value', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
}
