import type { Generated } from 'kysely';
import type { ErrorCategory } from '../net/errors.js';

/*
 * The state file's tables as kysely sees them, so a query naming a missing column does not compile.
 * Timestamps are ISO-8601 UTC strings (Date#toISOString): they compare and sort correctly as text.
 * JSON columns hold JSON text, with SQL NULL standing for JSON null (see json.ts).
 */

export type PairOrigin = 'impact' | 'created';
export type RunStatus = 'running' | 'finished' | 'interrupted' | 'crashed';
export type SyncDirection = 'impact_to_jira' | 'jira_to_impact';
export type ChangeOutcome = 'planned' | 'applied' | 'skipped' | 'conflict' | 'blocked' | 'failed';
export type IntentKind = 'jira_edit' | 'jira_transition' | 'impact_update' | 'jira_create';
export type IntentStatus = 'pending' | 'done' | 'failed';
/** How many JIRA users an email matched. */
export type UserResolution = 'one' | 'none' | 'many';

export interface Database {
  pairs: PairsTable;
  bases: BasesTable;
  loop_guards: LoopGuardsTable;
  runs: RunsTable;
  run_changes: RunChangesTable;
  run_errors: RunErrorsTable;
  intents: IntentsTable;
  lock: LockTable;
  user_cache: UserCacheTable;
  workflow_edges: WorkflowEdgesTable;
  status_paths: StatusPathsTable;
  watermarks: WatermarksTable;
  written_issues: WrittenIssuesTable;
}

export interface PairsTable {
  incident_id: number;
  issue_key: string;
  issue_id: string | null;
  origin: PairOrigin;
  linked_at: string;
  last_seen_at: string;
  /** 1 when the last run that read the pair left every field agreed. */
  in_sync: 0 | 1;
  /** Digest of the Impact values it was left in sync with. */
  impact_hash: string | null;
  /** `<element SHA-256>.<element length>:<fields digest>`: the FireFighter list element the pair was last seen settled in (see pairs.ts). */
  listed_digest: string | null;
}

/** The values both sides had when raidsync last saw the field in sync. */
export interface BasesTable {
  incident_id: number;
  field: string;
  impact_value: string | null;
  jira_value: string | null;
  recorded_at: string;
}

export interface LoopGuardsTable {
  /** `sync:{entity_type}:{entity_id}:{direction}` */
  key: string;
  field: string;
  value: string | null;
  written_at: string;
}

export interface RunsTable {
  id: Generated<number>;
  command: string;
  dry_run: 0 | 1;
  started_at: string;
  finished_at: string | null;
  status: RunStatus;
  pairs: Generated<number>;
  drift_pairs: Generated<number>;
  planned: Generated<number>;
  applied: Generated<number>;
  skipped: Generated<number>;
  conflicts: Generated<number>;
  blocked: Generated<number>;
  failed: Generated<number>;
  exit_code: number | null;
  duration_ms: number | null;
}

export interface RunChangesTable {
  id: Generated<number>;
  run_id: number;
  incident_id: number;
  issue_key: string;
  field: string;
  direction: SyncDirection;
  from_value: string | null;
  to_value: string | null;
  outcome: ChangeOutcome;
  reason: string;
  category: ErrorCategory | null;
  duration_ms: number | null;
  at: string;
}

export interface RunErrorsTable {
  id: Generated<number>;
  run_id: number;
  incident_id: number | null;
  issue_key: string | null;
  category: ErrorCategory;
  message: string;
  at: string;
}

/** Write-ahead journal: a write is recorded before it is sent, so a crash leaves it visible as pending. */
export interface IntentsTable {
  id: Generated<number>;
  run_id: number;
  incident_id: number;
  issue_key: string;
  kind: IntentKind;
  payload: string;
  status: IntentStatus;
  created_at: string;
  finished_at: string | null;
}

/** At most one row (id = 1): the process running a command against this state file. */
export interface LockTable {
  id: 1;
  pid: number;
  host: string;
  started_at: string;
  run_id: number | null;
}

export interface UserCacheTable {
  email: string;
  account_id: string | null;
  name: string | null;
  display_name: string | null;
  resolved: UserResolution;
  expires_at: string;
}

export interface WorkflowEdgesTable {
  project: string;
  from_status: string;
  to_status: string;
  transition_id: string;
  transition_name: string;
  learned_at: string;
  /** JSON array of the screen's required field ids; null while the screen has not been seen. */
  required_fields: string | null;
}

/** A status path raidsync began and has not finished: the statuses along it, start to target (JSON array). */
export interface StatusPathsTable {
  incident_id: number;
  issue_key: string;
  target: string;
  statuses: string;
  started_at: string;
}

export interface WatermarksTable {
  name: string;
  value: string;
  updated_at: string;
}

/** A JIRA issue raidsync wrote and the `updated` it read back from JIRA's database after the write. */
export interface WrittenIssuesTable {
  issue_id: string;
  issue_key: string;
  left_updated: string;
  /** 1 when the read-back showed every synced field as raidsync left it (nobody else edited in between). */
  own: 0 | 1;
  written_at: string;
}
