import type { Kysely } from 'kysely';
import type { ErrorCategory } from '../../net/errors.js';
import { saveBases, type BaseRecord } from '../../state/bases.js';
import { recordLoopGuards, type LoopGuard as StoredGuard } from '../../state/loop-guards.js';
import { recordChanges, type RunError } from '../../state/runs.js';
import { savePairs } from '../../state/pairs.js';
import type { Database } from '../../state/schema.js';
import type { AppliedChange } from './applier.js';
import { loopGuardKey } from '../decide/loop-guard.js';
import { pairErrorCategory } from '../events.js';
import type { FieldChange, PairError, Plan } from '../decide/plan.js';
import type { Pair } from '../decide/pair.js';
import type { SyncField } from '../fields.js';
import { impactHash } from '../decide/impact-hash.js';

/** Pairs found in agreement: their bases (and, on runs over every field, that they are in sync) in one transaction. */
export async function recordAgreedPairs(
  db: Kysely<Database>,
  pairs: readonly Pair[],
  agreedByPair: ReadonlyMap<number, Plan['agreed']>,
  at: Date,
  /** On runs over every configured field, those fields: the pairs are recorded as left in sync with these values. */
  syncFields: readonly SyncField[] | null,
  /** The list element each incident was read in: left settled as read, the pair remembers it. */
  listedDigest: (incidentId: number) => string | undefined,
): Promise<void> {
  if (pairs.length === 0) return;
  await db.transaction().execute(async (trx) => {
    // Rows are built a slice at a time: 50,000 pairs' worth at once would double the run's peak memory.
    for (let start = 0; start < pairs.length; start += AGREED_SLICE) {
      const slice = pairs.slice(start, start + AGREED_SLICE);
      const bases: BaseRecord[] = slice.flatMap((pair) =>
        (agreedByPair.get(pair.incident.id) ?? []).map((a) => ({ incidentId: a.incident, field: a.field, impact: a.impact, jira: a.jira, recordedAt: at })),
      );
      if (bases.length > 0) await saveBases(trx, bases);
      if (syncFields) {
        await savePairs(
          trx,
          slice.map((pair) => ({
            incidentId: pair.incident.id,
            issueKey: pair.issue.key,
            issueId: pair.issue.id,
            origin: 'impact' as const,
            linkedAt: at,
            lastSeenAt: at,
            inSync: true,
            impactHash: impactHash(pair.incident, syncFields),
            listedDigest: listedDigest(pair.incident.id),
          })),
        );
      }
    }
  });
}

const AGREED_SLICE = 1000;

/** A pair's outcomes, new bases and loop guards, in one transaction: never half-recorded. */
export async function recordPair(
  db: Kysely<Database>,
  runId: number,
  pair: Pair,
  applied: readonly AppliedChange[],
  agreed: Plan['agreed'],
  at: Date,
  /** On runs over every configured field, those fields: whether the pair is now left in sync, for incremental reads. */
  syncFields?: readonly SyncField[],
  /** The list element the incident was read in: remembered when the pair is left settled as read (nothing pulled into it). */
  listedDigest?: string,
): Promise<void> {
  const bases: BaseRecord[] = agreed.map((a) => ({ incidentId: a.incident, field: a.field, impact: a.impact, jira: a.jira, recordedAt: at }));
  const guards: StoredGuard[] = [];
  for (const change of applied) {
    if (change.outcome !== 'applied') continue;
    const pushed = change.direction === 'impact_to_jira';
    bases.push({
      incidentId: change.incident,
      field: change.field,
      impact: pushed ? change.expected.impact : change.target,
      jira: pushed ? change.target : change.expected.jira,
      recordedAt: at,
    });
    guards.push({
      key: pushed ? loopGuardKey({ type: 'jira_issue', id: pair.issue.key }, 'impact_to_jira') : loopGuardKey({ type: 'incident', id: pair.incident.id }, 'jira_to_impact'),
      field: change.field,
      value: change.target,
      writtenAt: at,
    });
  }
  await db.transaction().execute(async (trx) => {
    await recordChanges(trx, runId, applied.map((change) => changeRow(change, change.category, change.durationMs, at)));
    if (bases.length > 0) await saveBases(trx, bases);
    if (guards.length > 0) await recordLoopGuards(trx, guards);
    if (syncFields) {
      const inSync = applied.every((change) => change.outcome === 'applied');
      // Values just pulled into FireFighter are what it now holds, though the incident read before shows the old ones.
      const pulled = new Map(applied.filter((change) => change.direction === 'jira_to_impact').map((change) => [change.field, change.target]));
      const hash = inSync ? impactHash(pair.incident, syncFields, pulled) : null;
      const asRead = inSync && pulled.size === 0;
      const link = { incidentId: pair.incident.id, issueKey: pair.issue.key, issueId: pair.issue.id, origin: 'impact' as const, linkedAt: at, lastSeenAt: at, inSync, impactHash: hash, listedDigest: asRead ? listedDigest : undefined };
      await savePairs(trx, [link]);
    }
  });
}

export function changeRow(change: FieldChange, category: ErrorCategory | null, durationMs: number, at: Date) {
  return {
    incidentId: change.incident,
    issueKey: change.issue,
    field: change.field,
    direction: change.direction,
    from: change.from,
    to: change.to,
    outcome: change.outcome,
    reason: change.reason,
    category,
    durationMs,
    at,
  };
}

export function pairErrorRows(errors: readonly PairError[], at: Date): RunError[] {
  return errors.map((error) => ({ incidentId: error.incident, issueKey: error.issue || null, category: pairErrorCategory(error), message: error.message, at }));
}

export function stripApplied(change: AppliedChange | FieldChange): FieldChange {
  const { category: _category, durationMs: _durationMs, ...rest } = change as AppliedChange;
  return rest;
}
