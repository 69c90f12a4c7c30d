import { authenticateBearer, permissionDeniedReply, unauthorizedReply, type TokenGrant } from './auth.js';
import { parseIncidentQuery } from './incident-filters.js';
import { renderIncident } from './incident-json.js';
import { pythonInt } from './jira-maps.js';
import type { RenderedIncidents } from './rendered-incidents.js';
import { clientError, drfErrorReply, jsonReply, serializedJsonReply, type Reply } from './responses.js';
import type { IncidentStore } from './store.js';

export interface ApiCall {
  method: string;
  query: URLSearchParams;
  authorization: string | undefined;
  accept: string | undefined;
}

export interface IncidentApi {
  store: IncidentStore;
  rendered: RenderedIncidents;
  tokens: Readonly<Record<string, TokenGrant>>;
  baseUrl: string;
}

/** `/incidents/` (list), `/incidents/{id}/` (retrieve) and the POST-only `/incidents` (create). */
export type IncidentRoute = { kind: 'list' } | { kind: 'detail'; id: string } | { kind: 'create' };

const READ_METHODS = new Set(['GET', 'HEAD']);

/** `IncidentViewSet` / `CreateIncidentViewSet` behind DRF's negotiation, authentication and permission checks. */
export function answerIncidentRoute(route: IncidentRoute, call: ApiCall, api: IncidentApi): Reply {
  // DRF negotiates the renderer before it authenticates.
  if (!acceptsJson(call.accept)) return clientError(406, 'not_acceptable', 'Could not satisfy the request Accept header.');
  const auth = authenticateBearer(call.authorization, api.tokens);
  if (auth.kind !== 'authenticated') return unauthorizedReply(auth, 'Bearer');
  // StrictDjangoModelPermissions: GET needs view_incident; tokens here hold no add/change permission.
  if (!auth.principal.canView || !READ_METHODS.has(call.method)) return permissionDeniedReply();
  if (route.kind === 'create') return clientError(405, 'method_not_allowed', `Method "${call.method}" not allowed.`, { Allow: 'POST, OPTIONS' });

  const query = parseIncidentQuery(call.query, api.store);
  if (!query.ok) return drfErrorReply(400, 'validation_error', query.errors);
  const selected = query.sort(api.store.incidents().filter(query.matches));
  const headers = { Allow: 'GET, HEAD, OPTIONS', Vary: 'Accept, Cookie' };

  if (route.kind === 'list') {
    const withTags = call.query.get('show_tags') === 'true';
    return serializedJsonReply(200, api.rendered.list(selected, { baseUrl: api.baseUrl, withTags }), headers);
  }
  // retrieve filters the queryset too, then looks the pk up in what is left.
  const id = pythonInt(route.id);
  const incident = id === null ? undefined : selected.find((candidate) => candidate.id === id);
  if (!incident) return clientError(404, 'not_found', 'Not found.');
  return jsonReply(200, renderIncident(incident, api.store, { baseUrl: api.baseUrl, withTags: true }), headers);
}

/** DRF picks the first renderer (JSON, CSV, TSV) any Accept range matches; this emulator renders JSON only. */
export function acceptsJson(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return accept
    .split(',')
    .map((range) => range.split(';')[0]?.trim().toLowerCase() ?? '')
    .some((range) => range === '*/*' || range === 'application/*' || range === 'application/json');
}
