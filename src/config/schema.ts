import { z } from 'zod';
import { IMPACT_STATUSES } from '../impact/incident.js';
import { SYNC_FIELDS } from '../sync/fields.js';

const impactStatus = z.enum(IMPACT_STATUSES);
const priorityValue = z.number().int().min(1).max(5);
const priorityKey = z.enum(['1', '2', '3', '4', '5']);

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
    /** Plain http:// to anything but loopback sends credentials in clear: refused unless set. */
    allowInsecureHttp: z.boolean().default(false),
  })
  .strip();

const impactSchema = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
    token: z.string().min(1),
    webhookSecret: z.string().min(1),
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

/** A switch: YAML booleans, or true/false/1/0/yes/no/on/off from the environment. */
const flag = z.union([z.boolean(), z.stringbool()], { error: 'must be true or false' });

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
    /** Incremental runs re-read JIRA changes this far before the watermark: longer than any search-index lag. */
    overlapSeconds: z.number().min(0).default(300),
    /** A run reads every pair in full when the last full read is older than this (deleted tickets, missed changes). */
    fullReadHours: z.number().min(0).default(24),
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
  /** Prometheus text file written after every writing run, for node_exporter's textfile collector. */
  metrics: z.object({ file: z.string().min(1).optional() }).strip().default({}),
});

export type Config = z.infer<typeof configSchema>;
export type ConflictPolicy = Config['sync']['conflict'];
export type MapsConfig = Config['maps'];
