import { IMPACT_STATUS_CODES } from '../../impact/incident.js';
import type { EmulatedIncident, IncidentStore } from './store.js';

export interface CloseRefusal {
  code: 'STATUS_NOT_POST_MORTEM' | 'POSTMORTEM_NOT_LINKED' | 'POSTMORTEM_NOT_READY' | 'STATUS_NOT_MITIGATED' | 'MISSING_REQUIRED_KEY_EVENTS';
  message: string;
}

/** `Incident.can_be_closed` (incidents/models/incident.py:378-480): the reasons it refuses, empty when it may close. */
export function closeRefusals(incident: EmulatedIncident, store: IncidentStore): CloseRefusal[] {
  if (incident.ignore) return [];
  const refusals: CloseRefusal[] = [];
  if (store.needsPostmortem(incident)) {
    if (incident.status !== 'Post-mortem') {
      const priorityName = store.priority(incident.priority)?.name ?? String(incident.priority);
      refusals.push({
        code: 'STATUS_NOT_POST_MORTEM',
        message: `Incident is not in PostMortem status, and needs one because of its priority and environment (${priorityName}/${incident.environment}).`,
      });
    }
    if (incident.postmortem === null) {
      refusals.push({
        code: 'POSTMORTEM_NOT_LINKED',
        message: 'No Jira post-mortem is linked to this incident. Please create one before closing.',
      });
    } else if (incident.postmortem.status !== 'Ready') {
      refusals.push({
        code: 'POSTMORTEM_NOT_READY',
        message: `Jira post-mortem ${incident.postmortem.key} is not Ready (current status: ${incident.postmortem.status}).`,
      });
    }
  } else if (IMPACT_STATUS_CODES[incident.status] < IMPACT_STATUS_CODES.Mitigated) {
    refusals.push({
      code: 'STATUS_NOT_MITIGATED',
      message: `Incident is not in Mitigated status (currently ${incident.status}).`,
    });
  }
  // Key events are required for P1-P3 only.
  if (incident.priority < 4 && incident.missingKeyEvents.length > 0) {
    refusals.push({
      code: 'MISSING_REQUIRED_KEY_EVENTS',
      message: `Missing key events: ${incident.missingKeyEvents.join(', ')}`,
    });
  }
  return refusals;
}
