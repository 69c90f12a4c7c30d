import { setTimeout as delay } from 'node:timers/promises';
import { backoffMs, mayHaveBeenApplied } from '../../net/retry.js';
import type { FieldChange } from '../decide/plan.js';
import type { PairContext } from '../decide/pair.js';
import { notYetLanded } from './landed.js';

// Sends in all, the first one included: a write whose answer keeps getting lost is reported, not hammered.
const MAX_SENDS = 3;

/**
 * Sends a write; when it fails in a way that may still have applied it (5xx, a reset or timed-out connection),
 * re-reads the record and resends only what has not landed, so nothing is applied twice. A failure that
 * certainly changed nothing, or a re-read that fails, is rethrown as the write's error.
 */
export async function writeUntilLanded<C>(
  changes: readonly C[],
  send: (pending: readonly C[]) => Promise<void>,
  stillPending: (sent: readonly C[]) => Promise<C[]>,
): Promise<void> {
  let pending = changes;
  for (let attempt = 1; ; attempt++) {
    try {
      await send(pending);
      return;
    } catch (error) {
      if (!mayHaveBeenApplied(error)) throw error;
      let left: C[];
      try {
        left = await stillPending(pending);
      } catch {
        throw error;
      }
      if (left.length === 0) return;
      if (attempt >= MAX_SENDS) throw error;
      pending = left;
      await delay(backoffMs(attempt));
    }
  }
}

/** Sends changes to one side of a pair until a re-read of that side shows them all (see writeUntilLanded). */
export function sendVerified(
  changes: readonly FieldChange[],
  send: (pending: readonly FieldChange[]) => Promise<void>,
  reread: () => Promise<PairContext>,
): Promise<void> {
  return writeUntilLanded(changes, send, async (sent) => notYetLanded(sent, await reread()));
}
