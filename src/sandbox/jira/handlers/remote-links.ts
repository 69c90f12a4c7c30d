import type { Handler } from '../context.js';
import { recordWrite } from '../context.js';
import { fieldErrors } from '../errors.js';
import type { RemoteLink } from '../store.js';
import { asObject, objectBody, pathIssue } from './request-scope.js';

function renderLink(self: string, link: RemoteLink): Record<string, unknown> {
  return { id: link.id, self: `${self}/${link.id}`, ...(link.globalId === null ? {} : { globalId: link.globalId }), object: { url: link.url, title: link.title } };
}

const linksSelf = (context: Parameters<Handler>[0], issueId: string) => `${context.baseUrl}/rest/api/${context.apiVersion}/issue/${issueId}/remotelink`;

/** `GET issue/{key}/remotelink`, optionally `?globalId=`. */
export const getRemoteLinks: Handler = (context, state) => {
  const issue = pathIssue(context, state);
  const globalId = context.query.get('globalId');
  const links = globalId === null ? issue.remoteLinks : issue.remoteLinks.filter((link) => link.globalId === globalId);
  return { status: 200, body: links.map((link) => renderLink(linksSelf(context, issue.id), link)) };
};

/** `POST issue/{key}/remotelink`: 201 for a new link, 200 when `globalId` named one already there (updated). */
export const createRemoteLink: Handler = (context, state) => {
  const issue = pathIssue(context, state);
  const body = objectBody(context);
  const object = asObject(body['object']);
  const errors: Record<string, string> = {};
  if (typeof object['url'] !== 'string' || object['url'] === '') errors['url'] = "'url' is required.";
  if (typeof object['title'] !== 'string' || object['title'] === '') errors['title'] = "'title' is required.";
  if (Object.keys(errors).length > 0) throw fieldErrors(errors);
  const globalId = typeof body['globalId'] === 'string' && body['globalId'] !== '' ? body['globalId'] : null;
  const { link, created } = state.store.upsertRemoteLink(issue, { globalId, url: object['url'] as string, title: object['title'] as string });
  recordWrite(state, context, issue.key, 'remotelink');
  return { status: created ? 201 : 200, body: { id: link.id, self: `${linksSelf(context, issue.id)}/${link.id}` } };
};
