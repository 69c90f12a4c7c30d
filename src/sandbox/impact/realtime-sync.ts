import type { ImpactStatus } from '../../impact/incident.js';
import type { EmulatedIncident, IncidentUpdateRecord } from './store.js';
import type { SyncCache } from './sync-cache.js';
import { statusIdFromName, transitionsToApply, type WorkflowGraph } from './workflow-path.js';

/** FireFighter's JIRA login (RAID_JIRA_API_USER / RAID_JIRA_API_PASSWORD): its service account. */
export interface FirefighterJiraLogin {
  user: string;
  password: string;
}

export interface RealtimeSyncOptions {
  /** RAID_JIRA_API_URL. */
  jiraUrl: string;
  login: FirefighterJiraLogin;
  /** "Incident workflow - v2023.03.13" as `/rest/workflowDesigner/latest/workflows` would describe it. */
  workflow: WorkflowGraph;
}

/** One `transition_issue_auto` or `update_issue_fields` call FireFighter made, and how it ended. */
export interface PushRecord {
  incidentId: number;
  ticketKey: string;
  field: 'status' | 'priority';
  /** The JIRA status name aimed at, or the `customfield_11064` value. */
  target: string;
  /** Transition names applied, in order. */
  transitions: string[];
  /** 'applied', 'unchanged: …' when there was nothing to do, 'failed: …' when JIRA refused (FireFighter logs it). */
  outcome: string;
}

export interface RealtimeSyncKnobs {
  pushes: PushRecord[];
  /** Resolves once every push queued so far has run. */
  settled(): Promise<void>;
}

const PENDING_RESOLUTION = 'Pending resolution';
const IN_PROGRESS = 'in progress';

// raid/signals/incident_updated.py:29-36.
const IMPACT_TO_JIRA_STATUS: Readonly<Record<ImpactStatus, string>> = {
  Open: 'Incoming',
  Investigating: IN_PROGRESS,
  Mitigating: IN_PROGRESS,
  Mitigated: 'Reporter validation',
  'Post-mortem': 'Reporter validation',
  Closed: 'Closed',
};

/** FireFighter's Impact→JIRA receivers (raid/signals/incident_updated.py), run after each IncidentUpdate, one at a time. */
export class RealtimeSync implements RealtimeSyncKnobs {
  readonly pushes: PushRecord[] = [];
  private queue: Promise<void> = Promise.resolve();
  private pending = 0;

  constructor(
    private readonly options: RealtimeSyncOptions,
    private readonly cache: SyncCache,
  ) {}

  async settled(): Promise<void> {
    while (this.pending > 0) await this.queue;
  }

  /** `incident_updated` fired for `update`: queue what the two receivers would do. */
  updated(incident: EmulatedIncident, update: IncidentUpdateRecord): void {
    const key = incident.jiraTicketKey;
    if (key === null) return;
    const status = update.changes.status as { to: ImpactStatus } | undefined;
    const priority = update.changes.priority as { to: number } | undefined;
    // l.70-84: updates the webhook made are not pushed back.
    if (status && update.eventType !== 'jira_status_sync') this.enqueue(() => this.pushStatus(incident.id, key, status.to));
    // l.215-229.
    if (priority && update.eventType !== 'jira_priority_sync') this.enqueue(() => this.pushPriority(incident.id, key, priority.to));
  }

  private enqueue(job: () => Promise<void>): void {
    this.pending++;
    this.queue = this.queue.then(job).finally(() => {
      this.pending--;
    });
  }

  /** l.93-192: Investigating/Mitigating walk "Pending resolution" then "in progress", both cached first; each step's failure is logged. */
  private async pushStatus(incidentId: number, key: string, status: ImpactStatus): Promise<void> {
    const steps = status === 'Investigating' || status === 'Mitigating' ? [PENDING_RESOLUTION, IN_PROGRESS] : [IMPACT_TO_JIRA_STATUS[status]];
    for (const step of steps) this.cache.set(incidentId, 'status', step);
    for (const step of steps) {
      const record: PushRecord = { incidentId, ticketKey: key, field: 'status', target: step, transitions: [], outcome: 'applied' };
      this.pushes.push(record);
      try {
        record.outcome = await this.transitionIssueAuto(key, step, record.transitions);
      } catch (error) {
        record.outcome = `failed: ${(error as Error).message}`;
      }
    }
  }

  /** l.245-265: `customfield_11064 = {"value": "<n>"}` through `PUT issue`, cached as ("priority", n). */
  private async pushPriority(incidentId: number, key: string, value: number): Promise<void> {
    const record: PushRecord = { incidentId, ticketKey: key, field: 'priority', target: String(value), transitions: [], outcome: 'applied' };
    this.pushes.push(record);
    this.cache.set(incidentId, 'priority', value);
    try {
      await this.jira('GET', `/issue/${encodeURIComponent(key)}`);
      await this.jira('PUT', `/issue/${encodeURIComponent(key)}`, { fields: { customfield_11064: { value: String(value) } } });
    } catch (error) {
      record.outcome = `failed: ${(error as Error).message}`;
    }
  }

  /** `JiraClient.transition_issue_auto` (jira_app/client.py:73-145); throws on the first refused transition. */
  private async transitionIssueAuto(key: string, target: string, applied: string[]): Promise<string> {
    const { workflow } = this.options;
    const targetId = statusIdFromName(workflow, target);
    if (targetId === undefined) return `unchanged: the workflow has no status ${target}`;
    const issue = (await this.jira('GET', `/issue/${encodeURIComponent(key)}`)) as { fields: { status: { id: string } } };
    const names = transitionsToApply(workflow, issue.fields.status.id, targetId);
    if (names.length === 0) return issue.fields.status.id === targetId ? 'unchanged: already there' : 'unchanged: no transition path';
    for (const name of names) {
      await this.transitionByName(key, name);
      applied.push(name);
    }
    return 'applied';
  }

  /** python-jira's `transition_issue(issue, transition=<name>, fields={})`: the name resolved among the issue's transitions. */
  private async transitionByName(key: string, name: string): Promise<void> {
    const path = `/issue/${encodeURIComponent(key)}/transitions`;
    const listed = (await this.jira('GET', `${path}?expand=transitions.fields`)) as { transitions: Array<{ id: string; name: string }> };
    const transition = listed.transitions.find((candidate) => candidate.name === name);
    if (!transition) throw new Error(`Invalid transition name. ${name}`);
    await this.jira('POST', path, { transition: { id: transition.id }, fields: {} });
  }

  private async jira(method: string, path: string, body?: unknown): Promise<unknown> {
    const { jiraUrl, login } = this.options;
    const response = await fetch(`${jiraUrl}/rest/api/2${path}`, {
      method,
      headers: {
        Authorization: `Basic ${Buffer.from(`${login.user}:${login.password}`).toString('base64')}`,
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`JIRA answered ${response.status} to ${method} ${path}: ${text}`);
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  }
}
