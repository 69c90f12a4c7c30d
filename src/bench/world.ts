import { readFileSync } from 'node:fs';
import { fixturePath } from '../sandbox/sandbox.js';
import type { ImpactSeed } from '../sandbox/impact/seed.js';
import type { JiraSeed } from '../sandbox/jira/seed.js';

/** People with visible emails in the fixtures: commanders the benchmark can assign. */
const PEOPLE = [
  { email: 'alice@acme.test', accountId: '5b10ac8d82e05b22cc7d4e01' },
  { email: 'bob@acme.test', accountId: '5b10ac8d82e05b22cc7d4e02' },
  { email: 'carol@acme.test', accountId: '5b10ac8d82e05b22cc7d4e03' },
  { email: 'erin@acme.test', accountId: '5b10ac8d82e05b22cc7d4e05' },
];
/** Impact status and a JIRA status the seed maps treat as the same, so undrifted pairs agree. */
const STATUSES = [
  { impact: 'Investigating', jira: 'To Do' },
  { impact: 'Mitigating', jira: 'In Progress' },
  { impact: 'Mitigated', jira: 'Resolved' },
  { impact: 'Open', jira: 'Open' },
] as const;
const PRIORITY_NAMES = ['Highest', 'High', 'Medium', 'Low', 'Lowest'];

export type DriftKind = 'summary' | 'priority' | 'status' | 'assignee';
const DRIFT_KINDS: readonly DriftKind[] = ['summary', 'priority', 'status', 'assignee'];

export interface BenchWorld {
  jira: JiraSeed;
  impact: ImpactSeed;
  /** Which pairs were seeded drifted, and how. */
  drifted: Map<number, DriftKind>;
  /** What the first run must write to JIRA at the least: one PUT per issue drifted on a field, one hop per status drift. */
  firstRunWrites: { issueEdits: number; hops: number };
}

const DAY_MS = 86_400_000;

/**
 * N linked pairs on the fixtures' reference data (users, workflow, priorities), `driftEvery`-th pair drifted
 * on one field, cycling through the kinds: one PUT each, or one transition hop (In Review → Resolved) for status.
 * The tickets' last edits are spread over the `spreadDays` before `now`, in an order unrelated to their keys.
 */
export function benchWorld(pairs: number, driftEvery: number, { now = Date.now(), spreadDays = 30 } = {}): BenchWorld {
  const jiraBase = JSON.parse(readFileSync(fixturePath('jira.json'), 'utf8')) as JiraSeed & { issues: unknown[] };
  const impactBase = JSON.parse(readFileSync(fixturePath('impact.json'), 'utf8')) as ImpactSeed & { incidents: Array<Record<string, unknown>> };
  const template = impactBase.incidents[0] as Record<string, unknown>;
  const drifted = new Map<number, DriftKind>();
  const issues: unknown[] = [];
  const incidents: unknown[] = [];
  for (let id = 1; id <= pairs; id++) {
    const status = STATUSES[id % STATUSES.length] as (typeof STATUSES)[number];
    const person = PEOPLE[id % PEOPLE.length] as (typeof PEOPLE)[number];
    const priority = (id % 5) + 1;
    const title = `Incident ${id}: checkout errors on shard ${id % 97}`;
    const description = `Errors on shard ${id % 97} since the deploy of build ${id}.`;
    const kind = id % driftEvery === 0 ? (DRIFT_KINDS[(id / driftEvery) % DRIFT_KINDS.length] as DriftKind) : null;
    if (kind) drifted.set(id, kind);
    // 7,919 is prime: id ↦ id × 7,919 mod N visits each slot once (N not its multiple), so edit order is not key order.
    const updated = now - spreadDays * DAY_MS + Math.floor((((id * 7_919) % pairs) * spreadDays * DAY_MS) / pairs);
    const created = updated - ((id % 48) + 1) * 3_600_000;
    issues.push({
      key: `INC-${id}`,
      id: String(100_000 + id),
      project: 'INC',
      issueType: 'Incident',
      summary: kind === 'summary' ? `${title} (edited in JIRA)` : title,
      description,
      status: kind === 'status' ? 'In Review' : status.jira,
      priority: PRIORITY_NAMES[(kind === 'priority' ? priority % 5 : priority - 1)],
      customFields: { customfield_11064: String(priority) },
      assignee: kind === 'assignee' ? null : person.accountId,
      reporter: '5b10ac8d82e05b22cc7d4eb0',
      resolution: null,
      labels: ['incident'],
      created: jiraTime(created),
      updated: jiraTime(updated),
    });
    incidents.push({
      ...template,
      id,
      title,
      description,
      status: kind === 'status' ? 'Mitigated' : status.impact,
      priority,
      createdAt: new Date(created).toISOString(),
      commander: person.email,
      jiraTicketKey: `INC-${id}`,
      slackChannelName: `inc-${id}`,
      tags: [],
      costs: [],
      metrics: [],
      postmortem: null,
      missingKeyEvents: [],
    });
  }
  const statusDrifts = [...drifted.values()].filter((kind) => kind === 'status').length;
  return {
    jira: { ...jiraBase, issues } as JiraSeed,
    impact: { ...impactBase, incidents } as ImpactSeed,
    drifted,
    firstRunWrites: { issueEdits: drifted.size - statusDrifts, hops: statusDrifts },
  };
}

/** JIRA's timestamp form: `2026-11-01T09:00:00.000+0000`. */
function jiraTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}
