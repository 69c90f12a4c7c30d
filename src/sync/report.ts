import type { RunCounts } from '../state/runs.js';
import type { FieldChange, PairError, SyncCommand, TicketChange } from './decide/plan.js';

/**
 * How a run ended: `ok` (all it planned, applied or in a dry run, without a problem), `incomplete` (a change failed,
 * was blocked or conflicts, or a pair could not be read), `interrupted` (stopped by a signal before every slice was
 * written), `disabled` (sync switched off by configuration: planned and reported, nothing written).
 */
export type RunResultKind = 'ok' | 'incomplete' | 'interrupted' | 'disabled';

/** A pair with drift, as its block in the tables names it. */
export interface DriftedPair {
  incident: number;
  /** The ticket's key; '' for a ticket only planned. */
  issue: string;
  priority: number | null;
  title: string;
  incidentUrl?: string | undefined;
}

/** What a run did (or, dry, would do): the applied report, as against the planner's `Plan`. */
export interface RunReport {
  /** The run's id in the state file's history (the id `status` lists). */
  runId: number;
  command: SyncCommand;
  dryRun: boolean;
  result: RunResultKind;
  /** Pairs read, and linked pairs left unread as unchanged. */
  pairs: number;
  changes: FieldChange[];
  errors: PairError[];
  /** Tickets created for incidents that had none (push --create, sync.create). */
  tickets?: TicketChange[] | undefined;
  /** `apply`: planned changes whose target already holds the planned value; no drift, nothing to write. */
  inSync?: FieldChange[] | undefined;
  counts: RunCounts;
  drifted: ReadonlyMap<number, DriftedPair>;
  /** A line shown above the tables (e.g. why nothing was written). */
  notice?: string | undefined;
}

/** How a run ended, for whoever turns it into a process status: its report, or the error that stopped it. */
export type RunEnding = { report: RunReport } | { error: unknown };

/** Whether any change or ticket failed, was blocked or conflicts, or any pair could not be read. */
export function troubled(report: Pick<RunReport, 'changes' | 'errors' | 'tickets'>): boolean {
  const changes = [...report.changes, ...(report.tickets ?? [])];
  return changes.some((c) => c.outcome === 'failed' || c.outcome === 'blocked' || c.outcome === 'conflict') || report.errors.length > 0;
}

export const NO_COUNTS: RunCounts = { pairs: 0, driftPairs: 0, planned: 0, applied: 0, skipped: 0, conflicts: 0, blocked: 0, failed: 0 };

/** A run's counts of pairs, drifted pairs and change outcomes. */
export function countOutcomes(report: Pick<RunReport, 'pairs' | 'changes' | 'tickets'>): RunCounts {
  // A ticket created is counted as a change of its incident, like any field.
  const changes = [...report.changes, ...(report.tickets ?? [])];
  const count = (outcome: FieldChange['outcome']) => changes.filter((c) => c.outcome === outcome).length;
  return {
    pairs: report.pairs,
    driftPairs: new Set(changes.map((c) => c.incident)).size,
    planned: count('planned'),
    applied: count('applied'),
    skipped: count('skipped'),
    conflicts: count('conflict'),
    blocked: count('blocked'),
    failed: count('failed'),
  };
}
