import { z } from 'zod';
import { MalformedResponseError } from '../net/errors.js';
import { IMPACT_STATUSES, type ImpactStatus } from './incident.js';

/** What a new ticket is made from: an incident as FireFighter's retrieve serves it (with its tags, which its list drops). */
export interface TicketSource {
  id: number;
  title: string;
  description: string;
  status: ImpactStatus;
  /** `priority.value`, 1..5; null without a priority. */
  priority: number | null;
  /** `priority.name` and `priority.emoji`, for the P1-P3 description addendum (`⛈️ Priority: P2`). */
  priorityName: string | null;
  priorityEmoji: string | null;
  /** `environment.value`, e.g. `PRD`. */
  environment: string | null;
  category: string | null;
  tags: string[];
  statusPageUrl: string;
  createdAt: string;
  jiraTicketKey: string | null;
}

const ticketSourceWire = z
  .object({
    id: z.number().int().positive(),
    title: z.string(),
    description: z.string(),
    status: z.enum(IMPACT_STATUSES),
    created_at: z.iso.datetime({ offset: true }),
    environment: z.object({ value: z.string() }).nullable(),
    incident_category: z.object({ name: z.string() }).nullable(),
    priority: z.object({ value: z.number().int(), name: z.string().optional(), emoji: z.string().optional() }).nullable(),
    status_page_url: z.string().min(1),
    jira_ticket_key: z.string().min(1).nullable(),
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
  const result = ticketSourceWire.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new MalformedResponseError('impact', endpoint, (issue?.path ?? []).map(String).join('.'), issue?.message.replace(/^Invalid input: /, '') ?? 'does not match the expected shape');
}
