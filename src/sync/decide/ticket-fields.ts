import type { Config } from '../../config/schema.js';
import type { TicketSource } from '../../impact/ticket-source.js';
import { criticalAddendum } from './description-addenda.js';
import type { FieldMaps, PriorityKey } from './maps/types.js';
import { titleToSummary } from './normalise.js';

/** The idempotency stamp: a label a search can find, and the entity property that says the same in JSON. */
export const stampLabel = (incidentId: number): string => `ff-incident-${incidentId}`;
export const STAMP_PROPERTY = 'raidsync.incident';

const BUSINESS_IMPACTS = ['Lowest', 'Low', 'Medium', 'High', 'Highest'] as const;

/** A ticket to create for an incident, as the seed's prepare_jira_fields and create_issue build it. */
export interface NewTicket {
  incident: number;
  priority: number | null;
  title: string;
  stamp: string;
  /** JIRA's create `fields`. */
  fields: Record<string, unknown>;
  properties: Array<{ key: string; value: { incidentId: number; statusPageUrl: string } }>;
  remoteLink: { globalId: string; url: string; title: string };
  /** The same, as a person reads it: `environments: PRD, STG`. */
  shown: string[];
}

/**
 * The incident's environments, its own first: FireFighter's API carries one `environment`; further ones come
 * from tags `env:<value>` (e.g. `env:STG`), as a team that needs several records them.
 */
export function environmentsOf(source: TicketSource): string[] {
  const fromTags = source.tags.flatMap((tag) => {
    const match = /^env:(.+)$/i.exec(tag.trim());
    return match ? [match[1]!.trim().toUpperCase()] : [];
  });
  return [...new Set([...(source.environment ? [source.environment] : []), ...fromTags])];
}

/** Why an incident without a ticket gets none under `create.filter`, or null when it gets one. */
export function filteredOut(source: TicketSource, filter: Config['create']['filter']): string | null {
  if (!filter.statuses.includes(source.status)) return `status ${source.status} is not in create.filter.statuses`;
  if (source.priority === null ? filter.minPriority < 5 : source.priority > filter.minPriority) {
    return `priority ${source.priority === null ? '(none)' : `P${source.priority}`} is below create.filter.minPriority P${filter.minPriority}`;
  }
  if (filter.environments.length > 0 && !environmentsOf(source).some((environment) => filter.environments.includes(environment))) {
    return `no environment of ${environmentsOf(source).join(', ') || '(none)'} is in create.filter.environments`;
  }
  if (filter.createdAfter !== undefined && Date.parse(source.createdAt) < Date.parse(filter.createdAfter)) {
    return `created ${source.createdAt}, before create.filter.createdAfter`;
  }
  return null;
}

/**
 * prepare_jira_fields + create_issue: summary, description (with the P1-P3 addendum), issue type, priority, the
 * environments (P1-P3 the first only, per the seed document, unless create.criticalEnvironments is `all`; P4-P5
 * all of them), platform (default All), business impact where a tag `impact:<Lowest..Highest>` gives it, the
 * category where create.fields.category is set, and the stamp.
 */
export function newTicket(source: TicketSource, settings: Config['create'], project: string, maps: FieldMaps): NewTicket {
  const critical = source.priority !== null && source.priority <= 3;
  const all = environmentsOf(source);
  const environments = critical && settings.criticalEnvironments === 'first' ? all.slice(0, 1) : all;
  const platform = tagValue(source, 'platform')?.replace(/^platform-/, '') ?? settings.platform;
  const impact = tagValue(source, 'impact');
  const businessImpact = BUSINESS_IMPACTS.find((level) => level.toLowerCase() === impact?.toLowerCase());
  const priorityName = source.priorityName ?? (source.priority === null ? '' : `P${source.priority}`);
  const description = critical ? `${source.description}${criticalAddendum(source.category, source.priorityEmoji, priorityName)}` : source.description;
  const jiraPriority = source.priority === null ? undefined : maps.impactToJiraPriority[String(source.priority) as PriorityKey];
  const stamp = stampLabel(source.id);

  const fields: Record<string, unknown> = {
    project: { key: project },
    issuetype: { name: settings.issueType },
    summary: titleToSummary(source.title),
    description,
    labels: [stamp],
    [settings.fields.platform]: { value: platform },
  };
  const shown = [`issue type: ${settings.issueType}`, `summary: ${fields.summary as string}`];
  if (jiraPriority !== undefined) {
    fields[maps.priorityField] = maps.priorityField === 'priority' ? { name: jiraPriority } : { value: jiraPriority };
    shown.push(`priority: ${jiraPriority}${maps.priorityField === 'priority' ? '' : ` (${maps.priorityField})`}`);
  }
  if (environments.length > 0) fields[settings.fields.environments] = environments.map((value) => ({ value }));
  shown.push(`environments: ${environments.join(', ') || '(none)'}${environments.length < all.length ? ` (P1-P3: first of ${all.join(', ')})` : ''}`);
  shown.push(`platform: ${platform}`);
  if (businessImpact !== undefined) {
    fields[settings.fields.businessImpact] = { value: businessImpact };
    shown.push(`business impact: ${businessImpact}`);
  }
  if (settings.fields.category !== undefined && source.category !== null) {
    fields[settings.fields.category] = { value: source.category };
    shown.push(`category: ${source.category}`);
  }
  shown.push(`labels: ${stamp}`, `link: ${source.statusPageUrl}`);
  return {
    incident: source.id,
    priority: source.priority,
    title: source.title,
    stamp,
    fields,
    properties: [{ key: STAMP_PROPERTY, value: { incidentId: source.id, statusPageUrl: source.statusPageUrl } }],
    remoteLink: { globalId: stamp, url: source.statusPageUrl, title: `FireFighter incident #${source.id}` },
    shown,
  };
}

function tagValue(source: TicketSource, name: string): string | undefined {
  const prefix = `${name}:`;
  const tag = source.tags.find((candidate) => candidate.trim().toLowerCase().startsWith(prefix));
  return tag?.trim().slice(prefix.length).trim() || undefined;
}
