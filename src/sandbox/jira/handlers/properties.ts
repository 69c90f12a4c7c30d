import type { Handler } from '../context.js';
import { recordWrite } from '../context.js';
import { JiraHttpError, badRequest } from '../errors.js';
import { pathIssue } from './request-scope.js';

const propertySelf = (context: Parameters<Handler>[0], issueId: string, key: string) =>
  `${context.baseUrl}/rest/api/${context.apiVersion}/issue/${issueId}/properties/${encodeURIComponent(key)}`;

/** `GET issue/{key}/properties`: the keys of the issue's entity properties. */
export const listProperties: Handler = (context, state) => {
  const issue = pathIssue(context, state);
  return { status: 200, body: { keys: Object.keys(issue.properties).map((key) => ({ key, self: propertySelf(context, issue.id, key) })) } };
};

export const getProperty: Handler = (context, state) => {
  const issue = pathIssue(context, state);
  const key = context.params['propertyKey'] ?? '';
  if (!(key in issue.properties)) throw new JiraHttpError(404, [`The property with key '${key}' does not exist.`]);
  return { status: 200, body: { key, value: issue.properties[key] } };
};

/** `PUT issue/{key}/properties/{propertyKey}`: 201 when new, 200 when replaced; the body is the JSON value. */
export const setProperty: Handler = (context, state) => {
  const issue = pathIssue(context, state);
  const key = context.params['propertyKey'] ?? '';
  if (key.length > 255) throw badRequest('The property key cannot be longer than 255 characters.');
  if (context.body === undefined) throw badRequest('The property value must be a valid JSON document.');
  const created = !(key in issue.properties);
  issue.properties[key] = context.body;
  recordWrite(state, context, issue.key, 'property');
  return { status: created ? 201 : 200 };
};
