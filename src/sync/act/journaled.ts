import type { Kysely } from 'kysely';
import { beginIntent, completeIntent, failIntent } from '../../state/intents.js';
import type { JsonValue } from '../../state/json.js';
import type { Database, IntentKind } from '../../state/schema.js';

import { NOT_SENT_INTERRUPTED } from '../decide/plan.js';

/** A write not started because SIGINT/SIGTERM asked the run to stop: the write in flight finishes, no further one starts. */
export class NotSentError extends Error {
  constructor() {
    super(NOT_SENT_INTERRUPTED);
    this.name = 'NotSentError';
  }
}

/** The pair a write is journaled under; a create has no issue key yet (''). */
export interface IntentSubject {
  incidentId: number;
  issueKey: string;
}

/** Write-ahead journal: every write is recorded before it is sent and settled after. */
export interface Journal {
  begin(kind: IntentKind, subject: IntentSubject, payload: object): Promise<number>;
  settle(intent: number, ok: boolean): Promise<void>;
  interrupted(): boolean;
}

export interface JournaledWrite<R> {
  kind: IntentKind;
  subject: IntentSubject;
  /** What is sent and, under `expect`, what it should leave behind: how recovery tells whether a killed run's write landed. */
  payload: object;
  /** Sends the write and verifies it where it can be read back (`writeUntilLanded`). */
  send(): Promise<R>;
  /** Settles the intent once the write landed; a create also records its pair, in the same transaction. Default: the intent alone. */
  settleLanded?(intent: number, result: R): Promise<void>;
  /** A failure that may have applied a write that cannot be read back: the intent stays pending for the next run to find. */
  mayHaveLanded?(error: unknown): boolean;
}

/** The one way raidsync writes: intent journaled, write sent and verified, intent settled; a failure settles it failed and is rethrown. */
export async function journaled<R>(journal: Journal, write: JournaledWrite<R>): Promise<R> {
  // Checked at every write: with pairs applied concurrently, a signal may arrive after a pair's writes began.
  if (journal.interrupted()) throw new NotSentError();
  const intent = await journal.begin(write.kind, write.subject, write.payload);
  let result: R;
  try {
    result = await write.send();
  } catch (error) {
    if (write.mayHaveLanded?.(error) !== true) await journal.settle(intent, false);
    throw error;
  }
  await (write.settleLanded ? write.settleLanded(intent, result) : journal.settle(intent, true));
  return result;
}

/** The run's journal in the state file's `intents` table; payloads are built of JSON values only. */
export function stateJournal(db: Kysely<Database>, runId: number, now: () => number, interrupted: () => boolean): Journal {
  return {
    begin: (kind, subject, payload) => beginIntent(db, { runId, incidentId: subject.incidentId, issueKey: subject.issueKey, kind, payload: payload as { [key: string]: JsonValue }, createdAt: new Date(now()) }),
    settle: (intent, ok) => (ok ? completeIntent : failIntent)(db, intent, new Date(now())),
    interrupted,
  };
}
