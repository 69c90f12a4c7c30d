import { z } from 'zod';
import { IMPACT_STATUSES } from '../impact/incident.js';
import { SYNC_FIELDS } from '../sync/fields.js';

const impactStatus = z.enum(IMPACT_STATUSES);
const priorityValue = z.number().int().min(1).max(5);
const priorityKey = z.enum(['1', '2', '3', '4', '5']);

/** A switch: YAML booleans, or true/false/1/0/yes/no/on/off from the environment. */
const flag = z.union([z.boolean(), z.stringbool()], { error: 'must be true or false' });

const jiraSchema = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
    deployment: z.enum(['cloud', 'datacenter']).default('cloud'),
    email: z.string().min(1).optional(),
    apiToken: z.string().min(1).optional(),
    pat: z.string().min(1).optional(),
    project: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'must be a JIRA project key such as INC'),
    terminalStatuses: z.array(z.string().min(1)).default(['Closed']),
    /** Values for required transition-screen fields, per target status: `{Resolved: {resolution: {name: Done}}}`. */
    transitionFields: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
    timeoutSeconds: z.number().positive().default(30),
    /** false: edits are sent with notifyUsers=false (JIRA allows it to project admins), so a bulk repair mails no watcher. */
    notifyUsers: flag.default(true),
    /** Plain http:// to anything but loopback sends credentials in clear: refused unless set. */
    allowInsecureHttp: z.boolean().default(false),
  })
  .strip();

const impactSchema = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
    token: z.string().min(1),
    /** Required by writing commands only (load.ts checks it for them). */
    webhookSecret: z.string().min(1).optional(),
    /** The accountId raidsync names as author of its updates (`user.accountId`); default the JIRA account it signs in with. */
    webhookActor: z.string().min(1).optional(),
    /** The JIRA status names FireFighter's `raid/jira_update` understands: its code's map (default) or the seed document's. */
    webhookMap: z.enum(['firefighter', 'seed']).default('firefighter'),
    /** Entries laid over webhookMap: JIRA status name → the Impact status FireFighter's webhook sets for it. */
    webhookStatuses: z.record(z.string().min(1), impactStatus).default({}),
    timeoutSeconds: z.number().positive().default(30),
    allowInsecureHttp: z.boolean().default(false),
  })
  .strip();

const mapsSchema = z
  .object({
    preset: z.enum(['seed', 'firefighter']).default('seed'),
    /** `priority` (standard field, by name) or a custom select field id such as `customfield_11064`. */
    priorityField: z
      .string()
      .regex(/^(priority|customfield_\d+)$/, 'must be "priority" or a custom field id such as customfield_11064')
      .optional(),
    jiraToImpactStatus: z.record(z.string().min(1), impactStatus).default({}),
    impactToJiraStatus: z.partialRecord(impactStatus, z.string().min(1)).default({}),
    jiraToImpactPriority: z.record(z.string().min(1), priorityValue).default({}),
    impactToJiraPriority: z.partialRecord(priorityKey, z.string().min(1)).default({}),
    /** Commander email → JIRA accountId (Cloud) or login (Data Center), for users whose email JIRA hides. */
    users: z.record(z.email(), z.string().min(1)).default({}),
  })
  .strip();

const directionsSchema = z
  .object({
    /** The seed's ENABLE_JIRA: raidsync writes to JIRA. */
    impactToJira: flag.default(true),
    /** The seed's ENABLE_RAID: raidsync writes to FireFighter. */
    jiraToImpact: flag.default(true),
  })
  .strip();

const syncSchema = z
  .object({
    /** Off: every writing command plans and reports, and writes nothing. */
    enabled: flag.default(true),
    directions: directionsSchema.default(directionsSchema.parse({})),
    fields: z.array(z.enum(SYNC_FIELDS)).min(1).default([...SYNC_FIELDS]),
    conflict: z.enum(['impact', 'jira', 'skip']).default('impact'),
    loopWindowSeconds: z.number().min(0).default(30),
    /** A writing run stops before writing when it reads fewer pairs than this fraction of the last completed run; 0 = off. */
    minPairsRatio: z.number().min(0).max(1).default(0.5),
    /** A writing run whose plan holds more changes than this stops before its first write; 0 = no limit. */
    maxChanges: z
      .union([z.number().int().min(0), z.string().regex(/^\d+$/).transform(Number)], { error: 'must be a whole number of changes, 0 (no limit) or more' })
      .default(500),
    /** Incremental runs re-read JIRA changes this far before the watermark: longer than any search-index lag. */
    overlapSeconds: z.number().min(0).default(300),
    /** A run reads every pair in full when the last full read is older than this (deleted tickets, missed changes). */
    fullReadHours: z.number().min(0).default(24),
    /** reconcile also creates tickets for incidents without one (as push --create does), by `create`. */
    create: flag.default(false),
  })
  .strip();

const customFieldId = z.string().regex(/^customfield_\d+$/, 'must be a custom field id such as customfield_11049');

/** Which incidents without a ticket get one (push --create, sync.create). */
const createFilterSchema = z
  .object({
    /** The least urgent priority that gets a ticket: 3 means P1 to P3; 5 (default) every priority. */
    minPriority: priorityValue.default(5),
    /** Only incidents in one of these environments (any of theirs); empty (default): any environment. */
    environments: z.array(z.string().min(1)).default([]),
    /** Only incidents in these statuses; default the open ones, never a closed incident's backlog. */
    statuses: z.array(impactStatus).min(1).default(['Open', 'Investigating', 'Mitigating', 'Mitigated']),
    /** Only incidents created at or after this time (ISO 8601 with an offset). */
    createdAfter: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time with an offset, e.g. 2026-11-01T00:00:00Z' }).optional(),
  })
  .strip();

/** The ticket the seed's prepare_jira_fields builds: its issue type and the ids of its custom fields. */
const createSchema = z
  .object({
    filter: createFilterSchema.default(createFilterSchema.parse({})),
    issueType: z.string().min(1).default('Incident'),
    fields: z
      .object({
        environments: customFieldId.default('customfield_11049'),
        platform: customFieldId.default('customfield_10201'),
        businessImpact: customFieldId.default('customfield_10936'),
        /** FireFighter's RAID_JIRA_INCIDENT_CATEGORY_FIELD: the incident's category goes there only when set. */
        category: customFieldId.optional(),
      })
      .strip()
      .default({ environments: 'customfield_11049', platform: 'customfield_10201', businessImpact: 'customfield_10936' }),
    /** The platform when no `platform:` tag names one (prepare_jira_fields' `platform-All`, sent without the prefix). */
    platform: z.string().min(1).default('All'),
    /** P1-P3 environments: `first` (the seed document's rule, default) or `all` (what FireFighter's code sends today). */
    criticalEnvironments: z.enum(['first', 'all']).default('first'),
  })
  .strip();

const stateSchema = z
  .object({
    path: z.string().min(1).default('./.raidsync/state.sqlite'),
    /** postgres://user@host:5432/database keeps the state in PostgreSQL instead of the file (sqlite://path names a file). */
    url: z.string().regex(/^(postgres|postgresql|sqlite):\/\//, 'must be a postgres:// or sqlite:// URL').optional(),
    /** The database when `url` names none (POSTGRES_DB); else libpq's PGDATABASE. */
    database: z.string().min(1).optional(),
    /** The PostgreSQL schema of raidsync's tables (POSTGRES_SCHEMA), created when missing. */
    schema: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'must be a lower-case PostgreSQL name such as raidsync').default('raidsync'),
  })
  .strip();

export const configSchema = z.object({
  jira: jiraSchema,
  impact: impactSchema,
  state: stateSchema.default(stateSchema.parse({})),
  maps: mapsSchema.default(mapsSchema.parse({})),
  sync: syncSchema.default(syncSchema.parse({})),
  create: createSchema.default(createSchema.parse({})),
  net: z
    .object({
      /** The longest Retry-After one request waits out (all its retries together); a longer ask fails that work as rate_limit. */
      maxRetryWaitSeconds: z.number().min(0).default(600),
    })
    .strip()
    .default({ maxRetryWaitSeconds: 600 }),
  /** Prometheus text file written after every writing run, for node_exporter's textfile collector. */
  metrics: z.object({ file: z.string().min(1).optional() }).strip().default({}),
});

export type Config = z.infer<typeof configSchema>;
export type ConflictPolicy = Config['sync']['conflict'];
export type MapsConfig = Config['maps'];
export type ImpactConfig = Config['impact'];
