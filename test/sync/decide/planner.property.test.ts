import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadBases, saveBases } from '../../../src/state/bases.js';
import { forgetPair } from '../../../src/state/pairs.js';
import type { StateDb } from '../../../src/state/open.js';
import { toBases } from '../../../src/sync/decide/stored-state.js';
import { describeEachBackend } from '../../support/backends.js';
import { openTempState } from '../../state/temp-state.js';
import { IMPACT_STATUSES, type Incident, type ImpactStatus } from '../../../src/impact/incident.js';
import type { JiraIssue } from '../../../src/jira/issue.js';
import { FIELD_ADAPTERS } from '../../../src/sync/decide/field-adapters.js';
import { SYNC_FIELDS, type SyncField } from '../../../src/sync/fields.js';
import { LoopGuards } from '../../../src/sync/decide/loop-guard.js';
import { FIREFIGHTER_MAPS } from '../../../src/sync/decide/maps/firefighter.js';
import { SEED_MAPS } from '../../../src/sync/decide/maps/seed.js';
import type { FieldMaps } from '../../../src/sync/decide/maps/types.js';
import type { Plan, SyncCommand } from '../../../src/sync/decide/plan.js';
import type { BaseValues, Pair } from '../../../src/sync/decide/pair.js';
import { plan } from '../../../src/sync/decide/planner.js';
import type { UserDirectory } from '../../../src/sync/decide/user-directory.js';
import { incident as makeIncident, issue as makeIssue } from '../../support/records.js';

const PEOPLE = ['alice', 'bob', 'carol'];
const directory: UserDirectory = new Map(PEOPLE.map((p) => [`${p}@acme.test`, { outcome: 'one', account: `acc-${p}`, displayName: p }]));

function jiraStatuses(maps: FieldMaps) {
  return [...Object.keys(maps.jiraToImpactStatus), 'Code Review'];
}

function pairArbitrary(maps: FieldMaps, id: number) {
  const person = fc.option(fc.constantFrom(...PEOPLE), { nil: null });
  const text = fc.constantFrom('Checkout down', 'Checkout is down', 'Search slow', 'Search slow  \n');
  return fc
    .record({
      title: text,
      summary: text,
      status: fc.constantFrom(...IMPACT_STATUSES),
      jiraStatus: fc.constantFrom(...jiraStatuses(maps)),
      priority: fc.integer({ min: 1, max: 5 }),
      jiraPriority: fc.constantFrom(...Object.values(maps.impactToJiraPriority)),
      commander: person,
      assignee: person,
    })
    .map(({ title, summary, status, jiraStatus, priority, jiraPriority, commander, assignee }): Pair => ({
      incident: makeIncident({ id, title, status, priority, commanderEmail: commander === null ? null : `${commander}@acme.test`, jiraTicketKey: `INC-${id}` }),
      issue: makeIssue({
        key: `INC-${id}`,
        id: String(10_000 + id),
        summary,
        status: jiraStatus,
        priority: jiraPriority,
        assignee: assignee === null ? null : { accountId: `acc-${assignee}`, name: assignee, email: `${assignee}@acme.test`, displayName: assignee },
      }),
    }));
}

const worldArbitrary = (maps: FieldMaps) =>
  fc.integer({ min: 1, max: 6 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => pairArbitrary(maps, i + 1))));

type Bases = Map<number, Map<SyncField, BaseValues>>;

function runPlan(pairs: Pair[], bases: Bases, command: SyncCommand, conflict: 'impact' | 'jira' | 'skip', maps: FieldMaps): Plan {
  return plan({ command, pairs, fields: [...SYNC_FIELDS], maps, directory, bases, guards: new LoopGuards([]), conflict, now: 0, loopWindowMs: 30_000 });
}

/** What the applier does to the two systems, done to plain records: the target value lands on the target side. */
function simulateApply(pairs: Pair[], result: Plan, bases: Bases): Pair[] {
  const next = pairs.map((pair) => ({ incident: { ...pair.incident }, issue: { ...pair.issue } }));
  for (const change of result.changes) {
    if (change.outcome !== 'planned') continue;
    const pair = next.find((p) => p.incident.id === change.incident) as Pair;
    if (change.direction === 'impact_to_jira') setJira(pair.issue, change.field, change.target);
    else setImpact(pair.incident, change.field, change.target);
    const record = bases.get(change.incident) ?? new Map();
    bases.set(change.incident, record);
    const pushed = change.direction === 'impact_to_jira';
    record.set(change.field, { impact: pushed ? change.expected.impact : change.target, jira: pushed ? change.target : change.expected.jira });
  }
  for (const agreed of result.agreed) {
    const record = bases.get(agreed.incident) ?? new Map();
    bases.set(agreed.incident, record);
    record.set(agreed.field, { impact: agreed.impact, jira: agreed.jira });
  }
  return next;
}

function setJira(issue: JiraIssue, field: SyncField, value: string | null): void {
  if (field === 'title') issue.summary = value ?? '';
  if (field === 'description') issue.description = value ?? '';
  if (field === 'priority') issue.priority = value;
  if (field === 'status') issue.status = value ?? '';
  if (field === 'commander') issue.assignee = value === null ? null : { accountId: value, name: null, email: `${value.replace('acc-', '')}@acme.test`, displayName: null };
}

function setImpact(incident: Incident, field: SyncField, value: string | null): void {
  if (field === 'priority') incident.priority = value === null ? null : Number(value);
  if (field === 'status') incident.status = value as ImpactStatus;
}

const editArbitrary = (maps: FieldMaps) =>
  fc.record({
    side: fc.constantFrom('impact', 'jira'),
    field: fc.constantFrom<SyncField>('status', 'priority', 'title'),
    status: fc.constantFrom(...IMPACT_STATUSES),
    jiraStatus: fc.constantFrom(...Object.keys(maps.jiraToImpactStatus)),
    priority: fc.integer({ min: 1, max: 5 }),
    title: fc.constantFrom('Edited title', 'Another title'),
  });

/** Bases as the next run sees them: written to the state and read back (the state holds only these). */
async function throughState(state: StateDb, bases: Bases): Promise<Bases> {
  await state.db.transaction().execute(async (trx) => {
    for (const incident of (await loadBases(trx)).keys()) await forgetPair(trx, incident);
    const records = [...bases].flatMap(([incidentId, fields]) => [...fields].map(([field, values]) => ({ incidentId, field, ...values, recordedAt: new Date(0) })));
    await saveBases(trx, records);
  });
  return new Map([...toBases(await loadBases(state.db))].map(([incident, fields]) => [incident, new Map(fields)]));
}

describeEachBackend('reconcile converges, bases kept in the state', (backend) => {
  describe.each([
    ['seed', SEED_MAPS],
    ['firefighter', FIREFIGHTER_MAPS],
  ] as const)('%s maps', (_name, maps) => {
    it('a second reconcile plans nothing: no flapping', async () => {
      const state = await openTempState(backend);
      await fc.assert(
        fc.asyncProperty(worldArbitrary(maps), fc.constantFrom('impact', 'jira', 'skip' as const), async (pairs, conflict) => {
          const bases: Bases = new Map();
          const after = simulateApply(pairs, runPlan(pairs, bases, 'reconcile', conflict, maps), bases);
          const second = runPlan(after, await throughState(state, bases), 'reconcile', conflict, maps);
          expect(second.changes.filter((c) => c.outcome === 'planned')).toEqual([]);
        }),
        { numRuns: 300 },
      );
    });

    it('a field changed on exactly one side since the base is never overwritten by the other side', async () => {
      const state = await openTempState(backend);
      await fc.assert(
        fc.asyncProperty(worldArbitrary(maps), editArbitrary(maps), fc.constantFrom('impact', 'jira', 'skip' as const), async (pairs, edit, conflict) => {
          const first: Bases = new Map();
          const synced = simulateApply(pairs, runPlan(pairs, first, 'reconcile', 'impact', maps), first);
          const bases = await throughState(state, first);
          const target = synced[0] as Pair;
          if (edit.side === 'impact') {
            if (edit.field === 'status') target.incident.status = edit.status;
            if (edit.field === 'priority') target.incident.priority = edit.priority;
            if (edit.field === 'title') target.incident.title = edit.title;
          } else {
            if (edit.field === 'status') target.issue.status = edit.jiraStatus;
            if (edit.field === 'priority') target.issue.priority = maps.impactToJiraPriority[String(edit.priority) as '1'];
            if (edit.field === 'title') target.issue.summary = edit.title;
          }
          const ctx = { ...target, maps, directory };
          const adapter = FIELD_ADAPTERS[edit.field];
          const edited = edit.side === 'impact' ? adapter.impactValue(target.incident) : adapter.jiraValue(ctx);
          const result = runPlan(synced, bases, 'reconcile', conflict, maps);
          const after = simulateApply(synced, result, bases);
          const final = after.find((p) => p.incident.id === target.incident.id) as Pair;
          const finalCtx = { ...final, maps, directory };
          const twoWay = edit.field !== 'title';
          if (edit.side === 'impact' || twoWay) {
            // The edited side keeps its value (JIRA edits of one-way fields are restored by design).
            const now = edit.side === 'impact' ? adapter.impactValue(final.incident) : adapter.jiraValue(finalCtx);
            expect(now).toBe(edited);
          }
          expect(result.changes.filter((c) => c.outcome === 'conflict')).toEqual([]);
        }),
        { numRuns: 300 },
      );
    });
  });
});
