import type { Config } from '../../config/schema.js';
import type { TicketSource } from '../../impact/ticket-source.js';
import type { FieldMaps } from './maps/types.js';
import type { TicketChange } from './plan.js';
import { newTicket, type NewTicket } from './ticket-fields.js';

/** A ticket JIRA already has: its id and key. */
export interface TicketRef {
  id: string;
  key: string;
}

/** What to do for an incident without a ticket, with the change a dry run shows for it. */
export type TicketDecision =
  /** A ticket already carries the stamp (an earlier run created it and was killed before recording it): pair with it. */
  | { kind: 'adopt'; ticket: NewTicket; existing: TicketRef; earlier: readonly number[]; planned: TicketChange }
  /** A killed run was creating this ticket, and no search shows it: JIRA's index may lag, so wait one run rather than risk a second. */
  | { kind: 'hold_back'; ticket: NewTicket; earlier: readonly number[]; planned: TicketChange }
  /** The stamped ticket is already another incident's: adopting it would put two incidents on one ticket. */
  | { kind: 'refuse'; ticket: NewTicket; planned: TicketChange }
  | { kind: 'create'; ticket: NewTicket; planned: TicketChange };

export interface TicketInput {
  /** Incidents without a ticket that `create.filter` lets through. */
  sources: readonly TicketSource[];
  /** Tickets of the project carrying a stamp, by stamp. */
  stamped: ReadonlyMap<string, TicketRef>;
  /** Tickets already paired (in the state file or by FireFighter's jira_ticket_key), by key: their incident. */
  paired: ReadonlyMap<string, number>;
  /** Creates journaled by earlier runs and never settled. */
  unsettled: readonly { id: number; incidentId: number }[];
  settings: Config['create'];
  project: string;
  maps: FieldMaps;
}

/** Never two tickets for one incident, nor two incidents on one ticket: a stamped ticket is adopted unless another incident has it, a create a killed run left unsettled is not redone this run. */
export function decideTickets(input: TicketInput): TicketDecision[] {
  return input.sources.map((source) => {
    const ticket = newTicket(source, input.settings, input.project, input.maps);
    const earlier = input.unsettled.filter((intent) => intent.incidentId === source.id).map((intent) => intent.id);
    const existing = input.stamped.get(ticket.stamp);
    const owner = existing ? input.paired.get(existing.key) : undefined;
    if (existing && owner !== undefined && owner !== source.id) {
      const reason = `${existing.key} carries the stamp ${ticket.stamp} but is already incident ${owner}'s ticket: not adopted (one ticket, one incident), nothing created; remove the stamp from ${existing.key} or unlink it from incident ${owner}`;
      return { kind: 'refuse', ticket, planned: ticketChange(ticket, { issue: existing.key, to: existing.key, outcome: 'blocked', reason, category: 'validation' }) };
    }
    if (existing) {
      const reason = `${existing.key} already carries the stamp ${ticket.stamp}: adopted, not created again${earlier.length > 0 ? ' (an earlier run was killed after JIRA created it)' : ''}`;
      return { kind: 'adopt', ticket, existing, earlier, planned: ticketChange(ticket, { issue: existing.key, to: existing.key, outcome: 'planned', reason }) };
    }
    const planned = `new ${input.settings.issueType} in ${input.project}`;
    if (earlier.length > 0) {
      const reason = `an earlier run was killed while creating this ticket and no ticket with the stamp ${ticket.stamp} is found (JIRA's search may lag): created by the next run if still missing`;
      return { kind: 'hold_back', ticket, earlier, planned: ticketChange(ticket, { issue: '', to: planned, outcome: 'skipped', reason }) };
    }
    const reason = `incident #${ticket.incident} has no JIRA ticket; created with the stamp ${ticket.stamp}, then synced push-only (FireFighter cannot learn the link)`;
    return { kind: 'create', ticket, planned: ticketChange(ticket, { issue: '', to: planned, outcome: 'planned', reason }) };
  });
}

/** A ticket's change as reported, for the outcome it came to. */
export function ticketChange(ticket: NewTicket, values: Pick<TicketChange, 'issue' | 'to' | 'outcome' | 'reason'> & { category?: TicketChange['category'] }): TicketChange {
  return {
    incident: ticket.incident,
    field: 'ticket',
    direction: 'impact_to_jira',
    from: null,
    shown: { impact: ticket.shown.join('\n'), jira: values.issue === '' ? null : values.issue },
    fields: ticket.fields,
    ...values,
  };
}
