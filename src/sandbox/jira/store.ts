import type { ParsedJiraSeed, SeedPriority, SeedProject, SeedStatus, SeedUser } from './seed.js';

/** The searchable, editable values of an issue (what a search index would hold). */
export interface IssueFields {
  id: string;
  key: string;
  projectKey: string;
  issueTypeId: string;
  summary: string;
  description: string | null;
  statusId: string;
  priorityId: string | null;
  resolutionId: string | null;
  /** Select custom fields: option id by field id (a list of them for a multi-select). */
  customFields: Record<string, CustomFieldValue>;
  assigneeAccountId: string | null;
  reporterAccountId: string | null;
  labels: string[];
  /** Epoch milliseconds. */
  created: number;
  updated: number;
}

export type CustomFieldValue = string | string[] | null;

/** A link from an issue to a page outside JIRA (`POST issue/{key}/remotelink`); `globalId` makes a repeat update it. */
export interface RemoteLink {
  id: number;
  globalId: string | null;
  url: string;
  title: string;
}

export interface ChangeItem {
  field: string;
  fieldtype: 'jira' | 'custom';
  fieldId: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}

export interface ChangeHistory {
  id: string;
  authorAccountId: string;
  created: number;
  items: ChangeItem[];
}

export interface IssueComment {
  id: string;
  authorAccountId: string;
  body: string;
  created: number;
}

export interface EmulatedIssue extends IssueFields {
  changelog: ChangeHistory[];
  comments: IssueComment[];
  remoteLinks: RemoteLink[];
  /** Issue entity properties, by key: JSON values apps stamp on an issue. */
  properties: Record<string, unknown>;
}

/** A past state of an issue and when it was written, so searches can lag behind writes. */
interface IssueVersion {
  writtenAt: number;
  fields: IssueFields;
}

/** Copies only the indexed values, so a snapshot never shares state with the live issue. */
function cloneFields(source: IssueFields): IssueFields {
  return {
    id: source.id,
    key: source.key,
    projectKey: source.projectKey,
    issueTypeId: source.issueTypeId,
    summary: source.summary,
    description: source.description,
    statusId: source.statusId,
    priorityId: source.priorityId,
    resolutionId: source.resolutionId,
    customFields: Object.fromEntries(Object.entries(source.customFields).map(([id, value]) => [id, Array.isArray(value) ? [...value] : value])),
    assigneeAccountId: source.assigneeAccountId,
    reporterAccountId: source.reporterAccountId,
    labels: [...source.labels],
    created: source.created,
    updated: source.updated,
  };
}

/** In-memory JIRA data: reference data from the seed, and issues with their version history. */
export class JiraStore {
  readonly users: SeedUser[];
  readonly priorities: SeedPriority[];
  readonly resolutions: ParsedJiraSeed['resolutions'];
  readonly customFields: ParsedJiraSeed['customFields'];
  readonly projects: SeedProject[];
  private readonly issues = new Map<string, EmulatedIssue>();
  private readonly versions = new Map<string, IssueVersion[]>();
  /** Issue id → key: a search's reconcileIssues names issues by id, and a scan of every issue for each is 0.3 s at 10,000. */
  private readonly keysById = new Map<string, string>();
  private nextHistoryId = 100_000;
  private nextCommentId = 200_000;
  private nextRemoteLinkId = 300_000;
  /** Told of every recorded change, as JIRA's webhook sender is. */
  onChange: ((issue: EmulatedIssue, history: ChangeHistory) => void) | undefined;

  constructor(seed: ParsedJiraSeed) {
    this.users = seed.users;
    this.priorities = seed.priorities;
    this.resolutions = seed.resolutions;
    this.customFields = seed.customFields;
    this.projects = seed.projects;
    for (const issue of seed.issues) {
      const project = this.requireProject(issue.project);
      const fields: IssueFields = {
        id: issue.id,
        key: issue.key,
        projectKey: project.key,
        issueTypeId: (project.issueTypes.find((type) => type.name === issue.issueType) ?? project.issueTypes[0]!).id,
        summary: issue.summary,
        description: issue.description,
        statusId: this.requireStatusByName(project, issue.status).id,
        priorityId: issue.priority === null ? null : this.priorityByName(issue.priority)!.id,
        resolutionId: issue.resolution === null ? null : this.resolutions.find((r) => r.name === issue.resolution)!.id,
        customFields: Object.fromEntries(
          Object.entries(issue.customFields).map(([fieldId, value]) => [fieldId, value === null ? null : this.optionByValue(fieldId, value)!.id]),
        ),
        assigneeAccountId: issue.assignee,
        reporterAccountId: issue.reporter,
        labels: [...issue.labels],
        created: parseJiraTimestamp(issue.created),
        updated: parseJiraTimestamp(issue.updated),
      };
      this.issues.set(issue.key, { ...fields, changelog: [], comments: [], remoteLinks: [], properties: {} });
      this.keysById.set(issue.id, issue.key);
      this.versions.set(issue.key, [{ writtenAt: Number.NEGATIVE_INFINITY, fields: cloneFields(fields) }]);
    }
  }

  issue(keyOrId: string): EmulatedIssue | undefined {
    const key = this.keysById.get(keyOrId) ?? keyOrId.toUpperCase();
    return this.issues.get(key);
  }

  /** Issues as a search index sees them at `indexedBefore`: the last version written by then. */
  indexedIssues(indexedBefore: number): IssueFields[] {
    const visible: IssueFields[] = [];
    for (const history of this.versions.values()) {
      const latest = latestVersion(history, indexedBefore);
      if (latest) visible.push(latest.fields);
    }
    return visible;
  }

  /** The indexed copies of the named issues only: a `key in (...)` search needs no scan of every issue. */
  indexedIssuesNamed(keys: readonly string[], indexedBefore: number): IssueFields[] {
    const visible: IssueFields[] = [];
    for (const key of new Set(keys)) {
      const history = this.versions.get(key);
      const latest = history && latestVersion(history, indexedBefore);
      if (latest) visible.push(latest.fields);
    }
    return visible;
  }

  create(fields: Omit<IssueFields, 'id' | 'key'>, properties: Record<string, unknown> = {}): EmulatedIssue {
    const ids = [...this.issues.values()].map((issue) => Number(issue.id));
    const numbers = [...this.issues.values()]
      .filter((issue) => issue.projectKey === fields.projectKey)
      .map((issue) => Number(issue.key.split('-')[1]));
    const issue: EmulatedIssue = {
      ...fields,
      id: String(Math.max(10_000, ...ids) + 1),
      key: `${fields.projectKey}-${Math.max(0, ...numbers) + 1}`,
      changelog: [],
      comments: [],
      remoteLinks: [],
      properties: { ...properties },
    };
    this.issues.set(issue.key, issue);
    this.keysById.set(issue.id, issue.key);
    this.versions.set(issue.key, [{ writtenAt: Date.now(), fields: cloneFields(issue) }]);
    return issue;
  }

  /** Applies changed values as one history entry by `authorAccountId`; no items means nothing changed and nothing is recorded. */
  recordChange(issue: EmulatedIssue, authorAccountId: string, items: ChangeItem[], now: number): void {
    if (items.length === 0) return;
    issue.updated = now;
    const history: ChangeHistory = { id: String(this.nextHistoryId++), authorAccountId, created: now, items };
    issue.changelog.push(history);
    this.snapshot(issue);
    this.onChange?.(issue, history);
  }

  addComment(issue: EmulatedIssue, authorAccountId: string, body: string, now: number): IssueComment {
    const comment: IssueComment = { id: String(this.nextCommentId++), authorAccountId, body, created: now };
    issue.comments.push(comment);
    issue.updated = now;
    this.snapshot(issue);
    return comment;
  }

  /** Adds a remote link, or updates the one with the same `globalId`, as JIRA does. */
  upsertRemoteLink(issue: EmulatedIssue, link: Omit<RemoteLink, 'id'>): { link: RemoteLink; created: boolean } {
    const existing = link.globalId === null ? undefined : issue.remoteLinks.find((candidate) => candidate.globalId === link.globalId);
    if (existing) {
      Object.assign(existing, link);
      return { link: existing, created: false };
    }
    const added = { ...link, id: this.nextRemoteLinkId++ };
    issue.remoteLinks.push(added);
    return { link: added, created: true };
  }

  project(key: string): SeedProject | undefined {
    return this.projects.find((project) => project.key === key.toUpperCase() || project.id === key);
  }

  requireProject(key: string): SeedProject {
    const project = this.project(key);
    if (!project) throw new Error(`unknown project ${key}`);
    return project;
  }

  requireStatusByName(project: SeedProject, name: string): SeedStatus {
    const status = project.workflow.statuses.find((candidate) => candidate.name === name);
    if (!status) throw new Error(`unknown status ${name} in ${project.key}`);
    return status;
  }

  status(project: SeedProject, statusId: string): SeedStatus {
    return project.workflow.statuses.find((status) => status.id === statusId)!;
  }

  priorityByName(name: string): SeedPriority | undefined {
    return this.priorities.find((priority) => priority.name === name);
  }

  priorityById(id: string): SeedPriority | undefined {
    return this.priorities.find((priority) => priority.id === id);
  }

  optionByValue(fieldId: string, value: string): { id: string; value: string } | undefined {
    return this.customFields.find((field) => field.id === fieldId)?.options.find((option) => option.value === value);
  }

  optionById(fieldId: string, id: string): { id: string; value: string } | undefined {
    return this.customFields.find((field) => field.id === fieldId)?.options.find((option) => option.id === id);
  }

  userByAccountId(accountId: string): SeedUser | undefined {
    return this.users.find((user) => user.accountId === accountId);
  }

  userByName(name: string): SeedUser | undefined {
    return this.users.find((user) => user.name === name);
  }

  /** Test helpers name users loosely: accountId, DC login or email. */
  userByAnyId(id: string): SeedUser | undefined {
    const lower = id.toLowerCase();
    return this.users.find((user) => user.accountId === id || user.name === id || user.email.toLowerCase() === lower);
  }

  // The index lags behind writes in real time, whatever JIRA's clock (and so `updated`) says.
  private snapshot(issue: EmulatedIssue): void {
    this.versions.get(issue.key)!.push({ writtenAt: Date.now(), fields: cloneFields(issue) });
  }
}

/** Parses `2026-11-27T10:00:00.000+0000` (JIRA's offset has no colon) and ISO forms. */
export function parseJiraTimestamp(value: string): number {
  return Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

/** Formats like JIRA does: `2026-11-27T10:00:00.000+0000`. */
export function formatJiraTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('Z', '+0000');
}

/** The newest version written at or before `indexedBefore`; versions are kept oldest first. */
function latestVersion(history: readonly IssueVersion[], indexedBefore: number): IssueVersion | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const version = history[i] as IssueVersion;
    if (version.writtenAt <= indexedBefore) return version;
  }
  return undefined;
}
