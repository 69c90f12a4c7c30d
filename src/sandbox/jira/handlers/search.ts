import type { EmulatorState, Handler, HandlerResult, RequestContext } from '../context.js';
import { intParam, listParam } from '../context.js';
import { JiraHttpError, badRequest } from '../errors.js';
import { checkJqlValues, matchesJql, parseJql, restrictedKeys, sortByJql } from '../jql.js';
import { fieldSelector, renderIssue } from '../render.js';
import { objectBody, renderTargetFor } from './request-scope.js';
import type { IssueFields } from '../store.js';

/** Search parameters come from the query string (GET) or the JSON body (POST). */
interface SearchRequest {
  jql: string;
  maxResults: unknown;
  fields: string[] | undefined;
  nextPageToken: unknown;
  startAt: unknown;
  /** Ids of issues to answer from the database rather than the lagging index (Cloud `search/jql`). */
  reconcileIssues: string[];
}

function readSearchRequest(context: RequestContext): SearchRequest {
  if (context.method === 'GET') {
    return {
      jql: context.query.get('jql') ?? '',
      maxResults: context.query.get('maxResults') ?? undefined,
      fields: listParam(context.query, 'fields'),
      nextPageToken: context.query.get('nextPageToken') ?? undefined,
      startAt: context.query.get('startAt') ?? undefined,
      reconcileIssues: listParam(context.query, 'reconcileIssues') ?? [],
    };
  }
  const body = objectBody(context);
  const fields = body['fields'];
  if (fields !== undefined && (!Array.isArray(fields) || fields.some((field) => typeof field !== 'string')))
    throw badRequest("The 'fields' property must be a list of field names.");
  if (body['jql'] !== undefined && typeof body['jql'] !== 'string') throw badRequest("The 'jql' property must be a string.");
  const reconcile = body['reconcileIssues'] ?? [];
  if (!Array.isArray(reconcile) || reconcile.some((id) => !Number.isInteger(id)))
    throw badRequest("The 'reconcileIssues' property must be a list of issue ids.");
  return {
    jql: (body['jql'] as string | undefined) ?? '',
    maxResults: body['maxResults'],
    fields: fields as string[] | undefined,
    nextPageToken: body['nextPageToken'] ?? undefined,
    startAt: body['startAt'],
    reconcileIssues: (reconcile as number[]).map(String),
  };
}

// The spec's cap on reconcileIssues.
const MAX_RECONCILE = 50;

/** Runs the query against the search index, which may lag behind writes by `indexLagMs`; reconciled issues are read fresh. */
function runQuery(jql: string, state: EmulatorState, requireBounded: boolean, reconcileIssues: readonly string[] = []): IssueFields[] {
  if (reconcileIssues.length > MAX_RECONCILE) throw badRequest(`The 'reconcileIssues' parameter accepts at most ${MAX_RECONCILE} issue ids.`);
  const query = parseJql(jql);
  if (requireBounded && query.where === undefined)
    throw badRequest('Unbounded JQL queries are not allowed here. Please add a search restriction to your query.');
  checkJqlValues(query, (key) => state.store.issue(key) !== undefined, (project) => state.store.project(project) !== undefined);
  const keys = restrictedKeys(query);
  // Real time, as the store's versions are written: the index's lag is not JIRA's clock.
  const before = Date.now() - state.indexLagMs;
  const fromIndex = keys ? state.store.indexedIssuesNamed(keys, before) : state.store.indexedIssues(before);
  const fresh = reconcileIssues.map((id) => state.store.issue(id)).filter((issue): issue is NonNullable<typeof issue> => issue !== undefined);
  const freshIds = new Set(fresh.map((issue) => issue.id));
  const indexed: IssueFields[] = [...fromIndex.filter((issue) => !freshIds.has(issue.id)), ...fresh];
  const statusName = (issue: IssueFields) => state.store.status(state.store.requireProject(issue.projectKey), issue.statusId).name;
  return sortByJql(query, indexed.filter((issue) => matchesJql(query, issue, statusName)));
}

/** JIRA caps pages that carry fields lower than pages of bare ids. */
function pageSize(request: SearchRequest, state: EmulatorState, fallbackFields: string[]): number {
  const requested = intParam(request.maxResults, 'maxResults', 50);
  const fields = request.fields && request.fields.length > 0 ? request.fields : fallbackFields;
  const identityOnly = fields.every((field) => field === 'id' || field === 'key');
  return Math.min(requested, identityOnly ? 5000 : state.searchPageCap);
}

function encodePageToken(offset: number, jql: string): string {
  return Buffer.from(JSON.stringify({ offset, jql })).toString('base64url');
}

function decodePageToken(token: unknown, jql: string): number {
  if (token === undefined || token === '') return 0;
  try {
    const decoded = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8')) as { offset?: unknown; jql?: unknown };
    if (typeof decoded.offset === 'number' && Number.isInteger(decoded.offset) && decoded.offset >= 0 && decoded.jql === jql)
      return decoded.offset;
  } catch {
    // Falls through to JIRA's answer for a token it cannot read.
  }
  throw badRequest('The provided next page token is invalid or expired.');
}

const ENHANCED_DEFAULT_FIELDS = ['id'];
const LEGACY_DEFAULT_FIELDS = ['*navigable'];

/** Cloud `search/jql`: token pagination, no total, `id`-only issues unless fields are asked for. */
export const enhancedSearch: Handler = (context, state) => {
  const request = readSearchRequest(context);
  const matches = runQuery(request.jql, state, true, request.reconcileIssues);
  const size = pageSize(request, state, ENHANCED_DEFAULT_FIELDS);
  const offset = decodePageToken(request.nextPageToken, request.jql);
  const selected = fieldSelector(request.fields, ENHANCED_DEFAULT_FIELDS);
  const target = renderTargetFor(context, state);
  const page = matches.slice(offset, offset + size);
  const isLast = offset + size >= matches.length;
  return {
    status: 200,
    body: {
      issues: page.map((issue) => renderIssue(target, issue, selected)),
      ...(isLast ? {} : { nextPageToken: encodePageToken(offset + size, request.jql) }),
      isLast,
    },
  };
};

/** DC `search`: startAt/maxResults/total. */
export const legacySearch: Handler = (context, state) => {
  const request = readSearchRequest(context);
  const matches = runQuery(request.jql, state, false);
  const size = pageSize(request, state, LEGACY_DEFAULT_FIELDS);
  const startAt = intParam(request.startAt, 'startAt', 0);
  const selected = fieldSelector(request.fields, LEGACY_DEFAULT_FIELDS);
  const target = renderTargetFor(context, state);
  return {
    status: 200,
    body: {
      expand: 'schema,names',
      startAt,
      maxResults: size,
      total: matches.length,
      issues: matches.slice(startAt, startAt + size).map((issue) => renderIssue(target, issue, selected)),
    },
  };
};

const CHANGE_2046 =
  'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046';

/** Cloud removed the legacy search (CHANGE-2046) and answers 410 Gone. */
export const removedSearch: Handler = (): HandlerResult => {
  throw new JiraHttpError(410, [CHANGE_2046]);
};

export const approximateCount: Handler = (context, state) => {
  const request = readSearchRequest(context);
  return { status: 200, body: { count: runQuery(request.jql, state, true).length } };
};
