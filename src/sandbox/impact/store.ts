import type { ImpactStatus } from '../../impact/incident.js';
import type {
  ParsedImpactSeed,
  SeedCategory,
  SeedCost,
  SeedEnvironment,
  SeedGroup,
  SeedMetric,
  SeedPostmortem,
  SeedPriority,
  SeedUser,
} from './seed.js';

/** One IncidentUpdate row: how FireFighter remembers who changed what. */
export interface IncidentUpdateRecord {
  eventType: 'jira_status_sync' | 'jira_priority_sync' | 'human_edit';
  message: string;
  changes: Partial<Record<'status' | 'priority' | 'title' | 'description' | 'commanderEmail', unknown>>;
}

/** An incident's state inside the emulator, as tests inspect it. */
export interface EmulatedIncident {
  id: number;
  title: string;
  description: string;
  status: ImpactStatus;
  /** The priority's `value`. */
  priority: number;
  environment: string;
  category: string;
  createdAt: string;
  createdByEmail: string;
  commanderEmail: string | null;
  communicationLeadEmail: string | null;
  jiraTicketKey: string | null;
  slackChannelName: string;
  ignore: boolean;
  tags: string[];
  costs: SeedCost[];
  metrics: SeedMetric[];
  postmortem: SeedPostmortem | null;
  missingKeyEvents: string[];
  updates: IncidentUpdateRecord[];
}

export interface HumanEdit {
  status?: ImpactStatus;
  priority?: number;
  title?: string;
  description?: string;
  commanderEmail?: string | null;
}

/** FireFighter's database, in memory: reference rows by their natural keys, incidents in row order. */
export class IncidentStore {
  readonly jiraUrl: string;
  private readonly priorities: Map<number, SeedPriority>;
  private readonly environments: Map<string, SeedEnvironment>;
  private readonly categories: Map<string, SeedCategory>;
  private readonly groups: Map<string, SeedGroup>;
  private readonly users: Map<string, SeedUser>;
  // Postgres returns unordered rows roughly in heap order, where an UPDATE moves a row to the end.
  private rows: EmulatedIncident[];
  // Bumped by every change of an incident: what a cache of its rendering is checked against.
  private readonly revisions = new WeakMap<EmulatedIncident, number>();
  /** Told of every IncidentUpdate, as FireFighter's `incident_updated` receivers are. */
  onUpdate: ((incident: EmulatedIncident, update: IncidentUpdateRecord) => void) | undefined;

  constructor(seed: ParsedImpactSeed) {
    this.jiraUrl = seed.jiraUrl.replace(/\/+$/, '');
    this.priorities = new Map(seed.priorities.map((p) => [p.value, p]));
    this.environments = new Map(seed.environments.map((e) => [e.value, e]));
    this.categories = new Map(seed.categories.map((c) => [c.name, c]));
    this.groups = new Map(seed.groups.map((g) => [g.name, g]));
    this.users = new Map(seed.users.map((u) => [u.email, u]));
    this.rows = seed.incidents.map((incident) => ({
      id: incident.id,
      title: incident.title,
      description: incident.description,
      status: incident.status,
      priority: incident.priority,
      environment: incident.environment,
      category: incident.category,
      createdAt: incident.createdAt,
      createdByEmail: incident.createdBy,
      commanderEmail: incident.commander,
      communicationLeadEmail: incident.communicationLead,
      jiraTicketKey: incident.jiraTicketKey,
      slackChannelName: incident.slackChannelName,
      ignore: incident.ignore,
      tags: [...incident.tags],
      costs: structuredClone(incident.costs),
      metrics: structuredClone(incident.metrics),
      postmortem: incident.postmortem === null ? null : { ...incident.postmortem },
      missingKeyEvents: [...incident.missingKeyEvents],
      updates: [],
    }));
  }

  /** Live rows in heap order; callers must not mutate them. */
  incidents(): readonly EmulatedIncident[] {
    return this.rows;
  }

  /** How many times the incident has changed since the seed. */
  revision(incident: EmulatedIncident): number {
    return this.revisions.get(incident) ?? 0;
  }

  find(id: number): EmulatedIncident | undefined {
    return this.rows.find((row) => row.id === id);
  }

  findByJiraKey(key: string): EmulatedIncident | undefined {
    return this.rows.find((row) => row.jiraTicketKey === key);
  }

  priority(value: number): SeedPriority | undefined {
    return this.priorities.get(value);
  }

  allPriorities(): SeedPriority[] {
    return [...this.priorities.values()];
  }

  environment(value: string): SeedEnvironment | undefined {
    return this.environments.get(value);
  }

  allEnvironments(): SeedEnvironment[] {
    return [...this.environments.values()];
  }

  category(name: string): SeedCategory | undefined {
    return this.categories.get(name);
  }

  allCategories(): SeedCategory[] {
    return [...this.categories.values()];
  }

  group(name: string): SeedGroup | undefined {
    return this.groups.get(name);
  }

  allGroups(): SeedGroup[] {
    return [...this.groups.values()];
  }

  user(email: string): SeedUser | undefined {
    return this.users.get(email);
  }

  allUsers(): SeedUser[] {
    return [...this.users.values()];
  }

  /** `needs_postmortem`: the priority asks for one and the incident is in PRD (a post-mortem system is enabled). */
  needsPostmortem(incident: EmulatedIncident): boolean {
    return (this.priorities.get(incident.priority)?.needsPostmortem ?? false) && incident.environment === 'PRD';
  }

  /** `create_incident_update(status=…)` with its side effects on key events and post-mortems. */
  setStatus(incident: EmulatedIncident, status: ImpactStatus, update: Omit<IncidentUpdateRecord, 'changes'>): void {
    const from = incident.status;
    incident.status = status;
    // Reaching Mitigated upserts the `recovered` key event (incident.py create_incident_update).
    if (status === 'Mitigated') incident.missingKeyEvents = incident.missingKeyEvents.filter((event) => event !== 'recovered');
    // postmortem_created_handler opens the Jira post-mortem on Mitigated / Post-mortem when one is needed.
    if ((status === 'Mitigated' || status === 'Post-mortem') && incident.postmortem === null && this.needsPostmortem(incident)) {
      incident.postmortem = { key: `PM-${incident.id}`, status: 'Open' };
    }
    this.recordUpdate(incident, { ...update, changes: { status: { from, to: status } } });
  }

  setPriority(incident: EmulatedIncident, priority: number, update: Omit<IncidentUpdateRecord, 'changes'>): void {
    const from = incident.priority;
    incident.priority = priority;
    this.recordUpdate(incident, { ...update, changes: { priority: { from, to: priority } } });
  }

  /** A person edits the incident in FireFighter's UI. Throws on values FireFighter would refuse. */
  applyHumanEdit(id: number, edit: HumanEdit): void {
    const incident = this.find(id);
    if (!incident) throw new Error(`no incident ${id} in the FireFighter emulator`);
    if (edit.priority !== undefined && !this.priorities.has(edit.priority)) throw new Error(`no priority with value ${edit.priority}`);
    if (edit.commanderEmail !== undefined && edit.commanderEmail !== null && !this.users.has(edit.commanderEmail)) {
      throw new Error(`no user ${edit.commanderEmail}`);
    }
    if (edit.title !== undefined && (edit.title.length === 0 || edit.title.length > 128)) throw new Error('title must be 1..128 characters');
    const message = 'Edited in FireFighter';
    if (edit.status !== undefined && edit.status !== incident.status) {
      this.setStatus(incident, edit.status, { eventType: 'human_edit', message });
    }
    if (edit.priority !== undefined && edit.priority !== incident.priority) {
      this.setPriority(incident, edit.priority, { eventType: 'human_edit', message });
    }
    const changes: IncidentUpdateRecord['changes'] = {};
    if (edit.title !== undefined) {
      changes.title = { from: incident.title, to: edit.title };
      incident.title = edit.title;
    }
    if (edit.description !== undefined) {
      changes.description = { from: incident.description, to: edit.description };
      incident.description = edit.description;
    }
    if (edit.commanderEmail !== undefined) {
      changes.commanderEmail = { from: incident.commanderEmail, to: edit.commanderEmail };
      incident.commanderEmail = edit.commanderEmail;
    }
    if (Object.keys(changes).length > 0) this.recordUpdate(incident, { eventType: 'human_edit', message, changes });
  }

  private recordUpdate(incident: EmulatedIncident, update: IncidentUpdateRecord): void {
    this.revisions.set(incident, this.revision(incident) + 1);
    incident.updates.push(update);
    this.rows = [...this.rows.filter((row) => row !== incident), incident];
    this.onUpdate?.(incident, update);
  }
}
