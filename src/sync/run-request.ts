import type { Config, ConflictPolicy } from '../config/schema.js';
import type { ImpactClient } from '../impact/client.js';
import type { JiraClient } from '../jira/client.js';
import type { StateDb } from '../state/open.js';
import type { FieldMaps } from './decide/maps/types.js';
import type { SyncCommand } from './decide/plan.js';
import type { PlanFile } from './decide/plan-file.js';
import type { RunObserver } from './events.js';
import type { SyncField } from './fields.js';
import type { RunEnding } from './report.js';

/** What a command asks of a run. */
export interface RunRequest {
  /** `diff` plans what `reconcile` would do and writes nothing. */
  command: SyncCommand | 'diff' | 'apply';
  dryRun: boolean;
  incidentIds?: number[] | undefined;
  fields: SyncField[];
  conflict: ConflictPolicy;
  /** `apply`: the saved plan to replay where its records are still as planned. */
  replay?: PlanFile | undefined;
  /** Also create tickets for incidents that have none (push --create, sync.create). */
  create?: boolean | undefined;
  /** A writing run whose plan holds more changes stops before its first write (--max-changes; else sync.maxChanges; 0: no limit). */
  maxChanges?: number | undefined;
  onProgress?: ((message: string) => void) | undefined;
}

export interface RunDeps {
  config: Config;
  maps: FieldMaps;
  jira: JiraClient;
  impact: ImpactClient;
  state: StateDb;
  owner: { pid: number; host: string };
  now?: () => number;
  /** Aborted by SIGINT/SIGTERM: the write in flight finishes, the rest is reported as not sent, the run as interrupted. */
  interrupt?: AbortSignal | undefined;
  /** Told of every change and error as the run records it (structured logs). */
  observer?: RunObserver | undefined;
  /** The caller's status for how a run ended, recorded with the run in the state file and its events. */
  exitCodeOf: (ending: RunEnding) => number;
}
