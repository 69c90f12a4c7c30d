import type { Handler } from '../context.js';
import { intParam, listParam, recordWrite } from '../context.js';
import { JiraHttpError, badRequest, fieldErrors } from '../errors.js';
import { applyValues, resolveFieldValues, type EditableValues } from '../field-values.js';
import { fieldSelector, renderHistory, renderIssue } from '../render.js';
import type { IssueFields } from '../store.js';
import { pageBean } from '../page-bean.js';
import { asObject, fieldValueContextFor, objectBody, pathIssue, renderTargetFor } from './request-scope.js';

export const getIssue: Handler = (context, state) => {
  const issue = pathIssue(context, state);
  const expand = listParam(context.query, 'expand') ?? [];
  const selected = fieldSelector(listParam(context.query, 'fields'), ['*all']);
  const changelog = expand.includes('changelog') ? issue.changelog : undefined;
  return { status: 200, body: renderIssue(renderTargetFor(context, state), issue, selected, changelog) };
};

/** Folds JIRA's `update` operations (`set`, and `add`/`remove` for labels) into plain field values. */
function foldUpdateOperations(update: Record<string, unknown>, current: IssueFields, errors: Record<string, string>): Record<string, unknown> {
  const folded: Record<string, unknown> = {};
  for (const [fieldId, operations] of Object.entries(update)) {
    if (!Array.isArray(operations)) {
      errors[fieldId] = 'Operations must be a list.';
      continue;
    }
    let labels = [...current.labels];
    for (const operation of operations as Array<Record<string, unknown>>) {
      if (operation && 'set' in operation) {
        folded[fieldId] = operation['set'];
        if (fieldId === 'labels' && Array.isArray(operation['set'])) labels = [...(operation['set'] as string[])];
      } else if (fieldId === 'labels' && operation && typeof operation['add'] === 'string') {
        labels = [...labels, operation['add'] as string];
        folded[fieldId] = labels;
      } else if (fieldId === 'labels' && operation && typeof operation['remove'] === 'string') {
        labels = labels.filter((label) => label !== operation['remove']);
        folded[fieldId] = labels;
      } else {
        errors[fieldId] = `Field '${fieldId}' does not support this operation.`;
      }
    }
  }
  return folded;
}

export const editIssue: Handler = (context, state) => {
  const issue = pathIssue(context, state);
  const body = objectBody(context);
  const fields = asObject(body['fields']);
  const update = asObject(body['update']);
  if (Object.keys(fields).length === 0 && Object.keys(update).length === 0)
    throw badRequest("Can not deserialize the request: no 'fields' or 'update' given.");
  const errors: Record<string, string> = {};
  for (const fieldId of Object.keys(update)) {
    if (fieldId in fields) errors[fieldId] = `Field '${fieldId}' cannot appear in both 'fields' and 'update'`;
  }
  const folded = foldUpdateOperations(update, issue, errors);
  const valueContext = fieldValueContextFor(context, state);
  const resolved = resolveFieldValues(valueContext, { ...fields, ...folded });
  Object.assign(errors, resolved.errors);
  if (Object.keys(errors).length > 0) throw fieldErrors(errors);
  state.store.recordChange(issue, context.caller.accountId, applyValues(valueContext, issue, resolved.values), context.now);
  recordWrite(state, context, issue.key, 'edit');
  return { status: 204 };
};

/** Reads `{key}` or `{id}` references such as `project` and `issuetype`. */
function reference(value: unknown): { id?: string; key?: string; name?: string } {
  return typeof value === 'object' && value !== null ? (value as { id?: string; key?: string; name?: string }) : {};
}

/** Create's `properties`: `[{key, value}]`, stored with the issue in the same request. */
function entityProperties(value: unknown, errors: Record<string, string>): Record<string, unknown> {
  if (value === undefined) return {};
  const list = Array.isArray(value) ? (value as unknown[]) : [];
  const valid = list.every((entry) => typeof asObject(entry)['key'] === 'string' && (asObject(entry)['key'] as string).length > 0 && 'value' in asObject(entry));
  if (!Array.isArray(value) || !valid) {
    errors['properties'] = 'Properties must be a list of objects with a key and a value.';
    return {};
  }
  return Object.fromEntries(list.map((entry) => [asObject(entry)['key'] as string, asObject(entry)['value']]));
}

export const createIssue: Handler = (context, state) => {
  const body = objectBody(context);
  const fields = asObject(body['fields']);
  const errors: Record<string, string> = {};
  const properties = entityProperties(body['properties'], errors);
  const projectRef = reference(fields['project']);
  const project = state.store.project(projectRef.key ?? projectRef.id ?? '');
  if (!project) errors['project'] = 'Specify a valid project ID or key';
  const typeRef = reference(fields['issuetype']);
  const issueType = project?.issueTypes.find((type) => type.id === typeRef.id || type.name === typeRef.name);
  if (project && !issueType) errors['issuetype'] = 'Specify an issue type';
  if (fields['summary'] === undefined) errors['summary'] = 'You must specify a summary of the issue.';
  const valueContext = fieldValueContextFor(context, state);
  const resolved = resolveFieldValues(valueContext, fields, ['project', 'issuetype']);
  Object.assign(errors, resolved.errors);
  if (Object.keys(errors).length > 0 || !project || !issueType) throw fieldErrors(errors);
  const defaults: EditableValues = {
    summary: '',
    description: null,
    priorityId: state.store.priorities.find((priority) => priority.isDefault)?.id ?? null,
    assigneeAccountId: null,
    labels: [],
    customFields: {},
  };
  const values = { ...defaults, ...resolved.values };
  const issue = state.store.create(
    {
      projectKey: project.key,
      issueTypeId: issueType.id,
      summary: values.summary,
      description: values.description,
      statusId: state.store.requireStatusByName(project, project.workflow.initialStatus).id,
      priorityId: values.priorityId,
      resolutionId: null,
      customFields: values.customFields,
      assigneeAccountId: values.assigneeAccountId,
      reporterAccountId: context.caller.accountId,
      labels: values.labels,
      created: context.now,
      updated: context.now,
    },
    properties,
  );
  recordWrite(state, context, issue.key, 'create');
  return { status: 201, body: { id: issue.id, key: issue.key, self: `${context.baseUrl}/rest/api/${context.apiVersion}/issue/${issue.id}` } };
};

/** Cloud's paged changelog, oldest first. */
export const getChangelog: Handler = (context, state) => {
  const issue = pathIssue(context, state);
  const startAt = intParam(context.query.get('startAt'), 'startAt', 0);
  const maxResults = Math.min(intParam(context.query.get('maxResults'), 'maxResults', 100), 100);
  if (maxResults === 0) throw new JiraHttpError(400, ["The 'maxResults' parameter must be greater than 0."]);
  const self = `${context.baseUrl}/rest/api/${context.apiVersion}/issue/${issue.key}/changelog`;
  const target = renderTargetFor(context, state);
  return { status: 200, body: pageBean(self, issue.changelog, startAt, maxResults, (history) => renderHistory(target, history)) };
};
