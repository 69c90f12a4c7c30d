import type { ErrorCategory } from '../../net/errors.js';
import type { SyncField } from '../fields.js';
import type { WebhookStatusItem } from './webhook-status.js';

export type Direction = 'impact_to_jira' | 'jira_to_impact';
export type Outcome = 'planned' | 'applied' | 'skipped' | 'conflict' | 'blocked' | 'failed';
export type SyncCommand = 'push' | 'pull' | 'reconcile';
/** The reason of a change a stopped run never sent: `status` and `log` count it as not sent, not failed. */
export const NOT_SENT_INTERRUPTED = 'not sent: the run was interrupted';

/** One field of one pair, and what raidsync does (or would do) about it. */
export interface FieldChange {
  incident: number;
  issue: string;
  field: SyncField;
  direction: Direction;
  /** The target side's value before the change, as a person reads it. */
  from: string | null;
  /** The target side's value after the change, as a person reads it. */
  to: string | null;
  outcome: Outcome;
  reason: string;
  /** The canonical value to write on the target side (null: clear it). */
  target: string | null;
  /** Both sides' canonical values when planned: `apply` applies the change only if they still hold. */
  expected: { impact: string | null; jira: string | null };
  /** Both sides' values as a person reads them, for tables. */
  shown: { impact: string | null; jira: string | null };
  /** Why the planner could not carry the value across (`mapping`), for the run history and metrics. */
  category?: ErrorCategory | null | undefined;
  /** A status pull: the changelog item sent to FireFighter, in its webhook map's JIRA names. */
  webhook?: WebhookStatusItem | undefined;
}

/** A field found in agreement: its base becomes these values. */
export interface AgreedField {
  incident: number;
  field: SyncField;
  impact: string | null;
  jira: string | null;
}

export interface PairError {
  incident: number;
  issue: string;
  message: string;
  /** Default `not_found`: the incident or its ticket could not be read. */
  category?: ErrorCategory | undefined;
}

/** A ticket raidsync creates (or adopts) for an incident that has none, reported as a change of the field `ticket`. */
export interface TicketChange {
  incident: number;
  /** The ticket's key; '' while it is only planned. */
  issue: string;
  field: 'ticket';
  direction: 'impact_to_jira';
  from: null;
  /** The new key once created; while planned, what would be created. */
  to: string;
  outcome: Outcome;
  reason: string;
  shown: { impact: string | null; jira: string | null };
  category?: ErrorCategory | null | undefined;
  /** The create request's fields, as sent (or as they would be). */
  fields: Record<string, unknown>;
}

export interface Plan {
  command: SyncCommand;
  pairs: number;
  changes: FieldChange[];
  agreed: AgreedField[];
  errors: PairError[];
  /** Tickets created for incidents that had none (push --create, sync.create). */
  tickets?: TicketChange[] | undefined;
  /** A replayed plan's changes whose target already holds the planned value: reported, never written. */
  inSync?: FieldChange[] | undefined;
}
