import type { ImpactStatus } from '../../../impact/incident.js';

export type PriorityKey = '1' | '2' | '3' | '4' | '5';

/** One preset's field maps, as data: what raidsync compares and writes through. */
export interface FieldMaps {
  preset: 'seed' | 'firefighter';
  /** JIRA field holding the incident priority: `priority` (by name) or a custom select field id. */
  priorityField: string;
  /** Exact, case-sensitive JIRA status name → Impact status (many-to-one). */
  jiraToImpactStatus: Readonly<Record<string, ImpactStatus>>;
  impactToJiraStatus: Readonly<Record<ImpactStatus, string>>;
  /** JIRA priority (name or option value) → Impact priority 1..5. */
  jiraToImpactPriority: Readonly<Record<string, number>>;
  impactToJiraPriority: Readonly<Record<PriorityKey, string>>;
  /** The JIRA status names FireFighter's webhook (`raid/jira_update`) turns into Impact statuses: what a pull is sent as. */
  webhook: WebhookMap;
  /** Commander email → JIRA account (accountId on Cloud, login name on Data Center), for users JIRA hides. */
  users: Readonly<Record<string, string>>;
}

/** FireFighter's own JIRA_TO_IMPACT_STATUS_MAP, which may differ from the maps raidsync compares with. */
export interface WebhookMap {
  preset: 'seed' | 'firefighter';
  /** Exact, case-sensitive JIRA status name → the Impact status FireFighter sets for it. */
  statuses: Readonly<Record<string, ImpactStatus>>;
}
