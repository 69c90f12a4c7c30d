import type { FieldMaps } from './types.js';

/** The maps FireFighter's code uses today (raid/serializers.py:38-57, raid/signals/incident_updated.py:23-36). */
export const FIREFIGHTER_MAPS: FieldMaps = {
  preset: 'firefighter',
  priorityField: 'customfield_11064',
  jiraToImpactStatus: {
    Incoming: 'Open',
    'Pending resolution': 'Open',
    'in progress': 'Mitigating',
    'Reporter validation': 'Mitigated',
    Closed: 'Closed',
  },
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
  users: {},
};
