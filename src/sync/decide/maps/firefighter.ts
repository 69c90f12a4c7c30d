import type { ImpactStatus } from '../../../impact/incident.js';
import type { FieldMaps, WebhookMap } from './types.js';

// raid/serializers.py:38-44: the map FireFighter's webhook reads JIRA with.
const JIRA_TO_IMPACT_STATUS: Readonly<Record<string, ImpactStatus>> = {
  Incoming: 'Open',
  'Pending resolution': 'Open',
  'in progress': 'Mitigating',
  'Reporter validation': 'Mitigated',
  Closed: 'Closed',
};

/** What FireFighter's `raid/jira_update` understands at HEAD, whatever maps raidsync compares with. */
export const FIREFIGHTER_WEBHOOK: WebhookMap = { preset: 'firefighter', statuses: JIRA_TO_IMPACT_STATUS };

/** The maps FireFighter's code uses today (raid/serializers.py:38-57, raid/signals/incident_updated.py:23-36). */
export const FIREFIGHTER_MAPS: FieldMaps = {
  preset: 'firefighter',
  priorityField: 'customfield_11064',
  jiraToImpactStatus: JIRA_TO_IMPACT_STATUS,
  impactToJiraStatus: {
    Open: 'Incoming',
    Investigating: 'in progress',
    Mitigating: 'in progress',
    Mitigated: 'Reporter validation',
    'Post-mortem': 'Reporter validation',
    Closed: 'Closed',
  },
  jiraToImpactPriority: { '1': 1, '2': 2, '3': 3, '4': 4, '5': 5, Highest: 1, High: 2, Medium: 3, Low: 4, Lowest: 5 },
  impactToJiraPriority: { '1': '1', '2': '2', '3': '3', '4': '4', '5': '5' },
  webhook: FIREFIGHTER_WEBHOOK,
  users: {},
};
