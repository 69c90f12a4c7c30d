import type { Handler } from '../context.js';
import { JiraHttpError } from '../errors.js';
import { renderStatus } from '../render.js';
import { renderTargetFor } from './request-scope.js';

/** `GET project/{key}/statuses`: the statuses of the project's workflow, per issue type. */
export const projectStatuses: Handler = (context, state) => {
  const project = state.store.project(context.params['projectIdOrKey'] ?? '');
  if (!project) throw new JiraHttpError(404, [`No project could be found with key '${context.params['projectIdOrKey']}'.`]);
  const target = renderTargetFor(context, state);
  return {
    status: 200,
    body: project.issueTypes.map((type) => ({
      self: `${context.baseUrl}/rest/api/${context.apiVersion}/issuetype/${type.id}`,
      id: type.id,
      name: type.name,
      subtask: false,
      statuses: project.workflow.statuses.map((status) => renderStatus(target, status)),
    })),
  };
};

const SYSTEM_FIELDS = ['summary', 'description', 'status', 'assignee', 'reporter', 'priority', 'resolution', 'labels', 'created', 'updated'];

/** `GET field`: system fields and the seed's custom fields. */
export const listFields: Handler = (_context, state) => ({
  status: 200,
  body: [
    ...SYSTEM_FIELDS.map((id) => ({ id, key: id, name: id[0]!.toUpperCase() + id.slice(1), custom: false, orderable: true, navigable: true, searchable: true, schema: { type: id, system: id } })),
    ...state.store.customFields.map((field) => ({
      id: field.id,
      key: field.id,
      name: field.name,
      custom: true,
      orderable: true,
      navigable: true,
      searchable: true,
      schema: { type: 'option', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:select', customId: Number(field.id.replace('customfield_', '')) },
    })),
  ],
});
