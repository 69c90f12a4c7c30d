/** FireFighter's incident statuses: the labels its API prints, and the integers its filters take. */
export const IMPACT_STATUSES = ['Open', 'Investigating', 'Mitigating', 'Mitigated', 'Post-mortem', 'Closed'] as const;
export type ImpactStatus = (typeof IMPACT_STATUSES)[number];

export const IMPACT_STATUS_CODES: Readonly<Record<ImpactStatus, number>> = {
  Open: 10,
  Investigating: 20,
  Mitigating: 30,
  Mitigated: 40,
  'Post-mortem': 50,
  Closed: 60,
};

/** An Impact incident as raidsync sees it, parsed from FireFighter's JSON at the edge. */
export interface Incident {
  id: number;
  title: string;
  description: string;
  status: ImpactStatus;
  /** `priority.value`, 1 (P1) .. 5 (P5); null when the incident has none. */
  priority: number | null;
  /** `roles.commander.email`, lower-cased; '' for a commander without email (a Slack-only user); null when there is no commander. */
  commanderEmail: string | null;
  jiraTicketKey: string | null;
  createdAt: string;
  /** `environment.value`, e.g. `PRD`. */
  environment: string | null;
  /** `incident_category.name`. */
  category: string | null;
  statusPageUrl: string;
  ignore: boolean;
}
