import type { Direction, Plan } from './plan.js';

/** The seed's ENABLE_JIRA / ENABLE_RAID: each direction can be turned off without a deploy. */
export interface DirectionSwitches {
  impactToJira: boolean;
  jiraToImpact: boolean;
}

const SWITCH: Record<Direction, { key: keyof DirectionSwitches; words: string }> = {
  impact_to_jira: { key: 'impactToJira', words: 'writes to JIRA (Impact → JIRA)' },
  jira_to_impact: { key: 'jiraToImpact', words: 'writes to FireFighter (JIRA → Impact)' },
};

/** Planned changes in a direction the configuration turned off become `skipped`, with the switch named. */
export function withDirectionSwitches(plan: Plan, switches: DirectionSwitches): Plan {
  const changes = plan.changes.map((change) => {
    const { key, words } = SWITCH[change.direction];
    // A pull FireFighter could not take is not a problem while pulls are off.
    const unsendablePull = change.direction === 'jira_to_impact' && change.outcome === 'blocked' && change.category === 'mapping';
    if (switches[key] || (change.outcome !== 'planned' && !unsendablePull)) return change;
    return { ...change, outcome: 'skipped' as const, reason: `${words} disabled by configuration (sync.directions.${key}); ${change.reason}` };
  });
  return { ...plan, changes };
}
