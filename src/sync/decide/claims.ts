import type { Incident } from '../../impact/incident.js';
import type { PairError } from './plan.js';

/** What a listed incident claims: its id and the ticket it names. */
export type Claimant = Pick<Incident, 'id' | 'jiraTicketKey'>;

/** The incidents that alone name their ticket, and an error for each that shares one (or is listed more than once). */
export interface Claims<T extends Claimant> {
  sole: T[];
  errors: PairError[];
}

/**
 * One ticket, one incident: a ticket named by several incidents, or an incident listed twice, is written by none
 * of them, or each run would write one incident's values over the other's.
 */
export function soleClaims<T extends Claimant>(incidents: readonly T[]): Claims<T> {
  // Counted first, rows kept only for the ids listed more than once: most lists have none (50,000 incidents a run).
  const listed = new Map<number, number>();
  const claimants = new Map<string, number[]>();
  for (const incident of incidents) {
    listed.set(incident.id, (listed.get(incident.id) ?? 0) + 1);
    if (incident.jiraTicketKey === null) continue;
    const ids = claimants.get(incident.jiraTicketKey);
    if (ids === undefined) claimants.set(incident.jiraTicketKey, [incident.id]);
    else if (!ids.includes(incident.id)) ids.push(incident.id);
  }
  const repeated = new Map<number, T[]>();
  for (const incident of incidents) if ((listed.get(incident.id) ?? 0) > 1) repeated.set(incident.id, [...(repeated.get(incident.id) ?? []), incident]);
  const sole: T[] = [];
  const errors: PairError[] = [];
  const reported = new Set<number>();
  for (const first of incidents) {
    const id = first.id;
    const rows = repeated.get(id);
    if (rows) {
      if (reported.has(id)) continue;
      reported.add(id);
      const keys = [...new Set(rows.map((row) => row.jiraTicketKey ?? 'no ticket'))];
      errors.push({
        incident: id,
        issue: first.jiraTicketKey ?? '',
        message: `incident ${id} is listed ${rows.length} times by FireFighter (naming ${keys.join(' and ')}): not synced until it is listed once`,
        category: 'validation',
      });
      continue;
    }
    const others = first.jiraTicketKey === null ? undefined : claimants.get(first.jiraTicketKey);
    if (others !== undefined && others.length > 1) {
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
