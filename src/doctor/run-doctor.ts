import { describeUnknownKey, loadConfig, type LoadOptions } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { clientsFor } from '../clients.js';
import type { ImpactClient } from '../impact/client.js';
import type { JiraClient } from '../jira/client.js';
import type { JiraUser } from '../jira/issue.js';
import { errorMessage, ServiceError } from '../net/errors.js';
import { stateLocation } from '../state/location.js';
import { openState, type StateDb } from '../state/open.js';
import { pickExact } from '../sync/directory.js';
import { resolveMaps } from '../sync/decide/maps/resolve.js';
import type { FieldMaps } from '../sync/decide/maps/types.js';
import { workflowKnowledge } from '../sync/act/workflow-knowledge.js';
import { fail, pass, type CheckResult } from './check.js';
import { checkCoexistence } from './coexistence-check.js';
import { checkCreateScreen } from './create-checks.js';
import { checkPriorities, checkStatusesExist, checkTargetsReachable, checkTransitionFields, type WorkflowFacts } from './map-checks.js';

export interface DoctorOptions extends LoadOptions {
  cwd: string;
}

export interface DoctorReport {
  checks: CheckResult[];
  /** Secrets of the config, for the caller to scrub from what it prints. */
  secrets: readonly string[];
}

/** Runs every check it can: later ones need what earlier ones proved (a valid config, a JIRA that answers). Writes nothing. */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  let config: Config;
  let secrets: readonly string[] = [];
  let maps: FieldMaps;
  let file: string | null;
  let unknownKeys: string[];
  try {
    // Doctor writes nothing, so it needs no webhook secret; the signature check says what is missing.
    const loaded = loadConfig({ ...options, purpose: 'read' });
    ({ config, secrets, file } = loaded);
    unknownKeys = loaded.unknownKeys.map(describeUnknownKey);
    maps = resolveMaps(config.maps, config.impact);
  } catch (error) {
    return { checks: [fail('config', 'config is valid', errorMessage(error), 'correct the settings named above in the config file or their RAIDSYNC_* variables')], secrets };
  }
  const from = file === null ? 'no config file, the environment only' : `from ${file}`;
  const checks: CheckResult[] = [
    unknownKeys.length === 0
      ? pass('config', 'config is valid', `${from}: project ${config.jira.project}, ${config.jira.deployment}, maps preset ${maps.preset}`)
      : fail('config', 'config is valid', `${from}: ${unknownKeys.join('; ')}`, 'correct or remove the unknown keys: raidsync ignores them'),
  ];

  let state: StateDb | null = null;
  try {
    state = await openState(stateLocation(config.state, options.cwd));
    checks.push(pass('config', 'state file opens', state.path));
  } catch (error) {
    checks.push(fail('config', 'state file opens', errorMessage(error), 'point state.path (or --db, RAIDSYNC_DB) at a writable file, or move the damaged one aside'));
  }
  try {
    const { jira, impact } = await clientsFor(config, maps);
    const me = await checkJira(jira, config, checks);
    const jiraUp = me !== null;
    if (me !== null) checks.push(checkCoexistence(config, me));
    const commanders = await checkImpact(impact, config.impact.url, config.impact.webhookSecret !== undefined, checks);
    if (jiraUp) {
      await checkJiraMetadata(jira, config, maps, state, checks);
      // Only where reconcile creates tickets: a JIRA without the seed's fields is fine for syncing alone.
      if (config.sync.create) checks.push(await checkCreateScreen(jira, config, maps));
      await checkCommanders(jira, config, maps, commanders, checks);
    }
  } finally {
    await state?.close();
  }
  return { checks, secrets };
}

function serviceFailure(service: 'JIRA' | 'FireFighter', url: string, error: unknown, credentialFix: string): CheckResult {
  if (error instanceof ServiceError && (error.status === 401 || error.status === 403)) {
    return fail('service', `${service} accepts raidsync's credentials`, `${service} answered ${error.status}: ${errorMessage(error)}`, credentialFix);
  }
  return fail('service', `${service} is reachable`, `${url}: ${errorMessage(error)}`, `check the URL (${service === 'JIRA' ? 'jira.url' : 'impact.url'}), the network and any proxy`);
}

/** The account raidsync signs in to JIRA as, or null when JIRA cannot be used. */
async function checkJira(jira: JiraClient, config: Config, checks: CheckResult[]): Promise<JiraUser | null> {
  try {
    const me = await jira.myself();
    checks.push(pass('service', "JIRA accepts raidsync's credentials", `${config.jira.url} as ${me.displayName ?? me.accountId ?? me.name ?? 'raidsync'}`));
    return me;
  } catch (error) {
    const fix = config.jira.pat ? 'set a valid personal access token in jira.pat (RAIDSYNC_JIRA_PAT)' : 'set jira.email and a valid API token in jira.apiToken (RAIDSYNC_JIRA_API_TOKEN)';
    checks.push(serviceFailure('JIRA', config.jira.url, error, fix));
    return null;
  }
}

/** Lists the open incidents (their commanders are checked against JIRA later) and proves the webhook secret. */
async function checkImpact(impact: ImpactClient, url: string, hasSecret: boolean, checks: CheckResult[]): Promise<Array<{ email: string }>> {
  let commanders: Array<{ email: string }> = [];
  try {
    const incidents = await impact.listIncidents({ statusCodes: [10, 20, 30, 40, 50] });
    commanders = incidents.filter((incident) => incident.jiraTicketKey !== null && incident.commanderEmail !== null).map((incident) => ({ email: incident.commanderEmail as string }));
    checks.push(pass('service', "FireFighter accepts raidsync's API token", `${incidents.length} open incident(s) listed`));
  } catch (error) {
    checks.push(serviceFailure('FireFighter', url, error, 'set a valid FireFighter API token in impact.token (RAIDSYNC_IMPACT_TOKEN)'));
    return commanders;
  }
  if (!hasSecret) {
    checks.push(pass('config', 'FireFighter accepts the webhook signature', 'not checked: impact.webhookSecret is not set (only pull, reconcile and apply need it)'));
    return commanders;
  }
  try {
    // A jira:issue_updated without changelog items is one FireFighter accepts and does nothing with.
    await impact.sendJiraUpdate({ issueId: '0', issueKey: 'DOCTOR-0', actor: { accountId: 'raidsync-doctor', displayName: 'raidsync doctor' }, items: [] });
    checks.push(pass('service', 'FireFighter accepts the webhook signature', 'an empty signed update was taken (it changes nothing)'));
  } catch (error) {
    checks.push(
      error instanceof ServiceError && error.status === 401
        ? fail('service', 'FireFighter accepts the webhook signature', 'FireFighter answered 401 to a signed update', "set impact.webhookSecret (RAIDSYNC_IMPACT_WEBHOOK_SECRET) to FireFighter's RAID_JIRA_WEBHOOK_SECRET")
        : serviceFailure('FireFighter', url, error, 'set a valid FireFighter API token in impact.token (RAIDSYNC_IMPACT_TOKEN)'),
    );
  }
  return commanders;
}

async function checkJiraMetadata(jira: JiraClient, config: Config, maps: FieldMaps, state: StateDb | null, checks: CheckResult[]): Promise<void> {
  const project = config.jira.project;
  try {
    const statuses = await jira.projectStatuses(project);
    const sample = await jira.issueKeyInStatus(project, null);
    const facts: WorkflowFacts = { project, statuses, edges: [], terminalStatuses: config.jira.terminalStatuses, transitionFields: config.jira.transitionFields, requiredFields: () => null };
    checks.push(checkStatusesExist(maps, facts));
    if (sample === null || state === null) {
      const why = sample === null ? `${project} has no issue to read its workflow through` : 'the state file, where learned transitions are kept, did not open';
      checks.push(pass('maps', 'every status raidsync may push to is reachable', `not checked: ${why}`));
    } else {
      const knowledge = workflowKnowledge({ db: state.db, jira, deployment: config.jira.deployment, now: () => new Date() });
      const edges = await knowledge.edges(sample);
      await knowledge.explore(sample, statuses);
      const known: WorkflowFacts = { ...facts, edges, requiredFields: (from, id) => knowledge.requiredFields(sample, from, id) };
      checks.push(checkTargetsReachable(maps, known), checkTransitionFields(maps, known));
    }
  } catch (error) {
    const missing = error instanceof ServiceError && error.status === 404;
    checks.push(
      missing
        ? fail('config', `JIRA project ${project} exists`, errorMessage(error), 'set jira.project (RAIDSYNC_JIRA_PROJECT) to the key of the incident project')
        : fail('service', `${project}'s workflow can be read`, errorMessage(error), 'give raidsync\'s JIRA account permission to browse the project'),
    );
  }
  try {
    checks.push(checkPriorities(maps, (await jira.priorities()).map((priority) => priority.name), maps.priorityField === 'priority' ? [] : await jira.fieldIds()));
  } catch (error) {
    checks.push(fail('service', 'JIRA priorities can be read', errorMessage(error), "give raidsync's JIRA account permission to read priorities and fields"));
  }
}

async function checkCommanders(jira: JiraClient, config: Config, maps: FieldMaps, commanders: ReadonlyArray<{ email: string }>, checks: CheckResult[]): Promise<void> {
  const emails = [...new Set(commanders.map((commander) => commander.email))].filter((email) => !(email in maps.users)).sort();
  const problems: string[] = [];
  try {
    for (const email of emails) {
      const entry = pickExact(email, await jira.findUsersByEmail(email), config.jira.deployment);
      if (entry.outcome === 'none') problems.push(`${email}: no JIRA user has this email (or JIRA hides it)`);
      if (entry.outcome === 'many') problems.push(`${email}: ${entry.count} JIRA users have it`);
    }
  } catch (error) {
    checks.push(fail('service', "commanders' emails resolve", errorMessage(error), "give raidsync's JIRA account the Browse users permission"));
    return;
  }
  const name = "commanders' emails resolve to one JIRA user each";
  checks.push(
    problems.length === 0
      ? pass('maps', name, `${emails.length} email(s) of open incidents' commanders${Object.keys(maps.users).length > 0 ? `, ${Object.keys(maps.users).length} mapped by hand` : ''}`)
      : fail('maps', name, problems.join('; '), 'map each to its account in maps.users (email: accountId on Cloud, login name on Data Center)'),
  );
}
