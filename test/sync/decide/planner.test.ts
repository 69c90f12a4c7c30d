import { describe, expect, it } from 'vitest';
import { IMPACT_STATUSES, type ImpactStatus } from '../../../src/impact/incident.js';
import type { SyncField } from '../../../src/sync/fields.js';
import { LoopGuards, type LoopGuard } from '../../../src/sync/decide/loop-guard.js';
import { FIREFIGHTER_MAPS } from '../../../src/sync/decide/maps/firefighter.js';
import { SEED_MAPS } from '../../../src/sync/decide/maps/seed.js';
import type { FieldMaps } from '../../../src/sync/decide/maps/types.js';
import type { SyncCommand } from '../../../src/sync/decide/plan.js';
import type { BaseValues, Pair } from '../../../src/sync/decide/pair.js';
import { plan, type PlanInput } from '../../../src/sync/decide/planner.js';
import type { UserDirectory } from '../../../src/sync/decide/user-directory.js';
import { incident, issue } from '../../support/records.js';

const NOW = Date.parse('2026-11-27T10:00:00Z');
const directory: UserDirectory = new Map([['alice@acme.test', { outcome: 'one', account: 'acc-alice', displayName: 'Alice Martin' }]]);

function run(
  pair: Pair,
  options: {
    command?: SyncCommand;
    fields?: SyncField[];
    maps?: FieldMaps;
    base?: Partial<Record<SyncField, BaseValues>>;
    guards?: LoopGuard[];
    conflict?: PlanInput['conflict'];
    directory?: UserDirectory;
  } = {},
) {
  return plan({
    command: options.command ?? 'reconcile',
    pairs: [pair],
    fields: options.fields ?? ['status'],
    maps: options.maps ?? SEED_MAPS,
    directory: options.directory ?? directory,
    bases: new Map([[pair.incident.id, new Map(Object.entries(options.base ?? {}) as [SyncField, BaseValues][])]]),
    guards: new LoopGuards(options.guards ?? []),
    conflict: options.conflict ?? 'impact',
    now: NOW,
    loopWindowMs: 30_000,
  });
}

describe('seed maps, every row', () => {
  it.each(Object.entries(SEED_MAPS.impactToJiraStatus))('push Impact %s → JIRA %s', (impactStatus, jiraStatus) => {
    const from = Object.keys(SEED_MAPS.jiraToImpactStatus).find((s) => s !== jiraStatus && SEED_MAPS.jiraToImpactStatus[s] !== impactStatus);
    const result = run({ incident: incident({ status: impactStatus as ImpactStatus }), issue: issue({ status: from }) }, { command: 'push' });
    expect(result.changes).toMatchObject([{ field: 'status', direction: 'impact_to_jira', from, to: jiraStatus, target: jiraStatus, outcome: 'planned' }]);
  });

  it.each(Object.entries(SEED_MAPS.jiraToImpactStatus))('pull JIRA %s → Impact %s', (jiraStatus, impactStatus) => {
    const current = IMPACT_STATUSES.find((s) => s !== impactStatus && SEED_MAPS.impactToJiraStatus[s] !== jiraStatus) as ImpactStatus;
    const result = run({ incident: incident({ status: current }), issue: issue({ status: jiraStatus }) }, { command: 'pull' });
    expect(result.changes).toMatchObject([{ direction: 'jira_to_impact', from: current, to: impactStatus, target: impactStatus }]);
  });

  it.each(Object.entries(SEED_MAPS.impactToJiraPriority))('priority P%s ↔ %s both ways', (level, name) => {
    const other = name === 'Lowest' ? 'Highest' : 'Lowest';
    const pushed = run({ incident: incident({ priority: Number(level) }), issue: issue({ priority: other }) }, { command: 'push', fields: ['priority'] });
    expect(pushed.changes).toMatchObject([{ from: other, to: name, target: name }]);
    const otherLevel = level === '5' ? 1 : 5;
    const pulled = run({ incident: incident({ priority: otherLevel }), issue: issue({ priority: name }) }, { command: 'pull', fields: ['priority'] });
    expect(pulled.changes).toMatchObject([{ direction: 'jira_to_impact', from: `P${otherLevel}`, to: `P${level}`, target: level }]);
  });
});

describe('firefighter maps', () => {
  it('pushes priority as the custom field value and statuses by FireFighter names', () => {
    const result = run(
      { incident: incident({ priority: 1, status: 'Mitigated' }), issue: issue({ priority: '3', status: 'in progress' }) },
      { command: 'push', maps: FIREFIGHTER_MAPS, fields: ['priority', 'status'] },
    );
    expect(result.changes.map((c) => [c.field, c.target])).toEqual([
      ['priority', '1'],
      ['status', 'Reporter validation'],
    ]);
  });

  it('reads legacy priority names on the way back', () => {
    const result = run({ incident: incident({ priority: 4 }), issue: issue({ priority: 'High' }) }, { command: 'pull', maps: FIREFIGHTER_MAPS, fields: ['priority'] });
    expect(result.changes[0]?.target).toBe('2');
  });

  it('finds Investigating and "in progress" in agreement', () => {
    const result = run({ incident: incident({ status: 'Investigating' }), issue: issue({ status: 'in progress' }) }, { maps: FIREFIGHTER_MAPS });
    expect(result.changes).toEqual([]);
  });
});

describe('equivalence', () => {
  it('Impact Investigating and JIRA "To Do" are in sync (many-to-one map)', () => {
    const result = run({ incident: incident({ status: 'Investigating' }), issue: issue({ status: 'To Do' }) });
    expect(result.changes).toEqual([]);
    expect(result.agreed).toEqual([{ incident: 42, field: 'status', impact: 'Investigating', jira: 'To Do' }]);
  });

  it('line endings and trailing blanks in descriptions are not drift', () => {
    const result = run(
      { incident: incident({ description: 'Indexer falls behind.\nSee dashboards.' }), issue: issue({ description: 'Indexer falls behind.  \r\nSee dashboards.\r\n\r\n' }) },
      { fields: ['description'] },
    );
    expect(result.changes).toEqual([]);
  });

  it('a title longer than JIRA allows is in sync with its truncated summary', () => {
    const long = 'x'.repeat(300);
    const first = run({ incident: incident({ title: long }), issue: issue({ summary: 'old' }) }, { fields: ['title'], command: 'push' });
    const target = first.changes[0]?.target ?? '';
    expect(target).toHaveLength(255);
    expect(run({ incident: incident({ title: long }), issue: issue({ summary: target }) }, { fields: ['title'] }).changes).toEqual([]);
  });
});

describe('three-way reconcile', () => {
  const base = { status: { impact: 'Mitigating', jira: 'In Progress' } };

  it('only Impact changed → push', () => {
    const result = run({ incident: incident({ status: 'Mitigated' }), issue: issue({ status: 'In Progress' }) }, { base });
    expect(result.changes).toMatchObject([{ direction: 'impact_to_jira', to: 'Resolved', reason: 'impact changed since last sync (Mitigating → Mitigated)' }]);
  });

  it('only JIRA changed → pull', () => {
    const result = run({ incident: incident({ status: 'Mitigating' }), issue: issue({ status: 'Resolved' }) }, { base });
    expect(result.changes).toMatchObject([{ direction: 'jira_to_impact', to: 'Mitigated', reason: 'jira changed since last sync (In Progress → Resolved)' }]);
  });

  it('only JIRA changed a one-way field → Impact value restored', () => {
    const result = run(
      { incident: incident({ title: 'Checkout down' }), issue: issue({ summary: 'Checkout is down!!' }) },
      { fields: ['title'], base: { title: { impact: 'Checkout down', jira: 'Checkout down' } } },
    );
    expect(result.changes).toMatchObject([{ direction: 'impact_to_jira', from: 'Checkout is down!!', to: 'Checkout down' }]);
    expect(result.changes[0]?.reason).toContain("restoring Impact's value");
  });

  const conflictPair = { incident: incident({ status: 'Mitigated' }), issue: issue({ status: 'Blocked' }) };
  it.each([
    ['impact', 'impact_to_jira', 'planned', 'Resolved'],
    ['jira', 'jira_to_impact', 'planned', 'Mitigating'],
    ['skip', 'impact_to_jira', 'conflict', 'Resolved'],
  ] as const)('both changed, policy %s → %s %s', (policy, direction, outcome, to) => {
    const result = run(conflictPair, { base, conflict: policy });
    expect(result.changes).toMatchObject([{ direction, outcome, to }]);
    expect(result.changes[0]?.reason).toContain('both changed since last sync');
  });

  it.each([
    ['impact', 'impact_to_jira', 'planned'],
    ['jira', 'jira_to_impact', 'planned'],
    ['skip', 'impact_to_jira', 'conflict'],
  ] as const)('no base yet, policy %s → %s %s', (policy, direction, outcome) => {
    const result = run({ incident: incident({ status: 'Mitigated' }), issue: issue({ status: 'In Progress' }) }, { conflict: policy });
    expect(result.changes).toMatchObject([{ direction, outcome }]);
    expect(result.changes[0]?.reason).toContain('no base yet');
  });

  it('a field in sync produces no change, only a new base', () => {
    const result = run({ incident: incident(), issue: issue() }, { fields: ['title', 'description', 'priority', 'status', 'commander'] });
    expect(result.changes).toEqual([]);
    expect(result.agreed.map((a) => a.field)).toEqual(['title', 'description', 'priority', 'status', 'commander']);
  });

  it('pull leaves one-way fields alone', () => {
    const result = run({ incident: incident({ title: 'A' }), issue: issue({ summary: 'B' }) }, { command: 'pull', fields: ['title'] });
    expect(result.changes).toEqual([]);
  });
});

describe('values no map covers are reported, never silently ignored', () => {
  it('an unmapped JIRA status is skipped with the value named', () => {
    const result = run(
      { incident: incident({ status: 'Mitigating' }), issue: issue({ status: 'Code Review' }) },
      { base: { status: { impact: 'Mitigating', jira: 'In Progress' } } },
    );
    expect(result.changes).toMatchObject([{ direction: 'jira_to_impact', outcome: 'skipped' }]);
    expect(result.changes[0]?.reason).toContain('"Code Review"');
  });

  it('a commander with no JIRA user is blocked before any write', () => {
    const result = run({ incident: incident({ commanderEmail: 'nobody@acme.test' }), issue: issue() }, { fields: ['commander'] });
    expect(result.changes).toMatchObject([{ outcome: 'blocked', reason: 'no JIRA user has the email nobody@acme.test (if JIRA hides it, map it in maps.users)' }]);
  });

  it('two JIRA users with one email block the assignee change', () => {
    const many: UserDirectory = new Map([['bob@acme.test', { outcome: 'many', count: 2 }]]);
    const result = run({ incident: incident({ commanderEmail: 'bob@acme.test' }), issue: issue() }, { fields: ['commander'], directory: many });
    expect(result.changes[0]).toMatchObject({ outcome: 'blocked', reason: '2 JIRA users have the email bob@acme.test; map the right one in maps.users' });
  });

  it('a hidden-email assignee is matched through maps.users', () => {
    const maps = { ...SEED_MAPS, users: { 'dave@acme.test': 'acc-dave' } };
    const pair = { incident: incident({ commanderEmail: 'dave@acme.test' }), issue: issue({ assignee: { accountId: 'acc-dave', name: null, email: null, displayName: 'Dave' } }) };
    expect(run(pair, { fields: ['commander'], maps }).changes).toEqual([]);
  });

  it('no commander unassigns the ticket', () => {
    const result = run({ incident: incident({ commanderEmail: null }), issue: issue() }, { fields: ['commander'], command: 'push' });
    expect(result.changes).toMatchObject([{ from: 'alice@acme.test', to: null, target: null }]);
  });
});

describe('loop guard', () => {
  const base = { status: { impact: 'Mitigated', jira: 'Resolved' } };
  const wrote = (secondsAgo: number): LoopGuard => ({ key: 'sync:jira_issue:INC-7:impact_to_jira', field: 'status', value: 'Resolved', writtenAt: NOW - secondsAgo * 1000 });
  const stalePair = { incident: incident({ status: 'Mitigated' }), issue: issue({ status: 'In Progress' }) };

  it('a stale read inside the window is not pulled back', () => {
    const result = run(stalePair, { base, guards: [wrote(5)] });
    expect(result.changes).toMatchObject([{ direction: 'jira_to_impact', outcome: 'skipped' }]);
    expect(result.changes[0]?.reason).toContain('loop guard');
  });

  it('after the window, a real JIRA change is pulled', () => {
    const result = run(stalePair, { base, guards: [wrote(31)] });
    expect(result.changes).toMatchObject([{ direction: 'jira_to_impact', outcome: 'planned', to: 'Mitigating' }]);
  });

  it('a push is not repeated over a stale read', () => {
    const result = run(stalePair, { command: 'push', base, guards: [wrote(5)] });
    expect(result.changes).toMatchObject([{ outcome: 'skipped' }]);
  });
});
