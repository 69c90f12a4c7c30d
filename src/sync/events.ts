import type { ErrorCategory } from '../net/errors.js';
import type { RunCounts } from '../state/runs.js';
import type { Direction, FieldChange, Outcome, PairError } from './decide/plan.js';

/** What happened during a run, as it happened: for structured logs, never printed by the engine itself. */
export type RunEvent =
  | { type: 'run_started'; at: Date; runId: number; command: string; dryRun: boolean }
  | {
      type: 'change';
      at: Date;
      runId: number;
      incident: number;
      issue: string;
      field: string;
      direction: Direction;
      outcome: Outcome;
      reason: string;
      category: ErrorCategory | null;
      durationMs: number | null;
    }
  | { type: 'pair_error'; at: Date; runId: number; incident: number; issue: string; category: ErrorCategory; message: string }
  | { type: 'run_finished'; at: Date; runId: number; exitCode: number; durationMs: number; counts: RunCounts }
  | { type: 'run_failed'; at: Date; runId: number; exitCode: number; durationMs: number; category: ErrorCategory; message: string };

export type RunObserver = (event: RunEvent) => void;

export function changeEvent(runId: number, change: Pick<FieldChange, 'incident' | 'issue' | 'direction' | 'outcome' | 'reason' | 'category'> & { field: string; durationMs?: number }, at: Date): RunEvent {
  return {
    type: 'change',
    at,
    runId,
    incident: change.incident,
    issue: change.issue,
    field: change.field,
    direction: change.direction,
    outcome: change.outcome,
    reason: change.reason,
    category: change.category ?? null,
    durationMs: change.durationMs ?? null,
  };
}

export function pairErrorEvent(runId: number, error: PairError, at: Date): RunEvent {
  return { type: 'pair_error', at, runId, incident: error.incident, issue: error.issue, category: pairErrorCategory(error), message: error.message };
}

/** A pair that could not be read: the incident or its ticket is missing unless the reader said otherwise. */
export function pairErrorCategory(error: PairError): ErrorCategory {
  return error.category ?? 'not_found';
}
