/** A side returned far fewer records than the last completed run saw: the run stops before writing anything. */
export class SafetyStopError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SafetyStopError';
  }
}

export interface ShrinkCheck {
  /** Pairs the last completed writing run read, or null before the first one. */
  baseline: number | null;
  /** Incidents FireFighter listed, linked ones among them, and pairs whose JIRA issue was read too. */
  incidents: number;
  linked: number;
  pairs: number;
  /** sync.minPairsRatio: the fraction of the baseline a run must still see; 0 turns the guard off. */
  minRatio: number;
}

/**
 * Refuses to reconcile against emptiness: a FireFighter that suddenly lists nothing, or a JIRA that suddenly
 * hides most tickets (a revoked permission, a broken proxy), looks like mass drift and must not be "fixed".
 */
export function assertNotShrunk(check: ShrinkCheck): void {
  const { baseline, pairs, minRatio } = check;
  if (baseline === null || baseline === 0 || minRatio === 0 || pairs >= baseline * minRatio) return;
  const seen =
    check.incidents === 0
      ? 'FireFighter listed no incidents'
      : `FireFighter listed ${check.linked} linked incidents and JIRA returned the issues of ${pairs}`;
  throw new SafetyStopError(
    `${seen}, but the last completed run read ${baseline} pairs: below sync.minPairsRatio (${minRatio}), so nothing was written. ` +
      'If the drop is real, run once with sync.minPairsRatio: 0.',
  );
}
