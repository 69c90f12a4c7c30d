import { IMPACT_STATUS_CODES, type Incident } from '../../impact/incident.js';

/**
 * What FireFighter's closing rules (`Incident.can_be_closed`) ask of this incident, as far as its API shows it.
 * FireFighter gives its reasons only in Slack, so raidsync names the rules that can apply.
 */
export function closingRequirements(incident: Incident): string[] {
  if (incident.ignore) return [];
  const requirements: string[] = [];
  const priority = incident.priority;
  // FireFighter's default priorities need a post-mortem for P1 and P2, and only in PRD.
  if (priority !== null && priority <= 2 && incident.environment === 'PRD') {
    requirements.push(
      incident.status === 'Post-mortem'
        ? 'its JIRA post-mortem must be linked and Ready'
        : `a P${priority} incident in PRD must be in Post-mortem, with a Ready JIRA post-mortem, before it closes`,
    );
  } else if (IMPACT_STATUS_CODES[incident.status] < IMPACT_STATUS_CODES.Mitigated) {
    requirements.push('it must be Mitigated before it closes');
  }
  if (priority !== null && priority < 4) requirements.push(`a P${priority} incident needs all its required key events set`);
  return requirements;
}
