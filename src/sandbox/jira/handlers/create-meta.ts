import type { Handler } from '../context.js';
import { JiraHttpError } from '../errors.js';
import type { SeedProject } from '../seed.js';

/** The system fields a create screen offers, as the emulator's create accepts them. */
const SCREEN_SYSTEM_FIELDS: ReadonlyArray<{ id: string; name: string; required: boolean; type: string; items?: string }> = [
  { id: 'project', name: 'Project', required: true, type: 'project' },
  { id: 'issuetype', name: 'Issue Type', required: true, type: 'issuetype' },
  { id: 'summary', name: 'Summary', required: true, type: 'string' },
  { id: 'description', name: 'Description', required: false, type: 'string' },
  { id: 'priority', name: 'Priority', required: false, type: 'priority' },
  { id: 'labels', name: 'Labels', required: false, type: 'array', items: 'string' },
  { id: 'assignee', name: 'Assignee', required: false, type: 'user' },
];

function requireProject(context: Parameters<Handler>[0], state: Parameters<Handler>[1]): SeedProject {
  const key = context.params['projectIdOrKey'] ?? '';
  const project = state.store.project(key);
  if (!project) throw new JiraHttpError(404, [`No project could be found with key '${key}'.`]);
  return project;
}

/** `GET issue/createmeta/{project}/issuetypes`: the issue types one may create in the project. */
export const createMetaIssueTypes: Handler = (context, state) => {
  const project = requireProject(context, state);
  const types = project.issueTypes.map((type) => ({
    self: `${context.baseUrl}/rest/api/${context.apiVersion}/issuetype/${type.id}`,
    id: type.id,
    name: type.name,
    description: '',
    subtask: false,
  }));
  // Cloud pages them as `issueTypes`; Data Center as `values`.
  const listed = state.mode === 'cloud' ? { issueTypes: types } : { values: types, isLast: true };
  return { status: 200, body: { maxResults: 50, startAt: 0, total: types.length, ...listed } };
};

/** `GET issue/createmeta/{project}/issuetypes/{issueTypeId}`: the fields of that type's create screen. */
export const createMetaFields: Handler = (context, state) => {
  const project = requireProject(context, state);
  const type = project.issueTypes.find((candidate) => candidate.id === context.params['issueTypeId']);
  if (!type) throw new JiraHttpError(404, [`The issue type with id '${context.params['issueTypeId']}' does not exist.`]);
  const system = SCREEN_SYSTEM_FIELDS.map((field) => ({
    fieldId: field.id,
    key: field.id,
    name: field.name,
    required: field.required,
    hasDefaultValue: false,
    operations: ['set'],
    schema: { type: field.type, system: field.id, ...(field.items ? { items: field.items } : {}) },
  }));
  const custom = state.store.customFields.map((field) => ({
    fieldId: field.id,
    key: field.id,
    name: field.name,
    required: false,
    hasDefaultValue: false,
    operations: field.multiple ? ['add', 'set', 'remove'] : ['set'],
    schema: field.multiple
      ? { type: 'array', items: 'option', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:multiselect', customId: Number(field.id.slice('customfield_'.length)) }
      : { type: 'option', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:select', customId: Number(field.id.slice('customfield_'.length)) },
    allowedValues: field.options.map((option) => ({ self: `${context.baseUrl}/rest/api/${context.apiVersion}/customFieldOption/${option.id}`, value: option.value, id: option.id })),
  }));
  const fields = [...system, ...custom];
  const listed = state.mode === 'cloud' ? { fields } : { values: fields, isLast: true };
  return { status: 200, body: { maxResults: 50, startAt: 0, total: fields.length, ...listed } };
};
