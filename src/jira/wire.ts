import { z } from 'zod';
import { InvalidRecordError, MalformedResponseError, valueAt } from '../net/errors.js';
import type { JiraIssue, JiraUser } from './issue.js';
import type { JiraTransition } from './transition.js';
import type { JiraWorkflow, WorkflowScope } from './workflow.js';

/** A user as JIRA REST v2 sends one: Cloud has accountId, DC has name; privacy may drop the email. */
const wireUser = z.object({
  accountId: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
  emailAddress: z.string().nullish(),
  displayName: z.string().nullish(),
});

export function toJiraUser(user: z.output<typeof wireUser>): JiraUser {
  return {
    accountId: user.accountId ?? null,
    name: user.name ?? null,
    email: user.emailAddress || null,
    displayName: user.displayName ?? null,
  };
}

/** The standard priority is `{name}`; a select custom field is `{value}`. */
function priorityValue(priorityField: string) {
  return priorityField === 'priority'
    ? z.object({ name: z.string() }).transform((priority) => priority.name)
    : z.object({ value: z.string() }).transform((option) => option.value);
}

/** Issue fields raidsync reads; the configured priority field sits beside the fixed ones. */
export function issueFieldIds(priorityField: string): string[] {
  return ['summary', 'description', 'status', 'assignee', 'labels', 'created', 'updated', 'project', 'issuetype', priorityField];
}

export function wireIssue(priorityField: string) {
  const priority = priorityValue(priorityField).nullish();
  return z
    .object({
      id: z.string().min(1),
      key: z.string().min(1),
      // Loose, because the priority field's id is configuration; it is parsed in the transform below.
      fields: z.looseObject({
        summary: z.string(),
        description: z.string().nullish(),
        status: z.object({ id: z.string().min(1), name: z.string().min(1) }),
        assignee: wireUser.nullish(),
        labels: z.array(z.string()).default([]),
        created: z.string().min(1),
        updated: z.string().min(1),
        project: z.object({ id: z.string().min(1), key: z.string().min(1) }).optional(),
        issuetype: z.object({ id: z.string().min(1) }).optional(),
      }),
    })
    .transform((issue, context): JiraIssue => {
      const parsedPriority = priority.safeParse(issue.fields[priorityField]);
      if (!parsedPriority.success) {
        for (const problem of parsedPriority.error.issues) {
          context.issues.push({ code: 'custom', message: problem.message, input: issue.fields[priorityField], path: ['fields', priorityField, ...problem.path] });
        }
        return z.NEVER;
      }
      return {
        id: issue.id,
        key: issue.key,
        summary: issue.fields.summary,
        description: issue.fields.description ?? '',
        status: issue.fields.status.name,
        statusId: issue.fields.status.id,
        priority: parsedPriority.data ?? null,
        assignee: issue.fields.assignee ? toJiraUser(issue.fields.assignee) : null,
        labels: issue.fields.labels,
        created: issue.fields.created,
        updated: issue.fields.updated,
        workflowScope:
          issue.fields.project && issue.fields.issuetype
            ? { projectId: issue.fields.project.id, projectKey: issue.fields.project.key, issueTypeId: issue.fields.issuetype.id }
            : undefined,
      };
    });
}

/** Cloud `search/jql`: token pages, `isLast` (missing from jira.js's type but sent by JIRA). Issues are checked one by one (parseSearchIssues). */
export const wireEnhancedSearchPage = z.object({
  issues: z.array(z.unknown()),
  nextPageToken: z.string().min(1).nullish(),
  isLast: z.boolean().optional(),
});

/** DC `search`: offset pages with a total. */
export const wireLegacySearchPage = z.object({
  startAt: z.number().int().min(0),
  total: z.number().int().min(0),
  issues: z.array(z.unknown()),
});

/** A searched issue that is not valid: its key when it has one, for its pair to fail alone. */
export interface InvalidIssue {
  key: string | null;
  error: InvalidRecordError;
}

/**
 * A page's issues, each parsed on its own: an invalid one goes to `onInvalid` and is left out, or, without
 * `onInvalid`, fails the page as a MalformedResponseError naming `issues[i].field`.
 */
export function parseSearchIssues(
  schema: ReturnType<typeof wireIssue>,
  issues: readonly unknown[],
  endpoint: string,
  onInvalid?: (invalid: InvalidIssue) => void,
): JiraIssue[] {
  const parsed: JiraIssue[] = [];
  issues.forEach((raw, index) => {
    const result = schema.safeParse(raw);
    if (result.success) return parsed.push(result.data);
    const issue = result.error.issues[0]!;
    if (!onInvalid) throw new MalformedResponseError('jira', endpoint, fieldPath(['issues', index, ...issue.path]), issue.message);
    const key = valueAt(raw, ['key']);
    const named = typeof key === 'string' && key !== '' ? key : null;
    onInvalid({
      key: named,
      error: new InvalidRecordError({
        service: 'jira',
        endpoint,
        record: named === null ? `issue (search result [${index}])` : `issue ${named}`,
        field: fieldPath(issue.path),
        problem: issue.message.replace(/^Invalid input: /, ''),
        value: valueAt(raw, issue.path),
      }),
    });
    return undefined;
  });
  return parsed;
}

export const wireUserList = z.array(wireUser.transform(toJiraUser));

export const wireMyself = wireUser.transform(toJiraUser);

export const wireTransitions = z
  .object({
    transitions: z.array(
      z.object({
        id: z.string().min(1),
        name: z.string(),
        to: z.object({ id: z.string().min(1), name: z.string().min(1) }),
        fields: z.record(z.string(), z.object({ required: z.boolean() })).optional(),
      }),
    ),
  })
  .transform(({ transitions }): JiraTransition[] =>
    transitions.map((transition) => ({
      id: transition.id,
      name: transition.name,
      to: { id: transition.to.id, name: transition.to.name },
      requiredFields: Object.entries(transition.fields ?? {})
        .filter(([, field]) => field.required)
        .map(([fieldId]) => fieldId),
    })),
  );

/** `project/{key}/statuses`: statuses per issue type. */
export const wireProjectStatuses = z.array(z.object({ statuses: z.array(z.object({ name: z.string().min(1) })) }));

export const wireFieldIds = z.array(z.object({ id: z.string().min(1) })).transform((fields) => fields.map((field) => field.id));

/** A search page read for its issue keys alone. */
export const wireIssueKeys = z.object({ issues: z.array(z.object({ key: z.string().min(1) })) }).transform(({ issues }) => issues.map((issue) => issue.key));

/** `GET issue/{key}?fields=project,issuetype`: what picks the issue's workflow. */
export const wireWorkflowScope = z
  .object({
    fields: z.object({
      project: z.object({ id: z.string().min(1), key: z.string().min(1) }),
      issuetype: z.object({ id: z.string().min(1) }),
    }),
  })
  .transform(({ fields }): WorkflowScope => ({ projectId: fields.project.id, projectKey: fields.project.key, issueTypeId: fields.issuetype.id }));

/** `POST workflows` (Cloud): the first workflow returned, transitions in the links format, status references resolved. */
export const wireWorkflows = z
  .object({
    statuses: z.array(z.object({ id: z.string().min(1), name: z.string().min(1), statusReference: z.string().min(1).optional() })),
    workflows: z.array(
      z.object({
        transitions: z.array(
          z.object({
            id: z.string().min(1),
            name: z.string(),
            type: z.enum(['INITIAL', 'GLOBAL', 'DIRECTED']),
            toStatusReference: z.string().min(1),
            links: z.array(z.object({ fromStatusReference: z.string().min(1) })).default([]),
            transitionScreen: z.unknown().optional(),
          }),
        ),
      }),
    ),
  })
  .transform(({ statuses, workflows }, context): JiraWorkflow | null => {
    const workflow = workflows[0];
    if (!workflow) return null;
    const names = new Map(statuses.map((status) => [status.statusReference ?? status.id, status.name]));
    const name = (reference: string) => {
      const found = names.get(reference);
      if (found === undefined) context.issues.push({ code: 'custom', message: `status reference ${reference} is not among the statuses`, input: reference, path: ['statuses'] });
      return found ?? reference;
    };
    return {
      statuses: statuses.map((status) => status.name),
      transitions: workflow.transitions
        .filter((transition) => transition.type !== 'INITIAL')
        .map((transition) => ({
          id: transition.id,
          name: transition.name,
          from: transition.type === 'GLOBAL' ? null : transition.links.map((link) => name(link.fromStatusReference)),
          to: name(transition.toStatusReference),
          hasScreen: transition.transitionScreen !== undefined && transition.transitionScreen !== null,
        })),
    };
  });

export const wirePriorities = z.array(z.object({ id: z.string().min(1), name: z.string().min(1) }).transform(({ id, name }) => ({ id, name })));

/** `issues[3].fields.status.name` from zod's path segments. */
function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((text, segment) => {
    if (typeof segment === 'number') return `${text}[${segment}]`;
    return text === '' ? String(segment) : `${text}.${String(segment)}`;
  }, '');
}

/** Parses a response body once, at the edge; a shape raidsync cannot rely on becomes a MalformedResponseError. */
export function parseWire<S extends z.ZodType>(schema: S, body: unknown, endpoint: string): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new MalformedResponseError('jira', endpoint, fieldPath(issue.path), issue.message);
}
