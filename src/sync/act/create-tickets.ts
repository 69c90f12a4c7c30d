import { IMPACT_STATUS_CODES } from '../../impact/incident.js';
import type { TicketSource } from '../../impact/ticket-source.js';
import type { JiraIssue } from '../../jira/issue.js';
import { jqlList, jqlString } from '../../jira/jql.js';
import { errorCategory, errorMessage, ServiceError } from '../../net/errors.js';
import { completeIntent, failIntent, pendingIntents } from '../../state/intents.js';
import { loadPairs, savePairs } from '../../state/pairs.js';
import type { RunChange } from '../../state/runs.js';
import { journaled, NotSentError, stateJournal } from './journaled.js';
import type { RunServices } from '../run-services.js';
import type { PairError, TicketChange } from '../decide/plan.js';
import type { DriftedPair } from '../report.js';
import { filteredOut, stampLabel } from '../decide/ticket-fields.js';
import { decideTickets, ticketChange, type TicketDecision, type TicketRef } from '../decide/tickets.js';

export type CreateDeps = RunServices;

export interface CreateRequest {
  incidentIds?: readonly number[] | undefined;
}

export interface CreateResult {
  tickets: TicketChange[];
  errors: PairError[];
  headings: DriftedPair[];
}

/** Stamps searched in one JQL `labels in (...)`. */
const STAMP_BATCH = 100;

/** What a run would do for the incidents that have no ticket, decided before anything is written. */
export interface TicketPlan {
  sources: TicketSource[];
  decisions: TicketDecision[];
  /** Incidents that could not be read to decide. */
  errors: PairError[];
}

/** Reads the incidents without a ticket and the stamped tickets, and decides each as `decideTickets` does: writes nothing. */
export async function planTickets(request: CreateRequest, deps: CreateDeps): Promise<TicketPlan> {
  const errors: PairError[] = [];
  const paired = new Map((await loadPairs(deps.db)).map((pair) => [pair.issueKey, pair.incidentId]));
  const sources = await candidates(request, deps, paired, errors);
  if (sources.length === 0) return { sources, decisions: [], errors };
  const decisions = decideTickets({
    sources,
    stamped: await ticketsByStamp(deps, sources.map((source) => stampLabel(source.id))),
    paired,
    unsettled: (await pendingIntents(deps.db)).filter((intent) => intent.kind === 'jira_create'),
    settings: deps.config.create,
    project: deps.config.jira.project,
    maps: deps.maps,
  });
  return { sources, decisions, errors };
}

/**
 * The planned tickets created (or, dry, shown): every create journaled before it is sent, and the pair recorded
 * with the journal settled.
 */
export async function createTickets(plan: TicketPlan, dryRun: boolean, deps: CreateDeps): Promise<CreateResult> {
  const result: CreateResult = { tickets: [], errors: [...plan.errors], headings: [] };
  for (const [index, decision] of plan.decisions.entries()) {
    const source = plan.sources[index] as TicketSource;
    const change = dryRun ? decision.planned : await act(decision, deps);
    result.tickets.push(change);
    result.headings.push({
      incident: source.id,
      issue: change.issue,
      priority: source.priority,
      title: source.title,
      incidentUrl: source.statusPageUrl,
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

/**
 * Incidents without a ticket, unknown to the state file, that the filter lets through: read one by one for their tags.
 * `paired` (ticket → incident, from the state file) also learns the tickets the listed incidents name.
 */
async function candidates(request: CreateRequest, deps: CreateDeps, paired: Map<string, number>, errors: PairError[]): Promise<TicketSource[]> {
  const { filter } = deps.config.create;
  const known = new Set(paired.values());
  // FireFighter filters by status and creation time itself: the list holds only what may qualify.
  const listed = await deps.impact.listIncidents({
    statusCodes: filter.statuses.map((status) => IMPACT_STATUS_CODES[status]),
    ...(filter.createdAfter === undefined ? {} : { createdAfter: filter.createdAfter }),
    ...(request.incidentIds === undefined ? {} : { idIn: [...request.incidentIds] }),
  });
  const sources: TicketSource[] = [];
  for (const incident of listed) if (incident.jiraTicketKey !== null) paired.set(incident.jiraTicketKey, incident.id);
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
    const jql = `project = ${jqlString(deps.config.jira.project)} AND labels in ${jqlList(batch)} ORDER BY key ASC`;
    for (const issue of await deps.jira.search(jql)) {
      for (const stamp of batch) if (issue.labels.includes(stamp) && !found.has(stamp)) found.set(stamp, issue);
    }
  }
  return found;
}

function act(decision: TicketDecision, deps: CreateDeps): Promise<TicketChange> {
  switch (decision.kind) {
    case 'adopt':
      return adopt(decision, deps);
    case 'hold_back':
      return holdBack(decision, deps);
    case 'refuse':
      return Promise.resolve(decision.planned);
    case 'create':
      return create(decision, deps);
  }
}

async function adopt({ ticket, existing, earlier, planned }: Extract<TicketDecision, { kind: 'adopt' }>, deps: CreateDeps): Promise<TicketChange> {
  try {
    // The killed run may have died before linking back: the link is keyed by its globalId, so this never doubles it.
    await deps.jira.addRemoteLink(existing.key, ticket.remoteLink);
  } catch (error) {
    return ticketChange(ticket, { issue: existing.key, to: existing.key, outcome: 'failed', reason: `adopting ${existing.key}: its remote link failed: ${errorMessage(error)}`, category: errorCategory(error) });
  }
  await recordCreatedPair(deps, ticket.incident, existing, earlier);
  return { ...planned, outcome: 'applied' };
}

async function holdBack({ earlier, planned }: Extract<TicketDecision, { kind: 'hold_back' }>, deps: CreateDeps): Promise<TicketChange> {
  for (const intent of earlier) await failIntent(deps.db, intent, new Date(deps.now()));
  return planned;
}

async function create({ ticket, planned }: Extract<TicketDecision, { kind: 'create' }>, deps: CreateDeps): Promise<TicketChange> {
  if (!deps.config.sync.directions.impactToJira) {
    return { ...planned, outcome: 'skipped', reason: `writes to JIRA (Impact → JIRA) disabled by configuration (sync.directions.impactToJira); ${planned.reason}` };
  }
  let created: TicketRef;
  try {
    created = await journaled(stateJournal(deps.db, deps.runId, deps.now, deps.interrupted), {
      kind: 'jira_create',
      subject: { incidentId: ticket.incident, issueKey: '' },
      payload: { stamp: ticket.stamp, fields: ticket.fields },
      send: () => deps.jira.createIssue(ticket.fields, ticket.properties),
      settleLanded: (intent, issue) => recordCreatedPair(deps, ticket.incident, issue, [intent]),
      // JIRA answered 4xx: nothing was created. Anything else may have created it: left pending, the next run searches for it.
      mayHaveLanded: (error) => !(error instanceof ServiceError && error.status !== null && error.status >= 400 && error.status < 500),
    });
  } catch (error) {
    if (error instanceof NotSentError) return { ...planned, outcome: 'skipped', reason: error.message };
    return { ...planned, outcome: 'failed', reason: `creating the ticket failed: ${errorMessage(error)}`, category: errorCategory(error) };
  }
  try {
    await deps.jira.addRemoteLink(created.key, ticket.remoteLink);
  } catch (error) {
    return ticketChange(ticket, { issue: created.key, to: created.key, outcome: 'failed', reason: `created ${created.key}, but its remote link to the incident failed: ${errorMessage(error)}`, category: errorCategory(error) });
  }
  return ticketChange(ticket, { issue: created.key, to: created.key, outcome: 'applied', reason: planned.reason });
}

/** The pair (origin `created`) and the settled journal, in one transaction: never a recorded create without its pair. */
async function recordCreatedPair(deps: CreateDeps, incidentId: number, issue: TicketRef, intents: readonly number[]): Promise<void> {
  const at = new Date(deps.now());
  await deps.db.transaction().execute(async (trx) => {
    await savePairs(trx, [{ incidentId, issueKey: issue.key, issueId: issue.id, origin: 'created', linkedAt: at, lastSeenAt: at, inSync: false, impactHash: null }]);
    for (const intent of intents) await completeIntent(trx, intent, at);
  });
}
