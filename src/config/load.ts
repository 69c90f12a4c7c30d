import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError, MISSING_WEBHOOK_SECRET } from './errors.js';
import { closestKey } from './suggest.js';
import { urlPassword } from '../state/location.js';
import { configSchema, type Config } from './schema.js';

/** Environment variables of the contract, by the config key each overrides. */
const ENV_KEYS: ReadonlyArray<readonly [env: string, path: readonly string[]]> = [
  ['RAIDSYNC_JIRA_URL', ['jira', 'url']],
  ['RAIDSYNC_JIRA_DEPLOYMENT', ['jira', 'deployment']],
  ['RAIDSYNC_JIRA_EMAIL', ['jira', 'email']],
  ['RAIDSYNC_JIRA_API_TOKEN', ['jira', 'apiToken']],
  ['RAIDSYNC_JIRA_PAT', ['jira', 'pat']],
  ['RAIDSYNC_JIRA_PROJECT', ['jira', 'project']],
  ['RAIDSYNC_IMPACT_URL', ['impact', 'url']],
  ['RAIDSYNC_IMPACT_TOKEN', ['impact', 'token']],
  ['RAIDSYNC_IMPACT_WEBHOOK_SECRET', ['impact', 'webhookSecret']],
  ['RAIDSYNC_IMPACT_WEBHOOK_ACTOR', ['impact', 'webhookActor']],
  ['RAIDSYNC_IMPACT_WEBHOOK_MAP', ['impact', 'webhookMap']],
  ['RAIDSYNC_DB', ['state', 'path']],
  ['RAIDSYNC_STATE_URL', ['state', 'url']],
  ['POSTGRES_DB', ['state', 'database']],
  ['POSTGRES_SCHEMA', ['state', 'schema']],
  ['RAIDSYNC_MAPS', ['maps', 'preset']],
  ['RAIDSYNC_ENABLED', ['sync', 'enabled']],
  ['RAIDSYNC_MAX_CHANGES', ['sync', 'maxChanges']],
  ['RAIDSYNC_ENABLE_JIRA', ['sync', 'directions', 'impactToJira']],
  ['RAIDSYNC_ENABLE_RAID', ['sync', 'directions', 'jiraToImpact']],
  ['RAIDSYNC_METRICS_FILE', ['metrics', 'file']],
];

export const DEFAULT_CONFIG_FILE = './raidsync.config.yaml';

// A real config reuses a block a few times; more is a document built to exhaust memory.
const MAX_ALIAS_EXPANSIONS = 100;

export interface LoadOptions {
  /** `--config`; else `$RAIDSYNC_CONFIG`; else the first of configFileCandidates that exists. */
  file?: string | undefined;
  env: NodeJS.ProcessEnv;
  /** `--db` wins over the file and the environment. */
  dbPath?: string | undefined;
  /** Where ./raidsync.config.yaml is looked for; default the process's working folder. */
  cwd?: string | undefined;
  /** `read`: a command that writes to neither side, which needs no webhook secret. Default `write`. */
  purpose?: 'read' | 'write';
}

/** A key the file holds that raidsync does not know (a typo, mostly), and the known key it most resembles. */
export interface UnknownKey {
  key: string;
  didYouMean: string | null;
}

export interface LoadedConfig {
  config: Config;
  /** Where the settings came from, for messages: the file path or null. */
  file: string | null;
  /** Keys the file holds that raidsync does not know: a warning for most commands, an error for doctor. */
  unknownKeys: UnknownKey[];
  /** Every secret value, so that output can be scrubbed of them whatever path an error took. */
  secrets: string[];
}

/** Where a config file is looked for when neither --config nor $RAIDSYNC_CONFIG names one, in order. */
export function configFileCandidates(env: NodeJS.ProcessEnv, cwd: string): string[] {
  const configHome = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return [resolve(cwd, DEFAULT_CONFIG_FILE), join(configHome, 'raidsync', 'config.yaml'), '/etc/raidsync/config.yaml'];
}

/** The config file a command reads: --config, else $RAIDSYNC_CONFIG, else the first candidate that exists, else none. */
export function findConfigFile(options: Pick<LoadOptions, 'file' | 'env' | 'cwd'>): { file: string | null; looked: string[] } {
  const named = options.file ?? options.env.RAIDSYNC_CONFIG;
  if (named !== undefined && named !== '') return { file: named, looked: [named] };
  const looked = configFileCandidates(options.env, options.cwd ?? process.cwd());
  return { file: looked.find((candidate) => existsSync(candidate)) ?? null, looked };
}

/** "unknown config key sync.enabeld; did you mean sync.enabled?" */
export function describeUnknownKey(unknown: UnknownKey): string {
  return `unknown config key ${unknown.key}${unknown.didYouMean ? `; did you mean ${unknown.didYouMean}?` : ''}`;
}

export function loadConfig(options: LoadOptions): LoadedConfig {
  const { file, looked } = findConfigFile(options);
  const raw = file === null ? {} : readConfigFile(file);
  const sources = new Map<string, string>();
  for (const [env, path] of ENV_KEYS) {
    const value = options.env[env];
    if (value === undefined || value === '') continue;
    setPath(raw, path, value);
    sources.set(path.join('.'), env);
  }
  if (options.dbPath !== undefined) {
    setPath(raw, ['state', 'path'], options.dbPath);
    // A file named on the command line is the state, whatever URL the file or the environment name.
    setPath(raw, ['state', 'url'], undefined);
    sources.set('state.path', '--db');
  }
  const unknownKeys = findUnknownKeys(raw, configSchema, '');
  const parsed = configSchema.safeParse(raw);
  // Every problem at once: a person fixes them in one go, not one per run.
  const problems = parsed.success
    ? [...credentialProblems(parsed.data, options.purpose ?? 'write'), ...transportProblems(parsed.data)]
    : parsed.error.issues.map((issue) => describeIssue(issue, sources, file));
  if (!parsed.success || problems.length > 0) throw new ConfigError(problemReport(problems, file === null ? looked : null));
  const config = parsed.data;
  // libpq's PGPASSWORD reaches PostgreSQL through the pg driver; scrubbed like raidsync's own secrets.
  const secrets = [...secretsOf(config), ...(options.env.PGPASSWORD ? [options.env.PGPASSWORD] : [])];
  return { config, file, unknownKeys, secrets };
}

/** One problem on its line; several under a heading, one per indented line; a missing file said first. */
function problemReport(problems: readonly string[], looked: readonly string[] | null): string {
  const heading =
    looked !== null
      ? `no config file found (looked in ${looked.join(', ')}); with the environment alone`
      : problems.length > 1
        ? `${problems.length} configuration problems`
        : null;
  return heading === null ? (problems[0] ?? 'invalid configuration') : [`${heading}:`, ...problems.map((problem) => `  ${problem}`)].join('\n');
}

/** Only the state settings (file, environment, --db): `status` reads the state without needing credentials. */
export function loadStateSettings(options: LoadOptions): Config['state'] {
  const { file } = findConfigFile(options);
  const raw = file === null ? {} : readConfigFile(file);
  for (const [env, path] of ENV_KEYS) {
    const value = options.env[env];
    if (path[0] === 'state' && value !== undefined && value !== '') setPath(raw, path, value);
  }
  if (options.dbPath !== undefined) setPath(raw, ['state'], { path: options.dbPath });
  const parsed = configSchema.shape.state.safeParse(raw.state ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ConfigError(describeIssue(issue && { ...issue, path: ['state', ...issue.path] }, new Map(), file));
}

export function secretsOf(config: Config): string[] {
  const { email, apiToken } = config.jira;
  // Basic auth sends `email:token` in base64: an echoed Authorization header leaks it in that form.
  const basic = email && apiToken ? Buffer.from(`${email}:${apiToken}`).toString('base64') : undefined;
  return [apiToken, config.jira.pat, config.impact.token, config.impact.webhookSecret, urlPassword(config.state.url), basic].filter(
    (value): value is string => typeof value === 'string' && value.length > 0,
  );
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
    throw new ConfigError(`config file ${file} ${reason}`);
  }
  const document = parseDocument(text);
  const first = document.errors[0];
  if (first) {
    const where = first.linePos?.[0] ? ` at line ${first.linePos[0].line}` : '';
    throw new ConfigError(`config file ${file} is not valid YAML${where}: ${first.message.split('\n')[0]}`);
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS }) ?? {};
  } catch (error) {
    // yaml throws a ReferenceError for an alias bomb (aliases of aliases, expanding exponentially) or an unknown anchor.
    if (!(error instanceof ReferenceError)) throw error;
    const reason = error.message.startsWith('Excessive alias count') ? `expands its YAML aliases more than ${MAX_ALIAS_EXPANSIONS} times (an alias bomb?)` : `is not valid YAML: ${error.message}`;
    throw new ConfigError(`config file ${file} ${reason}`);
  }
  if (typeof value !== 'object' || Array.isArray(value) || value === null) {
    throw new ConfigError(`config file ${file} must hold a mapping of settings (jira:, impact:, ...)`);
  }
  return value as Record<string, unknown>;
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}

function describeIssue(
  issue: z.core.$ZodIssue | undefined,
  sources: ReadonlyMap<string, string>,
  file: string | null,
): string {
  if (!issue) return 'invalid configuration';
  const key = issue.path.map(String).join('.');
  const source = sources.get(key);
  const origin = source ? ` (from ${source})` : file ? ` (in ${file})` : '';
  const missing = issue.code === 'invalid_type' && issue.message.includes('received undefined');
  const what = missing ? 'is required' : issue.message.replace(/^Invalid input: /, '');
  return `invalid configuration: ${key} ${what}${origin}${missing ? hintFor(key) : ''}`;
}

function hintFor(key: string): string {
  const env = ENV_KEYS.find(([, path]) => path.join('.') === key)?.[0];
  return env ? `; set it in the config file or ${env}` : '';
}

function credentialProblems(config: Config, purpose: 'read' | 'write'): string[] {
  const { jira } = config;
  const problems: string[] = [];
  if (jira.deployment === 'cloud' && !(jira.email && jira.apiToken)) {
    const key = jira.email ? 'jira.apiToken' : 'jira.email';
    problems.push(`missing credential: ${key} is required for jira.deployment cloud (basic auth with email and API token)${hintFor(key)}`);
  }
  if (jira.deployment === 'datacenter' && !jira.pat && !(jira.email && jira.apiToken)) {
    problems.push(`missing credential: jira.pat is required for jira.deployment datacenter (bearer personal access token)${hintFor('jira.pat')}`);
  }
  if (purpose === 'write' && !config.impact.webhookSecret) problems.push(MISSING_WEBHOOK_SECRET);
  return problems;
}

function transportProblems(config: Config): string[] {
  const problems: string[] = [];
  for (const [name, section] of [
    ['jira', config.jira],
    ['impact', config.impact],
  ] as const) {
    const url = new URL(section.url);
    // Credentials in a URL end up in every link and message that names it.
    if (url.username !== '' || url.password !== '') {
      problems.push(`invalid configuration: ${name}.url must not carry credentials; set them as the ${name} token settings instead`);
    }
    if (url.protocol === 'http:' && !isLoopback(url.hostname) && !section.allowInsecureHttp) {
      problems.push(
        `invalid configuration: ${name}.url uses plain http:// to ${url.hostname}, which would send credentials in clear; use https:// or set ${name}.allowInsecureHttp: true`,
      );
    }
  }
  return problems;
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** Walks the raw settings beside the schema and names keys the schema does not have, with the nearest known sibling. */
function findUnknownKeys(raw: unknown, schema: z.ZodType, prefix: string): UnknownKey[] {
  const shape = objectShape(schema);
  if (!shape || typeof raw !== 'object' || raw === null || Array.isArray(raw)) return [];
  const unknown: UnknownKey[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const child = shape[key];
    const path = prefix ? `${prefix}.${key}` : key;
    if (!child) {
      const near = closestKey(key, Object.keys(shape));
      unknown.push({ key: path, didYouMean: near === null ? null : prefix ? `${prefix}.${near}` : near });
    } else unknown.push(...findUnknownKeys(value, child, path));
  }
  return unknown;
}

function objectShape(schema: z.ZodType): Record<string, z.ZodType> | null {
  let current: unknown = schema;
  for (let depth = 0; depth < 5 && current; depth++) {
    const def = (current as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    if (!def) return null;
    if (def.type === 'object') return def.shape as Record<string, z.ZodType>;
    if (def.type === 'record') return null;
    current = def.innerType;
  }
  return null;
}
