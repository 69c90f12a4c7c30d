import { FIELD_ADAPTERS, inAgreement } from './field-adapters.js';
import type { FieldMaps } from './maps/types.js';
import type { PlanFile } from './plan-file.js';
import type { AgreedField, FieldChange, PairError, Plan } from './plan.js';
import { pairContext, type Pair } from './pair.js';

/**
 * The changes of a saved plan whose records are still as planned; the others are skipped, never applied
 * over values the plan did not see (the compare-and-swap JIRA's edit API lacks). A change whose target
 * already holds the planned value is in sync: reported apart, its base recorded like any agreement.
 */
export function replayPlan(file: PlanFile, pairs: readonly Pair[], errors: readonly PairError[], maps: FieldMaps): Plan {
  const byIncident = new Map(pairs.map((pair) => [pair.incident.id, pair]));
  const changes: FieldChange[] = [];
  const inSync: FieldChange[] = [];
  const agreed: AgreedField[] = [];
  for (const change of file.changes) {
    if (change.outcome !== 'planned') continue;
    const pair = byIncident.get(change.incident);
    if (!pair || pair.issue.key !== change.issue) {
      changes.push({ ...change, outcome: 'skipped', reason: `changed since plan: incident ${change.incident} is no longer linked to ${change.issue}` });
      continue;
    }
    const adapter = FIELD_ADAPTERS[change.field];
    const ctx = pairContext(pair, maps);
    const impact = adapter.impactValue(pair.incident);
    const jira = adapter.jiraValue(ctx);
    if ((change.direction === 'impact_to_jira' ? jira : impact) === change.target || inAgreement(adapter, impact, jira, ctx)) {
      inSync.push({ ...change, outcome: 'skipped', reason: 'already in sync' });
      agreed.push({ incident: change.incident, field: change.field, impact, jira });
      continue;
    }
    if (change.field === 'status' && change.direction === 'jira_to_impact' && change.webhook === undefined) {
      changes.push({ ...change, outcome: 'skipped', reason: 'the plan names no webhook item for this pull (an older raidsync wrote it): run diff --out again' });
      continue;
    }
    if (impact === change.expected.impact && jira === change.expected.jira) {
      changes.push({ ...change, reason: `${change.reason} (from plan)` });
      continue;
    }
    const moved = impact !== change.expected.impact ? `Impact now ${adapter.showImpact(impact) ?? '(none)'}` : `JIRA now ${adapter.showJira(jira, ctx) ?? '(none)'}`;
    changes.push({ ...change, outcome: 'skipped', reason: `changed since plan (${moved})` });
  }
  return { command: 'reconcile', pairs: pairs.length, changes, agreed, errors: [...errors], inSync };
}
