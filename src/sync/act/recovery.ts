import type { ImpactClient } from '../../impact/client.js';
import type { JiraClient } from '../../jira/client.js';
import { ServiceError } from '../../net/errors.js';
import { completeIntent, failIntent, pendingIntents } from '../../state/intents.js';
import type { StateDb } from '../../state/open.js';
import { expectationIn, hasLanded } from './landed.js';
import type { FieldMaps } from '../decide/maps/types.js';
import { pairContext } from '../decide/pair.js';

export interface Recovery {
  /** Writes a killed run left pending that had reached their target. */
  landed: number;
  /** Writes that had not: the planner sees their drift again and redoes them if still wanted. */
  lost: number;
  /** Writes whose record could not be read now: left pending for the next run. */
  unknown: number;
}

/**
 * Settles the writes a killed run journaled but never settled, by reading both sides of each pair again:
 * done if the value is there, failed if not. Call it holding the lock, before reading the world.
 */
export async function settleInterruptedWrites(
  state: StateDb,
  deps: { jira: JiraClient; impact: ImpactClient; maps: FieldMaps },
  at: Date,
): Promise<Recovery> {
  const recovery: Recovery = { landed: 0, lost: 0, unknown: 0 };
  // A create has no ticket to read back until found by its stamp: create-tickets.ts settles those.
  for (const intent of (await pendingIntents(state.db)).filter((pending) => pending.kind !== 'jira_create')) {
    const expectation = expectationIn(intent.payload);
    let landed: boolean;
    try {
      const [incident, issue] = await Promise.all([deps.impact.getIncident(intent.incidentId), deps.jira.getIssue(intent.issueKey)]);
      landed = expectation !== null && hasLanded(expectation, pairContext({ incident, issue }, deps.maps));
    } catch (error) {
      // A record that is gone cannot have kept the write; anything else may be passing: try again next run.
      if (error instanceof ServiceError && error.status === 404) landed = false;
      else {
        recovery.unknown++;
        continue;
      }
    }
    await (landed ? completeIntent : failIntent)(state.db, intent.id, at);
    recovery[landed ? 'landed' : 'lost']++;
  }
  return recovery;
}

export function describeRecovery(recovery: Recovery, crashedRuns: number): string | undefined {
  const settled = recovery.landed + recovery.lost;
  if (crashedRuns === 0 && settled === 0 && recovery.unknown === 0) return undefined;
  const parts = [`${crashedRuns} earlier run(s) ended without finishing (marked crashed)`];
  if (settled > 0) parts.push(`of their ${settled} unfinished write(s), ${recovery.landed} had landed and ${recovery.lost} had not (redone below if still needed)`);
  if (recovery.unknown > 0) parts.push(`${recovery.unknown} could not be checked now and stay pending`);
  return `${parts.join('; ')}.`;
}
