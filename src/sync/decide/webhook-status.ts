import type { ImpactStatus } from '../../impact/incident.js';
import type { WebhookMap } from './maps/types.js';

/** The status item of a pull, in the JIRA names FireFighter's webhook map knows. */
export interface WebhookStatusItem {
  /** JIRA's previous status, for FireFighter's guard against closing from a status it does not know. */
  fromString: string | null;
  toString: string;
}

export type WebhookStatus = { ok: true; item: WebhookStatusItem } | { ok: false; reason: string };

export interface WebhookStatusInput {
  map: WebhookMap;
  target: ImpactStatus;
  issueKey: string;
  /** The ticket's status now. */
  jiraStatus: string | null;
  /** The ticket's status when raidsync last saw the pair agree (its base); null without a base. */
  previous: string | null;
}

const SETTING = 'impact.webhookMap, entries in impact.webhookStatuses';

/**
 * The JIRA status name FireFighter's map turns into the planned Impact status (JIRA's own name when that one
 * does), or why FireFighter would take none: a target its map cannot produce, or a close from a status it does not know.
 */
export function webhookStatus(input: WebhookStatusInput): WebhookStatus {
  const { map, target } = input;
  const names = Object.keys(map.statuses).filter((name) => map.statuses[name] === target);
  if (names.length === 0) {
    return { ok: false, reason: `FireFighter's webhook cannot set Impact status "${target}": no JIRA status in the ${map.preset} webhook map leads to it (${SETTING}); nothing sent` };
  }
  const toString = input.jiraStatus !== null && names.includes(input.jiraStatus) ? input.jiraStatus : names[0]!;
  if (target === 'Closed' && (input.previous === null || map.statuses[input.previous] === undefined)) {
    const why = input.previous === null ? `raidsync has no earlier JIRA status of ${input.issueKey} (no base yet)` : `${input.issueKey} was "${input.previous}" when last in sync, a status the ${map.preset} webhook map does not know (${SETTING})`;
    return { ok: false, reason: `FireFighter closes an incident only from a JIRA status its map knows, and ${why}; nothing sent` };
  }
  return { ok: true, item: { fromString: input.previous, toString } };
}
