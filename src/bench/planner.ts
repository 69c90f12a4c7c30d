import type { Incident } from '../impact/incident.js';
import type { JiraIssue } from '../jira/issue.js';
import { SYNC_FIELDS, type SyncField } from '../sync/fields.js';
import { LoopGuards } from '../sync/decide/loop-guard.js';
import { SEED_MAPS } from '../sync/decide/maps/seed.js';
import type { BaseValues, Pair } from '../sync/decide/pair.js';
import { plan } from '../sync/decide/planner.js';

/** Times the pure planner alone over `count` pairs × every sync field, half of them with a base, 2% drifted. */
export function timePlanner(count: number): { ms: number; changes: number } {
  const pairs: Pair[] = [];
  const bases = new Map<number, Map<SyncField, BaseValues>>();
  for (let id = 1; id <= count; id++) {
    const drifted = id % 50 === 0;
    const incident: Incident = {
      id,
      title: `Incident ${id}`,
      description: `Errors on shard ${id % 97}.`,
      status: 'Mitigating',
      priority: (id % 5) + 1,
      commanderEmail: 'alice@acme.test',
      jiraTicketKey: `INC-${id}`,
      createdAt: '2026-11-01T09:00:00+01:00',
      environment: 'PRD',
      category: null,
      statusPageUrl: `https://firefighter.example/incident/${id}/`,
      ignore: false,
    };
    const issue: JiraIssue = {
      id: String(100_000 + id),
      key: `INC-${id}`,
      summary: drifted ? `Incident ${id} (edited)` : `Incident ${id}`,
      description: `Errors on shard ${id % 97}.`,
      status: 'In Progress',
      statusId: '3',
      priority: ['Highest', 'High', 'Medium', 'Low', 'Lowest'][id % 5] as string,
      assignee: { accountId: 'acc-alice', name: null, email: 'alice@acme.test', displayName: 'Alice' },
      labels: [],
      created: '2026-11-01T09:00:00.000+0000',
      updated: '2026-11-01T09:00:00.000+0000',
    };
    pairs.push({ incident, issue });
    if (id % 2 === 0) bases.set(id, new Map([['title', { impact: incident.title, jira: incident.title }]]));
  }
  const started = performance.now();
  const result = plan({
    command: 'reconcile',
    pairs,
    fields: [...SYNC_FIELDS],
    maps: SEED_MAPS,
    directory: new Map([['alice@acme.test', { outcome: 'one', account: 'acc-alice', displayName: 'Alice' }]]),
    bases,
    guards: new LoopGuards([]),
    conflict: 'impact',
    now: Date.now(),
    loopWindowMs: 30_000,
  });
  return { ms: performance.now() - started, changes: result.changes.length };
}
