import { IMPACT_STATUS_CODES } from '../../impact/incident.js';
import type { TicketSource } from '../../impact/ticket-source.js';
import type { JiraIssue } from '../../jira/issue.js';
import { errorCategory, errorMessage, ServiceError } from '../../net/errors.js';
import { beginIntent, completeIntent, failIntent, pendingIntents, type PendingIntent } from '../../state/intents.js';
import type { JsonValue } from '../../state/json.js';
import { loadPairs, savePairs } from '../../state/pairs.js';
import type { RunChange } from '../../state/runs.js';
import { NOT_SENT_INTERRUPTED } from './applier.js';
import type { RunServices } from '../run-services.js';
import type { PairError, PairHeading, TicketChange } from '../decide/plan.js';
import { filteredOut, newTicket, stampLabel, type NewTicket } from '../decide/ticket-fields.js';

export type CreateDeps = RunServices;

export interface CreateRequest {
  /** Plan and show the tickets; create nothing, record nothing. */
  dryRun: boolean;
  incidentIds?: readonly number[] | undefined;
}

export interface CreateResult {
  tickets: TicketChange[];
  errors: PairError[];
  headings: PairHeading[];
}

/** Stamps searched in one JQL `labels in (...)`. */
const STAMP_BATCH = 100;

/**
 * Tickets for the incidents that have none and match `create.filter`. Never two for one incident: a ticket already
 * carrying the incident's stamp is adopted; a create a killed run left unsettled and no search shows is not redone
 * in this run; every create is journaled before it is sent, and the pair recorded with the journal settled.
 */
export async function createTickets(request: CreateRequest, deps: CreateDeps): Promise<CreateResult> {
  const result: CreateResult = { tickets: [], errors: [], headings: [] };
  const sources = await candidates(request, deps, result.errors);
  if (sources.length === 0) return result;
  const stamped = await ticketsByStamp(deps, sources.map((source) => stampLabel(source.id)));
  const unsettled = (await pendingIntents(deps.db)).filter((intent) => intent.kind === 'jira_create');
  const issueUrl = (key: string) => `${deps.config.jira.url.replace(/\/$/, '')}/browse/${key}`;

  for (const source of sources) {
    const ticket = newTicket(source, deps.config.create, deps.config.jira.project, deps.maps);
    const earlier = unsettled.filter((intent) => intent.incidentId === source.id);
    const existing = stamped.get(ticket.stamp);
    const change = await (existing
      ? adopt(ticket, existing, earlier, request, deps)
      : earlier.length > 0
        ? holdBack(ticket, earlier, request, deps)
        : create(ticket, request, deps));
    result.tickets.push(change);
    result.headings.push({
      incident: source.id,
      issue: change.issue,
      priority: source.priority,
      title: source.title,
      incidentUrl: source.statusPageUrl,
      issueUrl: change.issue === '' ? undefined : issueUrl(change.issue),
    });
  }
  return result;
}

/** A ticket change as the run history keeps it. */
export function ticketRow(change: TicketChange, at: Date): RunChange {
  return {
    incidentId: change.incident,
    issueKey: change.issue,
    field: change.field,
    direction: change.direction,
    from: null,
    to: change.to,
    outcome: change.outcome,
    reason: change.reason,
    category: change.category ?? null,
    durationMs: null,
    at,
  };
}

/** Incidents without a ticket, unknown to the state file, that the filter lets through: read one by one for their tags. */
async function candidates(request: CreateRequest, deps: CreateDeps, errors: PairError[]): Promise<TicketSource[]> {
  const { filter } = deps.config.create;
  const known = new Set((await loadPairs(deps.db)).map((pair) => pair.incidentId));
  // FireFighter filters by status and creation time itself: the list holds only what may qualify.
  const listed = await deps.impact.listIncidents({
    statusCodes: filter.statuses.map((status) => IMPACT_STATUS_CODES[status]),
    ...(filter.createdAfter === undefined ? {} : { createdAfter: filter.createdAfter }),
    ...(request.incidentIds === undefined ? {} : { idIn: [...request.incidentIds] }),
  });
  const sources: TicketSource[] = [];
  for (const incident of listed) {
    if (incident.jiraTicketKey !== null || known.has(incident.id)) continue;
    if (incident.priority === null ? filter.minPriority < 5 : incident.priority > filter.minPriority) continue;
    try {
      const source = await deps.impact.getTicketSource(incident.id);
      if (source.jiraTicketKey === null && filteredOut(source, filter) === null) sources.push(source);
    } catch (error) {
      errors.push({ incident: incident.id, issue: '', message: `incident ${incident.id} could not be read to create its ticket: ${errorMessage(error)}`, category: errorCategory(error) });
    }
  }
  return sources;
}

/** Tickets of the project that carry one of these stamps, by stamp. */
async function ticketsByStamp(deps: CreateDeps, stamps: readonly string[]): Promise<Map<string, JiraIssue>> {
  const found = new Map<string, JiraIssue>();
  for (let start = 0; start < stamps.length; start += STAMP_BATCH) {
    const batch = stamps.slice(start, start + STAMP_BATCH);
    const jql = `project = ${deps.config.jira.project} AND labels in (${batch.join(', ')}) ORDER BY key ASC`;
    for (const issue of await deps.jira.search(jql)) {
      for (const stamp of batch) if (issue.labels.includes(stamp) && !found.has(stamp)) found.set(stamp, issue);
    }
  }
  return found;
}

function change(ticket: NewTicket, values: Pick<TicketChange, 'issue' | 'to' | 'outcome' | 'reason'> & { category?: TicketChange['category'] }): TicketChange {
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

/** A ticket already carries the stamp (an earlier run created it and was killed before recording it): pair with it. */
async function adopt(ticket: NewTicket, existing: JiraIssue, earlier: readonly PendingIntent[], request: CreateRequest, deps: CreateDeps): Promise<TicketChange> {
  const reason = `${existing.key} already carries the stamp ${ticket.stamp}: adopted, not created again${earlier.length > 0 ? ' (an earlier run was killed after JIRA created it)' : ''}`;
  if (request.dryRun) return change(ticket, { issue: existing.key, to: existing.key, outcome: 'planned', reason });
  try {
    // The killed run may have died before linking back: the link is keyed by its globalId, so this never doubles it.
    await deps.jira.addRemoteLink(existing.key, ticket.remoteLink);
  } catch (error) {
    return change(ticket, { issue: existing.key, to: existing.key, outcome: 'failed', reason: `adopting ${existing.key}: its remote link failed: ${errorMessage(error)}`, category: errorCategory(error) });
  }
  await recordCreatedPair(deps, ticket.incident, existing, earlier.map((intent) => intent.id));
  return change(ticket, { issue: existing.key, to: existing.key, outcome: 'applied', reason });
}

/** A killed run was creating this ticket, and no search shows it: JIRA's index may lag, so wait one run rather than risk a second. */
async function holdBack(ticket: NewTicket, earlier: readonly PendingIntent[], request: CreateRequest, deps: CreateDeps): Promise<TicketChange> {
  if (!request.dryRun) for (const intent of earlier) await failIntent(deps.db, intent.id, new Date(deps.now()));
  return change(ticket, {
    issue: '',
    to: `new ${deps.config.create.issueType} in ${deps.config.jira.project}`,
    outcome: 'skipped',
    reason: `an earlier run was killed while creating this ticket and no ticket with the stamp ${ticket.stamp} is found (JIRA's search may lag): created by the next run if still missing`,
  });
}

async function create(ticket: NewTicket, request: CreateRequest, deps: CreateDeps): Promise<TicketChange> {
  const planned = `new ${deps.config.create.issueType} in ${deps.config.jira.project}`;
  const reason = `incident #${ticket.incident} has no JIRA ticket; created with the stamp ${ticket.stamp}, then synced push-only (FireFighter cannot learn the link)`;
  if (request.dryRun) return change(ticket, { issue: '', to: planned, outcome: 'planned', reason });
  if (!deps.config.sync.directions.impactToJira) {
    return change(ticket, { issue: '', to: planned, outcome: 'skipped', reason: `writes to JIRA (Impact → JIRA) disabled by configuration (sync.directions.impactToJira); ${reason}` });
  }
  if (deps.interrupted()) return change(ticket, { issue: '', to: planned, outcome: 'skipped', reason: NOT_SENT_INTERRUPTED });
  const payload: { [key: string]: JsonValue } = { stamp: ticket.stamp, fields: ticket.fields as { [key: string]: JsonValue } };
  const intent = await beginIntent(deps.db, { runId: deps.runId, incidentId: ticket.incident, issueKey: '', kind: 'jira_create', payload, createdAt: new Date(deps.now()) });
  let created: { id: string; key: string };
  try {
    created = await deps.jira.createIssue(ticket.fields, ticket.properties);
  } catch (error) {
    // JIRA answered 4xx: nothing was created. Anything else may have created it: left pending, the next run searches for it.
    if (error instanceof ServiceError && error.status !== null && error.status >= 400 && error.status < 500) await failIntent(deps.db, intent, new Date(deps.now()));
    return change(ticket, { issue: '', to: planned, outcome: 'failed', reason: `creating the ticket failed: ${errorMessage(error)}`, category: errorCategory(error) });
  }
  await recordCreatedPair(deps, ticket.incident, created, [intent]);
  try {
    await deps.jira.addRemoteLink(created.key, ticket.remoteLink);
  } catch (error) {
    return change(ticket, { issue: created.key, to: created.key, outcome: 'failed', reason: `created ${created.key}, but its remote link to the incident failed: ${errorMessage(error)}`, category: errorCategory(error) });
  }
  return change(ticket, { issue: created.key, to: created.key, outcome: 'applied', reason });
}

/** The pair (origin `created`) and the settled journal, in one transaction: never a recorded create without its pair. */
async function recordCreatedPair(deps: CreateDeps, incidentId: number, issue: { id: string; key: string }, intents: readonly number[]): Promise<void> {
  const at = new Date(deps.now());
  await deps.db.transaction().execute(async (trx) => {
    await savePairs(trx, [{ incidentId, issueKey: issue.key, issueId: issue.id, origin: 'created', linkedAt: at, lastSeenAt: at, inSync: false, impactHash: null }]);
    for (const intent of intents) await completeIntent(trx, intent, at);
  });
}
