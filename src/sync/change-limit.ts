import type { Direction, FieldChange, TicketChange } from './decide/plan.js';
import { thousands } from './thousands.js';

/** A writing run's plan holds more changes than `sync.maxChanges`: it stops before its first write. */
export class ChangeLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChangeLimitError';
  }
}

const ARROW: Record<Direction, string> = { impact_to_jira: 'Impact → JIRA', jira_to_impact: 'JIRA → Impact' };

/**
 * The blast-radius guard: the changes a run would send (planned field changes and ticket creations; not conflicts,
 * blocked or skipped ones), against the limit (0: none). A bulk edit or a broken map is stopped, not carried out.
 */
export function assertWithinLimit(changes: readonly (FieldChange | TicketChange)[], limit: number, command: string): void {
  if (limit === 0) return;
  const sent = changes.filter((change) => change.outcome === 'planned' && (change.field !== 'ticket' || change.issue === ''));
  if (sent.length <= limit) return;
  const byWay = new Map<string, number>();
  for (const change of sent) {
    const way = `${change.field === 'ticket' ? 'ticket (created)' : change.field}\t${ARROW[change.direction]}`;
    byWay.set(way, (byWay.get(way) ?? 0) + 1);
  }
  const lines = [...byWay].sort(([a], [b]) => a.localeCompare(b)).map(([way, count]) => {
    const [field, arrow] = way.split('\t') as [string, string];
    return `  ${field.padEnd(17)} ${arrow.padEnd(14)} ${thousands(count)}`;
  });
  const again = command === 'apply' ? 'raidsync apply <plan> again' : `raidsync ${command} again`;
  throw new ChangeLimitError(
    [
      `the plan holds ${thousands(sent.length)} changes, more than sync.maxChanges (${thousands(limit)}): nothing was written`,
      ...lines,
      `To go on: write the plan (raidsync diff --out plan.json), review it, and run raidsync apply plan.json --max-changes ${sent.length}; ` +
        `or run ${again} with --max-changes ${sent.length} (RAIDSYNC_MAX_CHANGES, sync.maxChanges; 0 = no limit)`,
    ].join('\n'),
  );
}
