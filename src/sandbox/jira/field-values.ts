import { adfToText, isAdfDocument } from './adf.js';
import type { JiraMode } from './auth.js';
import type { SeedStatus, SeedUser } from './seed.js';
import type { ChangeItem, CustomFieldValue, IssueFields, JiraStore } from './store.js';

/** The fields a caller may set through edit or create; status and resolution move only through transitions. */
export interface EditableValues {
  summary: string;
  description: string | null;
  priorityId: string | null;
  assigneeAccountId: string | null;
  labels: string[];
  customFields: Record<string, CustomFieldValue>;
}

export interface FieldValueContext {
  store: JiraStore;
  mode: JiraMode;
  apiVersion: 2 | 3;
}

export interface ResolvedValues {
  values: Partial<EditableValues>;
  /** Per-field messages, JIRA's `errors` object. */
  errors: Record<string, string>;
}

export function cannotBeSet(fieldId: string): string {
  return `Field '${fieldId}' cannot be set. It is not on the appropriate screen, or unknown.`;
}

function resolveSummary(value: unknown): string | { error: string } {
  if (typeof value !== 'string' || value.trim() === '') return { error: 'You must specify a summary of the issue.' };
  if (/[\r\n]/.test(value)) return { error: 'The summary is invalid because it contains newline characters.' };
  if (value.length > 255) return { error: 'Summary must be less than 255 characters.' };
  return value;
}

function resolveDescription(context: FieldValueContext, value: unknown): string | null | { error: string } {
  if (value === null) return null;
  if (context.apiVersion === 3) {
    return isAdfDocument(value) ? adfToText(value) : { error: 'Operation value must be an Atlassian Document (see the Atlassian Document Format).' };
  }
  return typeof value === 'string' ? value : { error: 'Operation value must be a string' };
}

function resolvePriority(context: FieldValueContext, value: unknown): string | { error: string } {
  const reference = (typeof value === 'object' && value !== null ? value : {}) as { id?: unknown; name?: unknown };
  const priority =
    typeof reference.id === 'string'
      ? context.store.priorityById(reference.id)
      : typeof reference.name === 'string'
        ? context.store.priorityByName(reference.name)
        : undefined;
  if (!priority) {
    if (typeof reference.name === 'string') return { error: `Priority name '${reference.name}' is not valid` };
    if (typeof reference.id === 'string') return { error: `Priority with id '${reference.id}' does not exist` };
    return { error: "Could not find valid 'id' or 'name' in priority object." };
  }
  return priority.id;
}

function resolveAssignee(context: FieldValueContext, value: unknown): string | null | { error: string } {
  if (value === null) return null;
  const reference = (typeof value === 'object' && value !== null ? value : {}) as { accountId?: unknown; name?: unknown };
  let user: SeedUser | undefined;
  if (context.mode === 'cloud') {
    // Cloud dropped user names for privacy (GDPR); only accountId identifies a person.
    if (typeof reference.accountId !== 'string') return { error: "Specify the assignee by 'accountId'; 'name' is no longer supported." };
    user = context.store.userByAccountId(reference.accountId);
  } else {
    if (typeof reference.name !== 'string') return { error: "Specify the assignee by 'name'." };
    user = context.store.userByName(reference.name);
  }
  if (!user) return { error: 'Specified user does not exist or you do not have required permissions' };
  if (!user.active || !user.assignable) return { error: `User '${user.displayName}' cannot be assigned issues.` };
  return user.accountId;
}

function resolveLabels(value: unknown): string[] | { error: string } {
  if (!Array.isArray(value) || value.some((label) => typeof label !== 'string')) return { error: 'Labels must be a list of strings.' };
  const spaced = (value as string[]).find((label) => /\s/.test(label) || label === '');
  if (spaced !== undefined) return { error: `The label '${spaced}' contains spaces which is invalid.` };
  return [...new Set(value as string[])];
}

function resolveOption(context: FieldValueContext, fieldId: string, value: unknown): string | null | { error: string } {
  if (value === null) return null;
  const reference = (typeof value === 'object' && value !== null ? value : {}) as { id?: unknown; value?: unknown };
  const option =
    typeof reference.id === 'string'
      ? context.store.optionById(fieldId, reference.id)
      : typeof reference.value === 'string'
        ? context.store.optionByValue(fieldId, reference.value)
        : undefined;
  if (option) return option.id;
  if (typeof reference.value === 'string') return { error: `Option value '${reference.value}' is not valid` };
  if (typeof reference.id === 'string') return { error: `Option id '${reference.id}' is not valid` };
  return { error: "Specify a valid 'id' or 'value' for the option." };
}

/** A multi-select takes a list of option references (`[{"value": "PRD"}, …]`); an empty list or null clears it. */
function resolveOptions(context: FieldValueContext, fieldId: string, value: unknown): string[] | null | { error: string } {
  if (value === null) return null;
  if (!Array.isArray(value)) return { error: `Field '${fieldId}' takes a list of options.` };
  const ids: string[] = [];
  for (const reference of value) {
    const resolved = resolveOption(context, fieldId, reference);
    if (isError(resolved)) return resolved;
    if (resolved !== null && !ids.includes(resolved)) ids.push(resolved);
  }
  return ids.length === 0 ? null : ids;
}

function isError(value: unknown): value is { error: string } {
  return typeof value === 'object' && value !== null && 'error' in value;
}

/** Validates a `fields` object; `ignored` names fields the caller handles itself (create's project and issuetype). */
export function resolveFieldValues(context: FieldValueContext, input: Record<string, unknown>, ignored: string[] = []): ResolvedValues {
  const values: Partial<EditableValues> = {};
  const errors: Record<string, string> = {};
  const customFields: Record<string, CustomFieldValue> = {};
  for (const [fieldId, raw] of Object.entries(input)) {
    if (ignored.includes(fieldId)) continue;
    let resolved: unknown;
    switch (fieldId) {
      case 'summary':
        resolved = resolveSummary(raw);
        if (!isError(resolved)) values.summary = resolved as string;
        break;
      case 'description':
        resolved = resolveDescription(context, raw);
        if (!isError(resolved)) values.description = resolved as string | null;
        break;
      case 'priority':
        resolved = resolvePriority(context, raw);
        if (!isError(resolved)) values.priorityId = resolved as string;
        break;
      case 'assignee':
        resolved = resolveAssignee(context, raw);
        if (!isError(resolved)) values.assigneeAccountId = resolved as string | null;
        break;
      case 'labels':
        resolved = resolveLabels(raw);
        if (!isError(resolved)) values.labels = resolved as string[];
        break;
      default:
        const custom = context.store.customFields.find((field) => field.id === fieldId);
        if (custom) {
          resolved = custom.multiple ? resolveOptions(context, fieldId, raw) : resolveOption(context, fieldId, raw);
          if (!isError(resolved)) customFields[fieldId] = resolved as CustomFieldValue;
        } else {
          resolved = { error: cannotBeSet(fieldId) };
        }
    }
    if (isError(resolved)) errors[fieldId] = resolved.error;
  }
  if (Object.keys(customFields).length > 0) values.customFields = customFields;
  return { values, errors };
}

function userItem(context: FieldValueContext, accountId: string | null): { id: string | null; label: string | null } {
  const user = accountId === null ? undefined : context.store.userByAccountId(accountId);
  if (!user) return { id: null, label: null };
  return { id: context.mode === 'cloud' ? user.accountId : user.name, label: user.displayName };
}

function textItem(fieldId: string, from: string | null, to: string | null): ChangeItem {
  return { field: fieldId, fieldtype: 'jira', fieldId, from: null, fromString: from, to: null, toString: to };
}

/** Writes the values into the issue and returns a changelog item for each one that changed. */
export function applyValues(context: FieldValueContext, issue: IssueFields, values: Partial<EditableValues>): ChangeItem[] {
  const { store } = context;
  const items: ChangeItem[] = [];
  if (values.summary !== undefined && values.summary !== issue.summary) {
    items.push(textItem('summary', issue.summary, values.summary));
    issue.summary = values.summary;
  }
  if (values.description !== undefined && values.description !== issue.description) {
    items.push(textItem('description', issue.description, values.description));
    issue.description = values.description;
  }
  if (values.priorityId !== undefined && values.priorityId !== issue.priorityId) {
    const from = issue.priorityId === null ? undefined : store.priorityById(issue.priorityId);
    const to = values.priorityId === null ? undefined : store.priorityById(values.priorityId);
    items.push({
      field: 'priority',
      fieldtype: 'jira',
      fieldId: 'priority',
      from: from?.id ?? null,
      fromString: from?.name ?? null,
      to: to?.id ?? null,
      toString: to?.name ?? null,
    });
    issue.priorityId = values.priorityId;
  }
  if (values.assigneeAccountId !== undefined && values.assigneeAccountId !== issue.assigneeAccountId) {
    const from = userItem(context, issue.assigneeAccountId);
    const to = userItem(context, values.assigneeAccountId);
    items.push({ field: 'assignee', fieldtype: 'jira', fieldId: 'assignee', from: from.id, fromString: from.label, to: to.id, toString: to.label });
    issue.assigneeAccountId = values.assigneeAccountId;
  }
  if (values.labels !== undefined && values.labels.join(' ') !== issue.labels.join(' ')) {
    items.push(textItem('labels', issue.labels.join(' '), values.labels.join(' ')));
    issue.labels = [...values.labels];
  }
  for (const [fieldId, optionId] of Object.entries(values.customFields ?? {})) {
    const previous = issue.customFields[fieldId] ?? null;
    if (sameOptions(previous, optionId)) continue;
    const field = store.customFields.find((candidate) => candidate.id === fieldId)!;
    const ids = (value: CustomFieldValue) => (value === null ? null : [value].flat().join(','));
    const names = (value: CustomFieldValue) => (value === null ? null : [value].flat().map((id) => store.optionById(fieldId, id)?.value ?? id).join(','));
    items.push({
      field: field.name,
      fieldtype: 'custom',
      fieldId,
      from: ids(previous),
      fromString: names(previous),
      to: ids(optionId),
      toString: names(optionId),
    });
    issue.customFields[fieldId] = optionId;
  }
  return items;
}

function sameOptions(a: CustomFieldValue, b: CustomFieldValue): boolean {
  return a === b || (Array.isArray(a) && Array.isArray(b) && a.join(',') === b.join(','));
}

/** Moves the issue to `to`; a resolution is kept only in done-category statuses, as JIRA's standard post functions do. */
export function applyStatus(context: FieldValueContext, issue: IssueFields, from: SeedStatus, to: SeedStatus, resolutionId: string | null): ChangeItem[] {
  const items: ChangeItem[] = [];
  if (from.id !== to.id) {
    items.push({ field: 'status', fieldtype: 'jira', fieldId: 'status', from: from.id, fromString: from.name, to: to.id, toString: to.name });
    issue.statusId = to.id;
  }
  const nextResolution = to.category === 'done' ? (resolutionId ?? issue.resolutionId) : null;
  if (nextResolution !== issue.resolutionId) {
    const name = (id: string | null) => context.store.resolutions.find((resolution) => resolution.id === id)?.name ?? null;
    items.push({
      field: 'resolution',
      fieldtype: 'jira',
      fieldId: 'resolution',
      from: issue.resolutionId,
      fromString: name(issue.resolutionId),
      to: nextResolution,
      toString: name(nextResolution),
    });
    issue.resolutionId = nextResolution;
  }
  return items;
}
