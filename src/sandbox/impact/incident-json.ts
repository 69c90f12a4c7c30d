import type { SeedUser } from './seed.js';
import type { EmulatedIncident, IncidentStore } from './store.js';

export interface RenderOptions {
  /** FireFighter's BASE_URL: the emulator's own address. */
  baseUrl: string;
  /** `list` drops tags unless `show_tags=true`; `retrieve` always has them. */
  withTags: boolean;
}

/** `IncidentSerializer` output (api/serializers.py:206-358), keys in `Meta.fields` order. */
export function renderIncident(incident: EmulatedIncident, store: IncidentStore, options: RenderOptions): Record<string, unknown> {
  const environment = store.environment(incident.environment);
  const category = store.category(incident.category);
  const group = category ? store.group(category.group) : undefined;
  const priority = store.priority(incident.priority);
  const createdBy = store.user(incident.createdByEmail);
  if (!environment || !category || !group || !priority || !createdBy) {
    throw new Error(`incident ${incident.id} refers to reference data the seed does not hold`);
  }
  const json: Record<string, unknown> = {
    id: incident.id,
    title: incident.title,
    status: incident.status,
    description: incident.description,
    created_at: incident.createdAt,
    environment: {
      id: environment.id,
      value: environment.value,
      name: environment.name,
      description: environment.description,
      order: environment.order,
      default: environment.default,
    },
    incident_category: {
      id: category.id,
      name: category.name,
      description: category.description,
      order: category.order,
      group: {
        id: group.id,
        name: group.name,
        description: group.description,
        order: group.order,
        created_at: group.createdAt,
        updated_at: group.updatedAt,
      },
      private: category.private,
      deploy_warning: category.deployWarning,
      created_at: category.createdAt,
      updated_at: category.updatedAt,
    },
    priority: {
      id: priority.id,
      name: priority.name,
      value: priority.value,
      emoji: priority.emoji,
      description: priority.description,
      order: priority.order,
      default: priority.default,
      needs_postmortem: priority.needsPostmortem,
      enabled_create: priority.enabledCreate,
      enabled_update: priority.enabledUpdate,
      reminder_time: priority.reminderTime,
      sla: priority.sla,
      recommended_response_type: priority.recommendedResponseType,
      created_at: priority.createdAt,
      updated_at: priority.updatedAt,
    },
    slack_channel_name: incident.slackChannelName ? `#${incident.slackChannelName}` : '',
    status_page_url: `${options.baseUrl}/incident/${incident.id}/`,
    // Confluence post-mortem page; this install keeps its post-mortems in Jira.
    postmortem_url: null,
    jira_ticket_key: incident.jiraTicketKey,
    jira_ticket_url: incident.jiraTicketKey === null ? null : `${store.jiraUrl}/browse/${incident.jiraTicketKey}`,
  };
  if (options.withTags) json.tags = [...incident.tags];
  json.created_by = userJson(createdBy);
  json.costs = Object.fromEntries(incident.costs.map((cost) => [cost.type, { amount: cost.amount, details: cost.details }]));
  json.metrics = Object.fromEntries(
    incident.metrics.map((metric) => [
      metric.type,
      { duration: djangoDuration(metric.seconds), duration_seconds: metric.seconds, metric_type: metric.name },
    ]),
  );
  json.roles = rolesJson(incident, store);
  json.ignore = incident.ignore;
  return json;
}

function userJson(user: SeedUser): { id: string; name: string; email: string } {
  return { id: user.id, name: user.name, email: user.email };
}

/** Roles keyed by role type slug, in role creation order; a role nobody holds has no key. */
function rolesJson(incident: EmulatedIncident, store: IncidentStore): Record<string, unknown> {
  const roles: Record<string, unknown> = {};
  const holders = [
    ['commander', incident.commanderEmail],
    ['communication_lead', incident.communicationLeadEmail],
  ] as const;
  for (const [slug, email] of holders) {
    const user = email === null ? undefined : store.user(email);
    if (user) roles[slug] = userJson(user);
  }
  return roles;
}

/** Django's `duration_string`: `[D ]HH:MM:SS[.ffffff]`. */
function djangoDuration(totalSeconds: number): string {
  const micros = Math.round(totalSeconds * 1_000_000);
  const days = Math.floor(micros / 86_400_000_000);
  const rest = micros - days * 86_400_000_000;
  const hours = Math.floor(rest / 3_600_000_000);
  const minutes = Math.floor((rest % 3_600_000_000) / 60_000_000);
  const seconds = Math.floor((rest % 60_000_000) / 1_000_000);
  const fraction = rest % 1_000_000;
  const two = (n: number): string => String(n).padStart(2, '0');
  const clock = `${two(hours)}:${two(minutes)}:${two(seconds)}${fraction ? `.${String(fraction).padStart(6, '0')}` : ''}`;
  return days ? `${days} ${clock}` : clock;
}
