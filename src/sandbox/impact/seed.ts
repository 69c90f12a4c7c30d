import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { IMPACT_STATUSES } from '../../impact/incident.js';

/** DRF renders datetimes in the server's time zone with an explicit offset, e.g. `2026-11-02T09:14:03.118204+01:00`. */
const timestamp = z.iso.datetime({ offset: true, local: false });

/** Django DurationField as DRF prints it: `HH:MM:SS`, with a `D ` day prefix when longer than a day. */
const duration = z.string().regex(/^(\d+ )?\d{2}:\d{2}:\d{2}(\.\d{6})?$/);

// Reference rows of a long-lived FireFighter install were all loaded at once; tests need not repeat it.
const REFERENCE_DATA_LOADED_AT = '2023-03-28T15:50:03.889000+02:00';

const seedPriority = z.object({
  id: z.uuid(),
  name: z.string().min(1),
  value: z.number().int(),
  emoji: z.string().min(1),
  description: z.string(),
  order: z.number().int(),
  default: z.boolean().default(false),
  needsPostmortem: z.boolean().default(false),
  enabledCreate: z.boolean().default(true),
  enabledUpdate: z.boolean().default(true),
  reminderTime: duration.default('01:00:00'),
  sla: duration.default('01:00:00'),
  recommendedResponseType: z.string().nullable().default(null),
  createdAt: timestamp.default(REFERENCE_DATA_LOADED_AT),
  updatedAt: timestamp.default(REFERENCE_DATA_LOADED_AT),
});

const seedEnvironment = z.object({
  id: z.uuid(),
  value: z.string().min(1),
  name: z.string().min(1),
  description: z.string(),
  order: z.number().int(),
  default: z.boolean().default(false),
});

const seedGroup = z.object({
  id: z.uuid(),
  name: z.string().min(1),
  description: z.string().default(''),
  order: z.number().int(),
  createdAt: timestamp.default(REFERENCE_DATA_LOADED_AT),
  updatedAt: timestamp.default(REFERENCE_DATA_LOADED_AT),
});

const seedCategory = z.object({
  id: z.uuid(),
  name: z.string().min(1),
  description: z.string().default(''),
  order: z.number().int(),
  /** The group's name. */
  group: z.string().min(1),
  private: z.boolean().default(false),
  deployWarning: z.boolean().default(true),
  createdAt: timestamp.default(REFERENCE_DATA_LOADED_AT),
  updatedAt: timestamp.default(REFERENCE_DATA_LOADED_AT),
});

const seedUser = z.object({
  id: z.uuid(),
  /** Django login name; `order_by=created_by` sorts by it (User.Meta.ordering). */
  username: z.string().min(1),
  name: z.string().min(1),
  email: z.email(),
});

const seedCost = z.object({
  /** The cost type's name: the key of `costs` in the JSON. */
  type: z.string().min(1),
  /** DecimalField, printed as a string with two decimals. */
  amount: z.string().regex(/^-?\d+\.\d{2}$/),
  details: z.string().nullable().default(null),
});

const seedMetric = z.object({
  /** MetricType.type slug: the key of `metrics` in the JSON, e.g. `time_to_fix`. */
  type: z.string().min(1),
  /** MetricType.name, printed as `metric_type`. */
  name: z.string().min(1),
  seconds: z.number().nonnegative(),
});

/** The incident's Jira post-mortem issue; `can_be_closed` wants its status to be exactly "Ready". */
const seedPostmortem = z.object({ key: z.string().min(1), status: z.string().min(1) });

const seedIncident = z.object({
  id: z.number().int().positive(),
  title: z.string().min(1).max(128),
  description: z.string(),
  status: z.enum(IMPACT_STATUSES),
  /** The priority's `value`. */
  priority: z.number().int(),
  /** The environment's `value`, e.g. `PRD`. */
  environment: z.string().min(1),
  /** The category's name. */
  category: z.string().min(1),
  createdAt: timestamp,
  /** Users are referred to by email. */
  createdBy: z.email(),
  commander: z.email().nullable(),
  communicationLead: z.email().nullable().default(null),
  jiraTicketKey: z.string().min(1).nullable(),
  /** Without the `#`; '' when the incident has no Slack channel. */
  slackChannelName: z.string().default(''),
  ignore: z.boolean().default(false),
  tags: z.array(z.string()).default([]),
  costs: z.array(seedCost).default([]),
  metrics: z.array(seedMetric).default([]),
  postmortem: seedPostmortem.nullable().default(null),
  /** Required key events (milestones) not yet recorded: `started`, `detected`, `declared`, `recovered`. */
  missingKeyEvents: z.array(z.string().min(1)).default([]),
});

const seedShape = z.object({
  /** Where `jira_ticket_url` points: `<jiraUrl>/browse/<key>`. */
  jiraUrl: z.url(),
  priorities: z.array(seedPriority).min(1),
  environments: z.array(seedEnvironment).min(1),
  groups: z.array(seedGroup),
  categories: z.array(seedCategory).min(1),
  users: z.array(seedUser),
  incidents: z.array(seedIncident),
});

/** A FireFighter install's contents: reference data, users and incidents, cross-checked. */
export const impactSeedSchema = seedShape.superRefine((seed, ctx) => {
  for (const problem of crossReferenceProblems(seed)) ctx.addIssue({ code: 'custom', ...problem });
});

export type ImpactSeed = z.input<typeof impactSeedSchema>;
export type ParsedImpactSeed = z.output<typeof impactSeedSchema>;
export type SeedIncident = ParsedImpactSeed['incidents'][number];
export type SeedPriority = ParsedImpactSeed['priorities'][number];
export type SeedEnvironment = ParsedImpactSeed['environments'][number];
export type SeedCategory = ParsedImpactSeed['categories'][number];
export type SeedGroup = ParsedImpactSeed['groups'][number];
export type SeedUser = ParsedImpactSeed['users'][number];
export type SeedCost = SeedIncident['costs'][number];
export type SeedMetric = SeedIncident['metrics'][number];
export type SeedPostmortem = NonNullable<SeedIncident['postmortem']>;

type SeedShape = z.output<typeof seedShape>;
interface Problem {
  path: (string | number)[];
  message: string;
}

function crossReferenceProblems(seed: SeedShape): Problem[] {
  const problems: Problem[] = [];
  const duplicates = (values: unknown[], path: string, what: string): void => {
    const seen = new Set<unknown>();
    values.forEach((value, index) => {
      if (seen.has(value)) problems.push({ path: [path, index], message: `duplicate ${what} ${String(value)}` });
      seen.add(value);
    });
  };
  duplicates(seed.priorities.map((p) => p.value), 'priorities', 'priority value');
  duplicates(seed.environments.map((e) => e.value), 'environments', 'environment value');
  duplicates(seed.groups.map((g) => g.name), 'groups', 'group name');
  duplicates(seed.categories.map((c) => c.name), 'categories', 'category name');
  duplicates(seed.users.map((u) => u.email), 'users', 'user email');
  duplicates(seed.incidents.map((i) => i.id), 'incidents', 'incident id');
  duplicates(
    seed.incidents.flatMap((i) => (i.jiraTicketKey === null ? [] : [i.jiraTicketKey])),
    'incidents',
    'jira_ticket_key',
  );

  const groups = new Set(seed.groups.map((g) => g.name));
  seed.categories.forEach((category, index) => {
    if (!groups.has(category.group)) problems.push({ path: ['categories', index, 'group'], message: `unknown group ${category.group}` });
  });

  const priorities = new Set(seed.priorities.map((p) => p.value));
  const environments = new Set(seed.environments.map((e) => e.value));
  const categories = new Set(seed.categories.map((c) => c.name));
  const users = new Set(seed.users.map((u) => u.email));
  seed.incidents.forEach((incident, index) => {
    const at = (field: string): (string | number)[] => ['incidents', index, field];
    if (!priorities.has(incident.priority)) problems.push({ path: at('priority'), message: `unknown priority ${incident.priority}` });
    if (!environments.has(incident.environment)) problems.push({ path: at('environment'), message: `unknown environment ${incident.environment}` });
    if (!categories.has(incident.category)) problems.push({ path: at('category'), message: `unknown category ${incident.category}` });
    for (const role of ['createdBy', 'commander', 'communicationLead'] as const) {
      const email = incident[role];
      if (email !== null && !users.has(email)) problems.push({ path: at(role), message: `unknown user ${email}` });
    }
  });
  return problems;
}

export function parseImpactSeed(input: unknown): ParsedImpactSeed {
  return impactSeedSchema.parse(input);
}

export async function loadImpactSeed(path: string): Promise<ParsedImpactSeed> {
  return parseImpactSeed(JSON.parse(await readFile(path, 'utf8')));
}
