import type { ImpactStatus } from '../../../impact/incident.js';
import type { FieldMaps, WebhookMap } from './types.js';

const JIRA_TO_IMPACT_STATUS: Readonly<Record<string, ImpactStatus>> = {
  Open: 'Investigating',
  'To Do': 'Investigating',
  'In Progress': 'Mitigating',
  'In Review': 'Mitigating',
  Resolved: 'Mitigated',
  Done: 'Mitigated',
  Closed: 'Post-mortem',
  Reopened: 'Investigating',
  Blocked: 'Mitigating',
  Waiting: 'Mitigating',
};

/** The webhook of the seed design, which reads JIRA with the seed's own map. */
export const SEED_WEBHOOK: WebhookMap = { preset: 'seed', statuses: JIRA_TO_IMPACT_STATUS };

/** The maps of the seed design document (JIRA_TO_IMPACT_STATUS_MAP, IMPACT_TO_JIRA_STATUS_MAP, priorities). */
export const SEED_MAPS: FieldMaps = {
  preset: 'seed',
  priorityField: 'priority',
  jiraToImpactStatus: JIRA_TO_IMPACT_STATUS,
  impactToJiraStatus: {
    Open: 'Open',
    Investigating: 'In Progress',
    Mitigating: 'In Progress',
    Mitigated: 'Resolved',
    'Post-mortem': 'Closed',
    Closed: 'Closed',
  },
  jiraToImpactPriority: { Highest: 1, High: 2, Medium: 3, Low: 4, Lowest: 5 },
  impactToJiraPriority: { '1': 'Highest', '2': 'High', '3': 'Medium', '4': 'Low', '5': 'Lowest' },
  // The seed preset alone describes the seed design's world; resolveMaps applies impact.webhookMap.
  webhook: SEED_WEBHOOK,
  users: {},
};
