import { z } from 'zod';
import { InvalidRecordError, MalformedResponseError, valueAt } from '../net/errors.js';
import { IMPACT_STATUSES, type Incident } from './incident.js';
import type { TicketSource } from './ticket-source.js';

/**
 * FireFighter's incident JSON (`IncidentSerializer`), reduced to what raidsync reads. Unknown keys are
 * dropped, so new serializer fields never break parsing.
 */
const incidentFields = z.object({
  id: z.number().int().positive(),
  title: z.string(),
  // The serializer prints the label (`get_status`), never the integer the filters take.
  status: z.enum(IMPACT_STATUSES),
  description: z.string(),
  created_at: z.iso.datetime({ offset: true }),
  environment: z.object({ value: z.string() }).nullable(),
  incident_category: z.object({ name: z.string() }).nullable(),
  // Any integer: FireFighter also knows non-P1..P5 priorities such as GAMEDAY (20).
  priority: z.object({ value: z.number().int() }).nullable(),
  status_page_url: z.string(),
  jira_ticket_key: z.string().min(1).nullable(),
});

const incidentWire = incidentFields
  .extend({
    // Keyed by role type slug; the commander is the only role raidsync syncs. A Slack-only user has an empty email.
    roles: z.object({ commander: z.object({ email: z.string().nullish() }).optional() }),
    ignore: z.boolean(),
  })
  .transform(
    (wire): Incident => ({
      id: wire.id,
      title: wire.title,
      description: wire.description,
      status: wire.status,
      priority: wire.priority?.value ?? null,
      // '' keeps a commander without email apart from no commander: the former cannot be resolved (blocked), the latter unassigns.
      commanderEmail: wire.roles.commander ? (wire.roles.commander.email ?? '').toLowerCase() : null,
      jiraTicketKey: wire.jira_ticket_key,
      createdAt: wire.created_at,
      environment: wire.environment?.value ?? null,
      category: wire.incident_category?.name ?? null,
      statusPageUrl: wire.status_page_url,
      ignore: wire.ignore,
    }),
  );


/** The same incident as its retrieve serves it, with what a new ticket needs besides (tags, priority name and emoji). */
const ticketSourceWire = incidentFields
  .extend({
    priority: z.object({ value: z.number().int(), name: z.string().optional(), emoji: z.string().optional() }).nullable(),
    status_page_url: z.string().min(1),
    tags: z.array(z.string()).default([]),
  })
  .transform(
    (wire): TicketSource => ({
      id: wire.id,
      title: wire.title,
      description: wire.description,
      status: wire.status,
      priority: wire.priority?.value ?? null,
      priorityName: wire.priority?.name ?? null,
      priorityEmoji: wire.priority?.emoji ?? null,
      environment: wire.environment?.value ?? null,
      category: wire.incident_category?.name ?? null,
      tags: wire.tags,
      statusPageUrl: wire.status_page_url,
      createdAt: wire.created_at,
      jiraTicketKey: wire.jira_ticket_key,
    }),
  );

export function parseTicketSource(json: unknown, endpoint: string): TicketSource {
  return parseAt(ticketSourceWire, json, endpoint);
}

/** One element of the list, parsed as it streams in; errors name it `[index].field`. */
export function parseListedIncident(json: unknown, endpoint: string, index: number): Incident {
  const result = incidentWire.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new MalformedResponseError('impact', endpoint, fieldPath([index, ...(issue?.path ?? [])]), problemOf(issue));
}

/** A listed record that is not a valid incident: what identifies it, for its pair to fail alone. */
export interface InvalidIncident {
  /** The record's id when that at least is valid, else null. */
  id: number | null;
  jiraTicketKey: string | null;
  error: InvalidRecordError;
}

/** One element of the list, valid or not: an invalid one names its field and value and fails only its pair. */
export function checkListedIncident(json: unknown, endpoint: string, index: number): Incident | InvalidIncident {
  const result = incidentWire.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const raw = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  const id = typeof raw['id'] === 'number' && Number.isSafeInteger(raw['id']) && raw['id'] > 0 ? raw['id'] : null;
  const path = issue?.path ?? [];
  return {
    id,
    jiraTicketKey: typeof raw['jira_ticket_key'] === 'string' ? raw['jira_ticket_key'] : null,
    error: new InvalidRecordError({
      service: 'impact',
      endpoint,
      record: id === null ? `incident (list element [${index}])` : `incident ${id}`,
      field: fieldPath(path),
      problem: problemOf(issue),
      value: valueAt(json, path),
    }),
  };
}

export function isInvalidIncident(record: Incident | InvalidIncident): record is InvalidIncident {
  return 'error' in record;
}

export function parseIncident(json: unknown, endpoint: string): Incident {
  return parseAt(incidentWire, json, endpoint);
}

function parseAt<T>(schema: z.ZodType<T>, json: unknown, endpoint: string): T {
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new MalformedResponseError('impact', endpoint, fieldPath(issue?.path ?? []), problemOf(issue));
}

/** `[3].priority.value` for a list, `roles.commander.email` for one incident. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : `${index === 0 ? '' : '.'}${String(segment)}`))
    .join('');
}

function problemOf(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'does not match the expected shape';
  // zod's messages name types and options, never the received value, so nothing a server sent leaks into logs.
  return issue.message.replace(/^Invalid input: /, '');
}
