import { textToAdf } from './adf.js';
import type { JiraMode } from './auth.js';
import type { SeedPriority, SeedStatus, SeedUser, StatusCategoryKey } from './seed.js';
import { formatJiraTimestamp, type ChangeHistory, type IssueComment, type IssueFields, type JiraStore } from './store.js';

/** Where a response is rendered: links, API version (rich text) and deployment (user identity). */
export interface RenderTarget {
  baseUrl: string;
  apiVersion: 2 | 3;
  mode: JiraMode;
  viewer: SeedUser;
  store: JiraStore;
}

function api(target: RenderTarget): string {
  return `${target.baseUrl}/rest/api/${target.apiVersion}`;
}

function avatarUrls(target: RenderTarget, seed: string): Record<string, string> {
  const base = `${target.baseUrl}/secure/useravatar?ownerId=${encodeURIComponent(seed)}`;
  return { '48x48': `${base}&size=48`, '24x24': `${base}&size=24`, '16x16': `${base}&size=16`, '32x32': `${base}&size=32` };
}

/** Cloud names people by accountId and hides private emails from everyone but themselves; DC by login name. */
export function renderUser(target: RenderTarget, user: SeedUser): Record<string, unknown> {
  if (target.mode === 'datacenter') {
    return {
      self: `${api(target)}/user?username=${encodeURIComponent(user.name)}`,
      key: user.name,
      name: user.name,
      emailAddress: user.email,
      avatarUrls: avatarUrls(target, user.name),
      displayName: user.displayName,
      active: user.active,
      timeZone: user.timeZone,
    };
  }
  const emailShown = user.emailVisible || user.accountId === target.viewer.accountId;
  return {
    self: `${api(target)}/user?accountId=${user.accountId}`,
    accountId: user.accountId,
    accountType: 'atlassian',
    ...(emailShown ? { emailAddress: user.email } : {}),
    avatarUrls: avatarUrls(target, user.accountId),
    displayName: user.displayName,
    active: user.active,
    timeZone: user.timeZone,
  };
}

function renderUserById(target: RenderTarget, accountId: string | null): Record<string, unknown> | null {
  const user = accountId === null ? undefined : target.store.userByAccountId(accountId);
  return user ? renderUser(target, user) : null;
}

const STATUS_CATEGORIES: Record<StatusCategoryKey, { id: number; colorName: string; name: string }> = {
  new: { id: 2, colorName: 'blue-gray', name: 'To Do' },
  indeterminate: { id: 4, colorName: 'yellow', name: 'In Progress' },
  done: { id: 3, colorName: 'green', name: 'Done' },
};

export function renderStatus(target: RenderTarget, status: SeedStatus): Record<string, unknown> {
  const category = STATUS_CATEGORIES[status.category];
  return {
    self: `${api(target)}/status/${status.id}`,
    description: '',
    iconUrl: `${target.baseUrl}/images/icons/statuses/generic.png`,
    name: status.name,
    id: status.id,
    statusCategory: {
      self: `${api(target)}/statuscategory/${category.id}`,
      id: category.id,
      key: status.category,
      colorName: category.colorName,
      name: category.name,
    },
  };
}

export function renderPriority(target: RenderTarget, priority: SeedPriority, full: boolean): Record<string, unknown> {
  const summary = {
    self: `${api(target)}/priority/${priority.id}`,
    iconUrl: `${target.baseUrl}/images/icons/priorities/${priority.name.toLowerCase()}.svg`,
    name: priority.name,
    id: priority.id,
  };
  return full ? { ...summary, description: priority.description, statusColor: priority.statusColor, isDefault: priority.isDefault } : summary;
}

function renderRichText(target: RenderTarget, text: string | null): unknown {
  if (text === null) return null;
  return target.apiVersion === 3 ? textToAdf(text) : text;
}

/** Every field the emulator knows, by field id, as GET issue returns them. */
function renderAllFields(target: RenderTarget, issue: IssueFields): Record<string, unknown> {
  const { store } = target;
  const project = store.requireProject(issue.projectKey);
  const priority = issue.priorityId === null ? undefined : store.priorityById(issue.priorityId);
  const resolution = store.resolutions.find((candidate) => candidate.id === issue.resolutionId);
  const issueType = project.issueTypes.find((type) => type.id === issue.issueTypeId)!;
  const fields: Record<string, unknown> = {
    summary: issue.summary,
    description: renderRichText(target, issue.description),
    status: renderStatus(target, store.status(project, issue.statusId)),
    priority: priority ? renderPriority(target, priority, false) : null,
    assignee: renderUserById(target, issue.assigneeAccountId),
    reporter: renderUserById(target, issue.reporterAccountId),
    labels: [...issue.labels],
    created: formatJiraTimestamp(issue.created),
    updated: formatJiraTimestamp(issue.updated),
    resolution: resolution ? { self: `${api(target)}/resolution/${resolution.id}`, id: resolution.id, name: resolution.name, description: '' } : null,
    project: { self: `${api(target)}/project/${project.id}`, id: project.id, key: project.key, name: project.name, projectTypeKey: 'software' },
    issuetype: { self: `${api(target)}/issuetype/${issueType.id}`, id: issueType.id, name: issueType.name, subtask: false },
  };
  const renderOption = (fieldId: string, optionId: string) => {
    const option = store.optionById(fieldId, optionId);
    return option ? { self: `${api(target)}/customFieldOption/${option.id}`, value: option.value, id: option.id } : null;
  };
  for (const field of store.customFields) {
    const value = issue.customFields[field.id] ?? null;
    fields[field.id] = value === null ? null : Array.isArray(value) ? value.map((id) => renderOption(field.id, id)) : renderOption(field.id, value);
  }
  return fields;
}

/**
 * Which fields to return, from a `fields` list: `*all`/`*navigable` for everything, names, `-name` exclusions.
 * `undefined` means the endpoint's default, given as `fallback`.
 */
export function fieldSelector(requested: string[] | undefined, fallback: string[]): (fieldId: string) => boolean {
  const list = requested && requested.length > 0 ? requested : fallback;
  const all = list.some((entry) => entry === '*all' || entry === '*navigable');
  const included = new Set(list.filter((entry) => !entry.startsWith('-') && !entry.startsWith('*')));
  const excluded = new Set(list.filter((entry) => entry.startsWith('-')).map((entry) => entry.slice(1)));
  const onlyExclusions = included.size === 0 && !all && excluded.size > 0;
  return (fieldId) => !excluded.has(fieldId) && (all || onlyExclusions || included.has(fieldId));
}

export function renderIssue(
  target: RenderTarget,
  issue: IssueFields,
  selected: (fieldId: string) => boolean,
  changelog?: ChangeHistory[],
): Record<string, unknown> {
  const fields = Object.fromEntries(Object.entries(renderAllFields(target, issue)).filter(([fieldId]) => selected(fieldId)));
  const onlyIdentity = Object.keys(fields).length === 0;
  // JIRA's id-only answer (the search/jql default) carries nothing else.
  if (onlyIdentity && !selected('key') && changelog === undefined) return { id: issue.id };
  return {
    expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
    id: issue.id,
    self: `${api(target)}/issue/${issue.id}`,
    key: issue.key,
    ...(onlyIdentity ? {} : { fields }),
    ...(changelog === undefined
      ? {}
      : {
          changelog: {
            startAt: 0,
            maxResults: changelog.length,
            total: changelog.length,
            histories: [...changelog].reverse().map((history) => renderHistory(target, history)),
          },
        }),
  };
}

export function renderHistory(target: RenderTarget, history: ChangeHistory): Record<string, unknown> {
  return {
    id: history.id,
    author: renderUserById(target, history.authorAccountId),
    created: formatJiraTimestamp(history.created),
    // The spec types from/to as strings, so empty ends are left out rather than sent as null.
    items: history.items.map((item) => Object.fromEntries(Object.entries(item).filter(([, value]) => value !== null))),
  };
}

export function renderComment(target: RenderTarget, issue: IssueFields, comment: IssueComment): Record<string, unknown> {
  const author = renderUserById(target, comment.authorAccountId);
  return {
    self: `${api(target)}/issue/${issue.id}/comment/${comment.id}`,
    id: comment.id,
    author,
    body: renderRichText(target, comment.body),
    updateAuthor: author,
    created: formatJiraTimestamp(comment.created),
    updated: formatJiraTimestamp(comment.created),
    jsdPublic: true,
  };
}
