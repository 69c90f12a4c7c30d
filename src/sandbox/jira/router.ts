import type { JiraMode } from './auth.js';
import type { Handler } from './context.js';
import { JiraHttpError } from './errors.js';
import { addComment } from './handlers/comments.js';
import { createIssue, editIssue, getChangelog, getIssue } from './handlers/issues.js';
import { listPriorities, searchPriorities } from './handlers/priorities.js';
import { approximateCount, enhancedSearch, legacySearch, removedSearch } from './handlers/search.js';
import { doTransition, getTransitions } from './handlers/transitions.js';
import { myself, searchUsers } from './handlers/users.js';
import { readWorkflows } from './handlers/workflows.js';
import { createRemoteLink, getRemoteLinks } from './handlers/remote-links.js';
import { getProperty, listProperties, setProperty } from './handlers/properties.js';
import { createMetaFields, createMetaIssueTypes } from './handlers/create-meta.js';
import { listFields, projectStatuses } from './handlers/metadata.js';

/** A handler per deployment; a deployment without one answers 404, as that JIRA has no such resource. */
type ModeHandlers = Partial<Record<JiraMode, Handler>>;

interface Route {
  method: string;
  pattern: RegExp;
  handlers: ModeHandlers;
}

const BOTH = (handler: Handler): ModeHandlers => ({ cloud: handler, datacenter: handler });

function route(method: string, template: string, handlers: ModeHandlers): Route {
  const pattern = new RegExp(`^${template.replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}$`);
  return { method, pattern, handlers };
}

const ROUTES: Route[] = [
  route('GET', '/myself', BOTH(myself)),
  route('GET', '/search/jql', { cloud: enhancedSearch }),
  route('POST', '/search/jql', { cloud: enhancedSearch }),
  route('POST', '/search/approximate-count', { cloud: approximateCount }),
  route('GET', '/search', { cloud: removedSearch, datacenter: legacySearch }),
  route('POST', '/search', { cloud: removedSearch, datacenter: legacySearch }),
  route('POST', '/issue', BOTH(createIssue)),
  route('GET', '/issue/{issueIdOrKey}', BOTH(getIssue)),
  route('PUT', '/issue/{issueIdOrKey}', BOTH(editIssue)),
  route('GET', '/issue/{issueIdOrKey}/changelog', { cloud: getChangelog }),
  route('GET', '/issue/{issueIdOrKey}/transitions', BOTH(getTransitions)),
  route('POST', '/issue/{issueIdOrKey}/transitions', BOTH(doTransition)),
  route('POST', '/issue/{issueIdOrKey}/comment', BOTH(addComment)),
  route('GET', '/issue/{issueIdOrKey}/remotelink', BOTH(getRemoteLinks)),
  route('POST', '/issue/{issueIdOrKey}/remotelink', BOTH(createRemoteLink)),
  route('GET', '/issue/{issueIdOrKey}/properties', BOTH(listProperties)),
  route('GET', '/issue/{issueIdOrKey}/properties/{propertyKey}', BOTH(getProperty)),
  route('PUT', '/issue/{issueIdOrKey}/properties/{propertyKey}', BOTH(setProperty)),
  route('GET', '/issue/createmeta/{projectIdOrKey}/issuetypes', BOTH(createMetaIssueTypes)),
  route('GET', '/issue/createmeta/{projectIdOrKey}/issuetypes/{issueTypeId}', BOTH(createMetaFields)),
  route('GET', '/user/search', BOTH(searchUsers)),
  route('GET', '/priority', BOTH(listPriorities)),
  route('GET', '/priority/search', { cloud: searchPriorities }),
  route('GET', '/project/{projectIdOrKey}/statuses', BOTH(projectStatuses)),
  route('GET', '/field', BOTH(listFields)),
  // Cloud's workflow API; Data Center has none with transitions, so raidsync learns edges there.
  route('POST', '/workflows', { cloud: readWorkflows }),
];

export interface RouteMatch {
  handler: Handler;
  apiVersion: 2 | 3;
  params: Record<string, string>;
}

function notFound(path: string): JiraHttpError {
  return new JiraHttpError(404, [`null for uri: ${path}`]);
}

/** Finds the handler for a path under `/rest/api/{2|3|latest}`; Data Center has no v3. */
export function matchRoute(mode: JiraMode, method: string, path: string): RouteMatch {
  const prefix = /^\/rest\/api\/(2|3|latest)(\/.*)$/.exec(path);
  if (!prefix) throw notFound(path);
  const version = prefix[1] === '3' ? 3 : 2;
  if (version === 3 && mode === 'datacenter') throw notFound(path);
  const resourcePath = prefix[2]!;
  const candidates = ROUTES.filter((candidate) => candidate.pattern.test(resourcePath) && candidate.handlers[mode]);
  if (candidates.length === 0) throw notFound(path);
  const matched = candidates.find((candidate) => candidate.method === method);
  if (!matched) throw new JiraHttpError(405, [`Method ${method} is not allowed for ${path}`]);
  const params = Object.fromEntries(
    Object.entries(matched.pattern.exec(resourcePath)!.groups ?? {}).map(([name, value]) => [name, decodeURIComponent(value)]),
  );
  return { handler: matched.handlers[mode]!, apiVersion: version, params };
}
