import type { Incident } from '../../impact/incident.js';
import type { PairError } from './plan.js';

/** The incidents that alone name their ticket, and an error for each that shares one (or is listed more than once). */
export interface Claims {
  sole: Incident[];
  errors: PairError[];
}

/**
 * One ticket, one incident: a ticket named by several incidents, or an incident listed twice, is written by none
 * of them, or each run would write one incident's values over the other's.
 */
export function soleClaims(incidents: readonly Incident[]): Claims {
  const rows = new Map<number, Incident[]>();
  for (const incident of incidents) rows.set(incident.id, [...(rows.get(incident.id) ?? []), incident]);
  const claimants = new Map<string, Set<number>>();
  for (const incident of incidents) {
    if (incident.jiraTicketKey === null) continue;
    claimants.set(incident.jiraTicketKey, (claimants.get(incident.jiraTicketKey) ?? new Set()).add(incident.id));
  }
  const sole: Incident[] = [];
  const errors: PairError[] = [];
  for (const [id, listed] of rows) {
    const first = listed[0] as Incident;
    if (listed.length > 1) {
      const keys = [...new Set(listed.map((row) => row.jiraTicketKey ?? 'no ticket'))];
      errors.push({
        incident: id,
        issue: first.jiraTicketKey ?? '',
        message: `incident ${id} is listed ${listed.length} times by FireFighter (naming ${keys.join(' and ')}): not synced until it is listed once`,
        category: 'validation',
      });
      continue;
    }
    const others = first.jiraTicketKey === null ? [] : [...(claimants.get(first.jiraTicketKey) ?? [])];
    if (others.length > 1) {
      errors.push({ incident: id, issue: first.jiraTicketKey as string, message: sharedTicket(first.jiraTicketKey as string, others), category: 'validation' });
      continue;
    }
    sole.push(first);
  }
  return { sole, errors };
}

function sharedTicket(key: string, ids: readonly number[]): string {
  const sorted = [...ids].sort((a, b) => a - b);
  const named = `${sorted.slice(0, -1).join(', ')} and ${sorted.at(-1)}`;
  return `${key} is named by incidents ${named}: ${sorted.length === 2 ? 'neither' : 'none'} is synced until one of them lets go`;
}
