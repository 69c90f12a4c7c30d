import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/** JIRA writes offsets without a colon (`+0000`); ISO forms with a colon or Z are accepted too. */
const jiraTimestamp = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})$/)
  .refine((value) => !Number.isNaN(Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))), 'not a valid date');

const statusCategoryKey = z.enum(['new', 'indeterminate', 'done']);

const seedUser = z.object({
  accountId: z.string().min(1),
  /** Data Center login name. */
  name: z.string().min(1),
  displayName: z.string().min(1),
  email: z.email(),
  /** false = Cloud privacy settings hide the address from API callers. */
  emailVisible: z.boolean(),
  apiToken: z.string().min(1),
  pat: z.string().min(1),
  active: z.boolean(),
  /** false: active, but without the Assignable User permission in the project, so JIRA refuses them as assignee. */
  assignable: z.boolean().default(true),
  timeZone: z.string().default('UTC'),
});

const seedPriority = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  statusColor: z.string().default('#999999'),
  description: z.string().default(''),
  isDefault: z.boolean().default(false),
});

const seedStatus = z.object({ id: z.string().min(1), name: z.string().min(1), category: statusCategoryKey });

const seedScreenField = z.object({ fieldId: z.string().min(1), name: z.string().min(1), required: z.boolean() });

const seedTransition = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  /** Status names the transition starts from, or '*' for a global transition. */
  from: z.union([z.literal('*'), z.array(z.string().min(1)).min(1)]),
  to: z.string().min(1),
  screen: z.array(seedScreenField).default([]),
});

const seedProject = z.object({
  id: z.string().min(1),
  key: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
  name: z.string().min(1),
  issueTypes: z.array(z.object({ id: z.string().min(1), name: z.string().min(1) })).min(1),
  workflow: z.object({
    initialStatus: z.string().min(1),
    statuses: z.array(seedStatus).min(1),
    transitions: z.array(seedTransition),
  }),
});

const seedCustomField = z.object({
  id: z.string().regex(/^customfield_\d+$/),
  name: z.string().min(1),
  /** A multi-select (such as the seed's environments, customfield_11049) holds a list of options. */
  multiple: z.boolean().default(false),
  options: z.array(z.object({ id: z.string().min(1), value: z.string().min(1) })).min(1),
});

const seedIssue = z.object({
  key: z.string().regex(/^[A-Z][A-Z0-9_]*-\d+$/),
  id: z.string().regex(/^\d+$/),
  project: z.string().min(1),
  issueType: z.string().default('Incident'),
  summary: z.string().min(1).max(255),
  description: z.string().nullable(),
  status: z.string().min(1),
  priority: z.string().nullable(),
  /** Option values of select custom fields, by field id. */
  customFields: z.record(z.string(), z.string().nullable()).default({}),
  /** accountId of the assignee. */
  assignee: z.string().nullable(),
  reporter: z.string().nullable().default(null),
  resolution: z.string().nullable().default(null),
  labels: z.array(z.string().regex(/^\S+$/)).default([]),
  created: jiraTimestamp,
  updated: jiraTimestamp,
});

const seedShape = z.object({
  users: z.array(seedUser).min(1),
  priorities: z.array(seedPriority).min(1),
  resolutions: z.array(z.object({ id: z.string().min(1), name: z.string().min(1) })).default([]),
  customFields: z.array(seedCustomField).default([]),
  projects: z.array(seedProject).min(1),
  issues: z.array(seedIssue),
});

const jiraSeedSchema = seedShape.superRefine((seed, ctx) => {
  for (const problem of findDanglingReferences(seed)) ctx.addIssue({ code: 'custom', message: problem });
});

export type JiraSeed = z.input<typeof jiraSeedSchema>;
export type ParsedJiraSeed = z.output<typeof jiraSeedSchema>;
export type SeedUser = ParsedJiraSeed['users'][number];
export type SeedPriority = ParsedJiraSeed['priorities'][number];
export type SeedProject = ParsedJiraSeed['projects'][number];
export type SeedStatus = SeedProject['workflow']['statuses'][number];
export type SeedTransition = SeedProject['workflow']['transitions'][number];
export type StatusCategoryKey = z.infer<typeof statusCategoryKey>;

/** Cross-references zod cannot express: every name an issue or workflow uses must exist. */
function findDanglingReferences(seed: z.output<typeof seedShape>): string[] {
  const problems: string[] = [];
  const accountIds = new Set(seed.users.map((user) => user.accountId));
  const priorityNames = new Set(seed.priorities.map((priority) => priority.name));
  const resolutionNames = new Set(seed.resolutions.map((resolution) => resolution.name));
  const projects = new Map(seed.projects.map((project) => [project.key, project]));
  for (const project of seed.projects) {
    const statusNames = new Set(project.workflow.statuses.map((status) => status.name));
    if (!statusNames.has(project.workflow.initialStatus)) problems.push(`project ${project.key}: unknown initial status`);
    for (const transition of project.workflow.transitions) {
      const named = transition.from === '*' ? [transition.to] : [...transition.from, transition.to];
      for (const name of named) {
        if (!statusNames.has(name)) problems.push(`project ${project.key} transition ${transition.id}: unknown status ${name}`);
      }
    }
  }
  for (const issue of seed.issues) {
    const project = projects.get(issue.project);
    if (!project) problems.push(`${issue.key}: unknown project ${issue.project}`);
    else if (!project.workflow.statuses.some((status) => status.name === issue.status))
      problems.push(`${issue.key}: unknown status ${issue.status}`);
    if (!issue.key.startsWith(`${issue.project}-`)) problems.push(`${issue.key}: key is not in project ${issue.project}`);
    if (issue.priority !== null && !priorityNames.has(issue.priority)) problems.push(`${issue.key}: unknown priority ${issue.priority}`);
    if (issue.resolution !== null && !resolutionNames.has(issue.resolution))
      problems.push(`${issue.key}: unknown resolution ${issue.resolution}`);
    for (const who of [issue.assignee, issue.reporter]) {
      if (who !== null && !accountIds.has(who)) problems.push(`${issue.key}: unknown user ${who}`);
    }
    for (const [fieldId, value] of Object.entries(issue.customFields)) {
      const field = seed.customFields.find((candidate) => candidate.id === fieldId);
      if (!field) problems.push(`${issue.key}: unknown custom field ${fieldId}`);
      else if (value !== null && !field.options.some((option) => option.value === value))
        problems.push(`${issue.key}: ${fieldId} has no option ${value}`);
    }
  }
  return problems;
}

export function parseJiraSeed(input: unknown): ParsedJiraSeed {
  return jiraSeedSchema.parse(input);
}

export async function loadJiraSeed(path: string): Promise<ParsedJiraSeed> {
  return parseJiraSeed(JSON.parse(await readFile(path, 'utf8')));
}
