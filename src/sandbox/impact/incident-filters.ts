import { IMPACT_STATUS_CODES } from '../../impact/incident.js';
import type { DrfError } from './responses.js';
import { parseDjangoDateTime } from './django-datetime.js';
import type { EmulatedIncident, IncidentStore } from './store.js';

/**
 * `IncidentFilterSet` (incidents/models/incident.py:781-847) as django-filter runs it: every filter is
 * validated first and all errors come back together; parameters it does not declare are ignored.
 */
export type IncidentQuery =
  | { ok: true; matches: (incident: EmulatedIncident) => boolean; sort: (incidents: EmulatedIncident[]) => EmulatedIncident[] }
  | { ok: false; errors: DrfError[] };

type Predicate = (incident: EmulatedIncident) => boolean;
type Comparison = 'gte' | 'lte' | 'gt' | 'lt';

const COMPARISONS: readonly Comparison[] = ['gte', 'lte', 'gt', 'lt'];
const ORDER_FIELDS = ['priority', 'title', 'id', 'created_at', 'created_by'] as const;
const STATUS_CODES = new Set(Object.values(IMPACT_STATUS_CODES).map(String));
// Django's form values for an empty filter: django-filter skips the filter.
const isEmpty = (value: string): boolean => value.trim() === '';

export function parseIncidentQuery(params: URLSearchParams, store: IncidentStore): IncidentQuery {
  const errors: DrfError[] = [];
  const predicates: Predicate[] = [];
  const fail = (attr: string, code: string, detail: string): void => {
    errors.push({ code, detail, attr });
  };
  const last = (name: string): string | undefined => {
    const values = params.getAll(name);
    return values.length > 0 ? values[values.length - 1] : undefined;
  };

  const id = last('id');
  if (id !== undefined && !isEmpty(id)) predicates.push((incident) => String(incident.id).toLowerCase() === id.toLowerCase());

  for (const [name, field] of [['id', (i: EmulatedIncident) => i.id], ['_status', (i: EmulatedIncident) => IMPACT_STATUS_CODES[i.status]]] as const) {
    for (const comparison of COMPARISONS) {
      const raw = last(`${name}__${comparison}`);
      if (raw === undefined || isEmpty(raw)) continue;
      const bound = parseDecimal(raw);
      if (bound === null) fail(`${name}__${comparison}`, 'invalid', 'Enter a number.');
      else predicates.push((incident) => compare(field(incident), comparison, bound));
    }
  }

  const idExact = last('id__iexact');
  if (idExact !== undefined && !isEmpty(idExact)) {
    const value = parseDecimal(idExact);
    if (value === null) fail('id__iexact', 'invalid', 'Enter a number.');
    else predicates.push((incident) => incident.id === value);
  }

  const idIn = last('id__in');
  if (idIn !== undefined && !isEmpty(idIn)) {
    const values = idIn.split(',').filter((part) => !isEmpty(part)).map(parseDecimal);
    if (values.some((value) => value === null)) fail('id__in', 'invalid', 'Enter a number.');
    else predicates.push((incident) => values.includes(incident.id));
  }

  const statuses = params.getAll('status').filter((value) => !isEmpty(value));
  const badStatus = statuses.find((value) => !STATUS_CODES.has(value));
  if (badStatus !== undefined) fail('status', 'invalid_choice', `Select a valid choice. ${badStatus} is not one of the available choices.`);
  else if (statuses.length > 0) predicates.push((incident) => statuses.includes(String(IMPACT_STATUS_CODES[incident.status])));

  for (const comparison of COMPARISONS) {
    const name = `created_at__${comparison}`;
    const raw = last(name);
    if (raw === undefined || isEmpty(raw)) continue;
    const bound = parseDjangoDateTime(raw);
    if (bound === null) fail(name, 'invalid', 'Enter a valid date/time.');
    else predicates.push((incident) => compare(Date.parse(incident.createdAt), comparison, bound));
  }

  const createdAt = last('created_at');
  if (createdAt !== undefined && !isEmpty(createdAt)) {
    // FFDateRangeSingleFilter takes free-text ranges ("last week", "2024-Q1"); an ISO date has too many '-'.
    const detail =
      createdAt.split('-').length > 2 && createdAt.split(' - ').length !== 2
        ? `Invalid range: ${createdAt}. Only one separator is allowed`
        : `Invalid range: ${createdAt}. The emulator does not implement FireFighter's natural-language date ranges; use created_at__gte/__lte.`;
    fail('created_at', 'invalid', detail);
  }

  const environmentValue = last('environment__value');
  if (environmentValue !== undefined && !isEmpty(environmentValue)) predicates.push((incident) => incident.environment === environmentValue);
  const environmentValues = last('environment__value__in');
  if (environmentValues !== undefined && !isEmpty(environmentValues)) {
    const values = environmentValues.split(',');
    predicates.push((incident) => values.includes(incident.environment));
  }

  const ignore = booleanFilterValue(last('ignore'));
  if (ignore !== null) predicates.push((incident) => incident.ignore === ignore);

  const byUuid: Array<[string, Map<string, string>, (incident: EmulatedIncident) => string]> = [
    ['environment', new Map(store.allEnvironments().map((e) => [e.id, e.value])), (i) => i.environment],
    ['priority', new Map(store.allPriorities().map((p) => [p.id, String(p.value)])), (i) => String(i.priority)],
    ['incident_category', new Map(store.allCategories().map((c) => [c.id, c.name])), (i) => i.category],
    ['group', new Map(store.allGroups().map((g) => [g.id, g.name])), (i) => store.category(i.category)?.group ?? ''],
    ['created_by', new Map(store.allUsers().map((u) => [u.id, u.email])), (i) => i.createdByEmail],
  ];
  for (const [name, known, keyOf] of byUuid) {
    const values = params.getAll(name).filter((value) => !isEmpty(value));
    if (values.length === 0) continue;
    const malformed = values.find((value) => !UUID.test(value));
    const unknown = values.find((value) => !known.has(value.toLowerCase()));
    if (malformed !== undefined) fail(name, 'invalid_pk_value', `“${malformed}” is not a valid value.`);
    else if (unknown !== undefined) fail(name, 'invalid_choice', `Select a valid choice. ${unknown} is not one of the available choices.`);
    else {
      const wanted = new Set(values.map((value) => known.get(value.toLowerCase())));
      predicates.push((incident) => wanted.has(keyOf(incident)));
    }
  }

  const search = last('search');
  if (search !== undefined && !isEmpty(search)) predicates.push(searchPredicate(search));

  const orderBy = last('order_by');
  const orderKeys = orderBy === undefined || isEmpty(orderBy) ? [] : orderBy.split(',').map((key) => key.trim());
  const badOrder = orderKeys.find((key) => !(ORDER_FIELDS as readonly string[]).includes(key.replace(/^-/, '')));
  if (badOrder !== undefined) fail('order_by', 'invalid_choice', `Select a valid choice. ${badOrder} is not one of the available choices.`);

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    matches: (incident) => predicates.every((predicate) => predicate(incident)),
    sort: (incidents) => (orderKeys.length === 0 ? incidents : [...incidents].sort(comparator(orderKeys, store))),
  };
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

function compare(value: number, comparison: Comparison, bound: number): boolean {
  if (comparison === 'gte') return value >= bound;
  if (comparison === 'lte') return value <= bound;
  if (comparison === 'gt') return value > bound;
  return value < bound;
}

/** forms.DecimalField: blanks trimmed, Python Decimal syntax, no NaN or infinities. */
function parseDecimal(raw: string): number | null {
  const value = raw.trim();
  return /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(value) ? Number(value) : null;
}

/** NullBooleanField: anything else is "unknown" and the filter is skipped. */
function booleanFilterValue(raw: string | undefined): boolean | null {
  if (raw === 'true' || raw === 'True' || raw === '1') return true;
  if (raw === 'false' || raw === 'False' || raw === '0') return false;
  return null;
}

/** An approximation of the Postgres full-text search: every word of the term in title or description, or the id. */
function searchPredicate(term: string): Predicate {
  const words = term.toLowerCase().split(/\s+/).filter((word) => word.length > 0);
  const asId = /^\s*\d+\s*$/.test(term) ? Number(term) : null;
  return (incident) => {
    if (asId !== null && incident.id === asId) return true;
    const text = `${incident.title} ${incident.description}`.toLowerCase();
    return words.every((word) => text.includes(word));
  };
}

/** OrderingFilter; ties keep row order, as the database would leave them unspecified. */
function comparator(keys: string[], store: IncidentStore): (a: EmulatedIncident, b: EmulatedIncident) => number {
  const sortValue = (incident: EmulatedIncident, field: string): string | number => {
    switch (field) {
      // Priority.Meta.ordering = ["order"]; User.Meta.ordering = ["username"].
      case 'priority':
        return store.priority(incident.priority)?.order ?? 0;
      case 'created_by':
        return store.user(incident.createdByEmail)?.username ?? '';
      case 'created_at':
        return Date.parse(incident.createdAt);
      case 'title':
        return incident.title;
      default:
        return incident.id;
    }
  };
  return (a, b) => {
    for (const key of keys) {
      const descending = key.startsWith('-');
      const field = descending ? key.slice(1) : key;
      const left = sortValue(a, field);
      const right = sortValue(b, field);
      const order = typeof left === 'string' && typeof right === 'string' ? left.localeCompare(right) : Number(left) - Number(right);
      if (order !== 0) return descending ? -order : order;
    }
    return 0;
  };
}
