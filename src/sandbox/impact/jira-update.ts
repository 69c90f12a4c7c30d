import type { ImpactStatus } from '../../impact/incident.js';
import { closeRefusals } from './closing-rules.js';
import { parsePriorityValue, pythonInt } from './jira-maps.js';
import { isDict, type JiraUpdatePayload } from './jira-update-payload.js';
import type { SlackAlerts } from './slack-alerts.js';
import type { EmulatedIncident, IncidentStore } from './store.js';
import type { SyncCache } from './sync-cache.js';

/** What one changelog item did to the incident. `failed` items end the request with a 500. */
export type ItemEffect = 'applied' | `ignored: ${string}` | `failed: ${string}`;

export interface JiraUpdateContext {
  store: IncidentStore;
  statusMap: ReadonlyMap<string, ImpactStatus>;
  /** RAID_DEFAULT_JIRA_QRAFT_USER_ID; '' disables the self-authored check. */
  selfAccountId: string;
  /** The loop-prevention keys FireFighter's own JIRA pushes left. */
  cache: SyncCache;
  slack: SlackAlerts;
}

export interface JiraUpdateOutcome {
  /** 200, or 500 when an item raised: the items before it stay applied (no transaction). */
  status: 200 | 500;
  incidentId: number | null;
  /** One entry per changelog item, in order. */
  effects: ItemEffect[];
}

// Raised where the Python code would raise: the Slack alert failing, or a value of the wrong type.
class ItemFailure extends Error {}

const NOT_REACHED: ItemEffect = 'ignored: not reached, an earlier item failed';
const PRIORITY_FIELD_ID = 'customfield_11064';

/** `JiraWebhookUpdateSerializer.create` (raid/serializers.py:370-402) over the emulated incidents. */
export function applyJiraUpdate(payload: JiraUpdatePayload, context: JiraUpdateContext): JiraUpdateOutcome {
  const rawItems = payload.changelog.items;
  if (!pythonTruthy(rawItems)) return { status: 200, incidentId: null, effects: [] };
  // A truthy non-list is iterated by Python and fails on the first `.get`.
  if (!Array.isArray(rawItems)) return { status: 500, incidentId: null, effects: [] };

  const key = payload.issue.key;
  const incident = pythonTruthy(key) && (typeof key === 'string' || typeof key === 'number') ? context.store.findByJiraKey(String(key)) : undefined;
  const effects: ItemEffect[] = rawItems.map(() => NOT_REACHED);
  for (const [index, item] of rawItems.entries()) {
    try {
      effects[index] = incident ? syncItem(item, incident, payload, context) : alertOnly(item, payload, context);
    } catch (error) {
      if (!(error instanceof ItemFailure)) throw error;
      effects[index] = `failed: ${error.message}`;
      return { status: 500, incidentId: incident?.id ?? null, effects };
    }
  }
  return { status: 200, incidentId: incident?.id ?? null, effects };
}

/** No linked incident: FireFighter only DMs the ticket's watchers about status and priority items. */
function alertOnly(item: unknown, payload: JiraUpdatePayload, context: JiraUpdateContext): ItemEffect {
  const change = asChangeItem(item);
  const isStatus = lowerString(change.field, 'field') === 'status';
  const isPriority = isPriorityChange(change);
  if (isStatus || isPriority) alertSlack(change, payload, context);
  return `ignored: no incident linked to ${describeKey(payload.issue.key)}`;
}

/** `_sync_jira_fields_to_incident` (l.442-491). */
function syncItem(item: unknown, incident: EmulatedIncident, payload: JiraUpdatePayload, context: JiraUpdateContext): ItemEffect {
  const change = asChangeItem(item);
  const field = lowerString(change.field, 'field');
  if (context.selfAccountId !== '' && payload.user.accountId === context.selfAccountId) {
    return "ignored: authored by FireFighter's own JIRA account";
  }
  if (recentImpactChange(change, field, incident, context)) return 'ignored: echo of a recent Impact→JIRA push (sync cache)';
  if (field === 'status') {
    alertSlack(change, payload, context);
    return applyStatus(change, incident, context);
  }
  if (isPriorityChange(change)) {
    alertSlack(change, payload, context);
    return applyPriority(change, incident, context);
  }
  return `ignored: field ${JSON.stringify(change.field ?? null)} is not synced`;
}

/** `_handle_status_update` (l.516-587). */
function applyStatus(change: Record<string, unknown>, incident: EmulatedIncident, context: JiraUpdateContext): ItemEffect {
  const to = hashable(pythonTruthy(change.toString) ? change.toString : '', 'toString');
  const from = pythonTruthy(change.fromString) ? change.fromString : '';
  const target = typeof to === 'string' ? context.statusMap.get(to) : undefined;
  if (target === undefined) return `ignored: JIRA status ${JSON.stringify(to)} is not in the JIRA→Impact map`;
  if (target === 'Closed' && !isMapKey(hashable(from, 'fromString'), context.statusMap)) {
    return `ignored: close from JIRA status ${JSON.stringify(from)}, which is not in the JIRA→Impact map`;
  }
  if (incident.status === target) return `ignored: incident is already ${target}`;
  if (target === 'Closed') {
    const refusals = closeRefusals(incident, context.store);
    if (refusals.length > 0) return `ignored: cannot be closed (${refusals.map((refusal) => refusal.code).join(', ')})`;
  }
  context.store.setStatus(incident, target, { eventType: 'jira_status_sync', message: `Status synced from Jira (${String(to)})` });
  return 'applied';
}

/** `_handle_priority_update` (l.589-628). */
function applyPriority(change: Record<string, unknown>, incident: EmulatedIncident, context: JiraUpdateContext): ItemEffect {
  const to = pythonTruthy(change.toString) ? change.toString : '';
  const value = parsePriorityValue(to);
  if (value === null) return `ignored: JIRA priority ${JSON.stringify(to)} is not recognised`;
  if (incident.priority === value) return `ignored: incident is already priority ${value}`;
  if (!context.store.priority(value)) return `ignored: no FireFighter priority with value ${value}`;
  context.store.setPriority(incident, value, { eventType: 'jira_priority_sync', message: `Priority synced from Jira (${String(to)})` });
  return 'applied';
}

function isMapKey(value: unknown, map: ReadonlyMap<string, ImpactStatus>): boolean {
  return typeof value === 'string' && map.has(value);
}

/** `_is_priority_change` (l.676-691): only the custom field, by fieldId, else by field name. */
function isPriorityChange(change: Record<string, unknown>): boolean {
  const fieldId = lowerString(change.fieldId, 'fieldId');
  if (fieldId !== '') return fieldId === PRIORITY_FIELD_ID;
  return lowerString(change.field, 'field') === PRIORITY_FIELD_ID;
}

/** `_skip_due_to_recent_impact_change` (l.645-674): the changelog field *name* and toString, single use. */
function recentImpactChange(change: Record<string, unknown>, field: string, incident: EmulatedIncident, context: JiraUpdateContext): boolean {
  const raw = change.toString;
  const value = field === 'status' ? raw : (parsePriorityValue(raw) ?? raw);
  return context.cache.take(incident.id, field, value);
}

/** `_alert_slack_update` (l.406-440): missing ids or a failed send raise SlackNotificationError (l.478-489). */
function alertSlack(change: Record<string, unknown>, payload: JiraUpdatePayload, context: JiraUpdateContext): void {
  const ticketId = payload.issue.id;
  const ticketKey = payload.issue.key;
  if (ticketId === null || ticketId === undefined || !pythonTruthy(ticketKey) || !pythonTruthy(change.field)) {
    throw new ItemFailure('Could not alert in Slack: the payload lacks issue.id, issue.key or the item field');
  }
  if (pythonInt(ticketId) === null) throw new ItemFailure(`issue.id ${JSON.stringify(ticketId)} is not an integer`);
  const text = (value: unknown) => (pythonTruthy(value) ? String(value) : '');
  const sent = context.slack.send({
    ticketKey: String(ticketKey),
    author: text(payload.user.displayName),
    field: text(change.field),
    from: text(change.fromString),
    to: text(change.toString),
  });
  if (!sent) throw new ItemFailure('Could not alert in Slack');
}

function asChangeItem(item: unknown): Record<string, unknown> {
  if (!isDict(item)) throw new ItemFailure('changelog item is not an object');
  return item;
}

/** `(value or "").lower()` — a truthy non-string raises AttributeError. */
function lowerString(value: unknown, name: string): string {
  if (!pythonTruthy(value)) return '';
  if (typeof value !== 'string') throw new ItemFailure(`${name} is not a string`);
  return value.toLowerCase();
}

/** A dict or list as a dict key raises TypeError (unhashable). */
function hashable(value: unknown, name: string): unknown {
  if (typeof value === 'object' && value !== null) throw new ItemFailure(`${name} is not hashable`);
  return value;
}

function pythonTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

function describeKey(key: unknown): string {
  return typeof key === 'string' && key !== '' ? key : JSON.stringify(key ?? null);
}
