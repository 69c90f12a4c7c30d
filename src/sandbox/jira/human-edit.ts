import type { EmulatorState } from './context.js';
import { applyStatus, applyValues, type EditableValues, type FieldValueContext } from './field-values.js';

/** A change a person makes in JIRA's UI, outside the API. */
export interface HumanEdit {
  summary?: string;
  description?: string | null;
  /** Status name; set directly, as an admin could, without the workflow. */
  status?: string;
  /** Priority name; also sets the matching `customfield_11064` option ("1".."5") when the seed has that field. */
  priority?: string;
  /** Option value of `customfield_11064` alone, to make the two priority fields disagree. */
  customfield_11064?: string | null;
  /** accountId, login name or email; null unassigns. */
  assignee?: string | null;
}

const PRIORITY_OPTION_FIELD = 'customfield_11064';

/** Applies a person's edit the way JIRA records one: changed fields only, one history entry, `updated` bumped. */
export function applyHumanEdit(state: EmulatorState, key: string, user: string, edit: HumanEdit): void {
  const issue = state.store.issue(key);
  const author = state.store.userByAnyId(user);
  if (!issue) throw new Error(`editAsUser: no issue ${key}`);
  if (!author) throw new Error(`editAsUser: no user ${user}`);
  const context: FieldValueContext = { store: state.store, mode: state.mode, apiVersion: 2 };
  const values: Partial<EditableValues> = {};
  if (edit.summary !== undefined) values.summary = edit.summary;
  if (edit.description !== undefined) values.description = edit.description;
  const customFields: Record<string, string | null> = {};
  if (edit.priority !== undefined) {
    const priority = state.store.priorityByName(edit.priority);
    if (!priority) throw new Error(`editAsUser: no priority ${edit.priority}`);
    values.priorityId = priority.id;
    const mirrored = state.store.optionByValue(PRIORITY_OPTION_FIELD, priority.id);
    if (mirrored) customFields[PRIORITY_OPTION_FIELD] = mirrored.id;
  }
  if (edit.customfield_11064 !== undefined) {
    const option = edit.customfield_11064 === null ? null : state.store.optionByValue(PRIORITY_OPTION_FIELD, edit.customfield_11064);
    if (option === undefined) throw new Error(`editAsUser: no ${PRIORITY_OPTION_FIELD} option ${edit.customfield_11064}`);
    customFields[PRIORITY_OPTION_FIELD] = option === null ? null : option.id;
  }
  if (Object.keys(customFields).length > 0) values.customFields = customFields;
  if (edit.assignee !== undefined) {
    const assignee = edit.assignee === null ? null : state.store.userByAnyId(edit.assignee);
    if (assignee === undefined) throw new Error(`editAsUser: no user ${edit.assignee}`);
    values.assigneeAccountId = assignee === null ? null : assignee.accountId;
  }
  const items = applyValues(context, issue, values);
  if (edit.status !== undefined) {
    const project = state.store.requireProject(issue.projectKey);
    items.push(...applyStatus(context, issue, state.store.status(project, issue.statusId), state.store.requireStatusByName(project, edit.status), null));
  }
  state.store.recordChange(issue, author.accountId, items, state.now());
}
