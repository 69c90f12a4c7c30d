import type { Kysely } from 'kysely';
import type { Config } from '../../config/schema.js';
import type { JiraClient } from '../../jira/client.js';
import type { Database } from '../../state/schema.js';
import { beginStatusPath, forgetStatusPaths } from '../../state/status-paths.js';
import type { Plan } from '../decide/plan.js';
import type { Pair } from '../decide/pair.js';
import type { StatusPushSettings } from './status-push.js';
import { workflowKnowledge } from './workflow-knowledge.js';

/** A run's status-push settings: the config's, this run's workflow knowledge, and begun paths kept in the state file. */
export function statusPushSettings(config: Config, jira: JiraClient, db: Kysely<Database>, now: () => number): StatusPushSettings {
  return {
    terminalStatuses: config.jira.terminalStatuses,
    transitionFields: config.jira.transitionFields,
    knowledge: workflowKnowledge({
      db,
      jira,
      deployment: config.jira.deployment,
      now: () => new Date(now()),
    }),
    paths: {
      begin: (pair, target, statuses) =>
        beginStatusPath(db, { incidentId: pair.incident.id, issueKey: pair.issue.key, target, statuses: [...statuses], startedAt: new Date(now()) }),
      finish: (pair) => forgetStatusPaths(db, [pair.incident.id]),
    },
  };
}

/** Incidents read this run whose begun path is not being resumed: agreed, moved elsewhere by a person, or re-planned. */
export function settledStatusPaths(pairs: readonly Pair[], plan: Plan): number[] {
  const resumed = new Set(plan.changes.filter((change) => change.field === 'status' && change.direction === 'impact_to_jira' && change.outcome === 'planned').map((change) => change.incident));
  return pairs.map((pair) => pair.incident.id).filter((id) => !resumed.has(id));
}
