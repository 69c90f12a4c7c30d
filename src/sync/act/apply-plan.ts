import { forEachConcurrently } from '../../net/concurrency.js';
import { forgetStatusPaths } from '../../state/status-paths.js';
import { applyPair, type AppliedChange, type ApplyContext } from './applier.js';
import { stateJournal } from './journaled.js';
import { recordReadAfterWrite } from './read-after-write.js';
import { changeEvent, type RunObserver } from '../events.js';
import type { SyncField } from '../fields.js';
import type { FieldChange, Plan } from '../decide/plan.js';
import type { Pair } from '../decide/pair.js';
import type { RunServices } from '../run-services.js';
import { recordAgreedPairs, recordPair, stripApplied } from './record.js';
import { scrubbed } from '../scrubbed.js';
import { settledStatusPaths } from './status-push-settings.js';
import type { StatusPushSettings } from './status-push.js';

/** Drifted pairs applied at once; each host's limiter (8 requests) still caps what reaches a server. */
const WRITE_CONCURRENCY = 8;

export interface ApplyPlanDeps extends RunServices {
  observe: RunObserver;
  /** The run's status-push settings: one workflow knowledge for every slice, so each workflow is read once. */
  status: StatusPushSettings;
  /** Told as each drifted pair's writes are done: the run counts them against its whole drift. */
  onPairWritten?: (() => void) | undefined;
}

export interface ApplyPlanScope {
  /** The pairs read this run. */
  pairs: readonly Pair[];
  /** When the run covers every pair and configured field, those fields: it may record which pairs it leaves in sync. */
  syncFields: readonly SyncField[] | null;
  /** Incidents with a status path begun by an earlier run. */
  unfinishedPaths: ReadonlySet<number>;
  /** With `syncFields`: the list element an incident was read in, to remember with a pair left settled as read. */
  listedDigest(incidentId: number): string | undefined;
}

/**
 * What a run records of a slice before anything is sent: the begun status paths it settled, and the bases of the
 * pairs found in agreement, in one transaction (not one each).
 */
export async function recordAgreement(plan: Plan, scope: ApplyPlanScope, deps: ApplyPlanDeps): Promise<void> {
  const { db, now } = deps;
  await forgetStatusPaths(db, settledStatusPaths(scope.pairs.filter((pair) => scope.unfinishedPaths.has(pair.incident.id)), plan));
  const drifted = new Set(plan.changes.map((change) => change.incident));
  await recordAgreedPairs(db, scope.pairs.filter((pair) => !drifted.has(pair.incident.id)), groupByIncident(plan.agreed), new Date(now()), scope.syncFields, scope.listedDigest);
}

/**
 * The write phase: every drifted pair's planned changes applied, eight pairs at once, each pair's outcomes,
 * bases and loop guards recorded in one transaction. `scope.pairs`: the drifted pairs.
 */
export async function applyPlan(plan: Plan, scope: ApplyPlanScope, deps: ApplyPlanDeps): Promise<FieldChange[]> {
  const { db, now, runId } = deps;
  // FireFighter's webhook names an author: impact.webhookActor, else ask JIRA who raidsync is, only when something goes to Impact.
  const pulls = plan.changes.some((change) => change.direction === 'jira_to_impact' && change.outcome === 'planned');
  const configured = deps.config.impact.webhookActor;
  const actor =
    configured !== undefined
      ? { accountId: configured, name: null, displayName: null }
      : pulls
        ? await deps.jira.myself()
        : { accountId: null, name: null, displayName: null };
  const context: ApplyContext = {
    jira: deps.jira,
    impact: deps.impact,
    maps: deps.maps,
    deployment: deps.config.jira.deployment,
    status: deps.status,
    actor: { accountId: actor.accountId ?? actor.name ?? '', displayName: actor.displayName ?? 'raidsync' },
    journal: stateJournal(db, runId, now, deps.interrupted),
  };
  const byPair = groupByIncident(plan.changes);
  const agreedByPair = groupByIncident(plan.agreed);
  const drifted = scope.pairs.filter((pair) => byPair.has(pair.incident.id));
  const appliedByPair: AppliedChange[][] = [];
  // Pairs are independent: several in flight at once, each host's limiter keeping the pace.
  await forEachConcurrently(drifted, WRITE_CONCURRENCY, async (pair, index) => {
    // A failure's reason may quote what a server echoed back: scrubbed before the state file, logs or output see it.
    const applied = (await applyPair(pair, byPair.get(pair.incident.id) ?? [], context)).map((change) => ({ ...change, reason: scrubbed(change.reason, deps.config) }));
    deps.onPairWritten?.();
    await recordPair(db, runId, pair, applied, agreedByPair.get(pair.incident.id) ?? [], new Date(now()), scope.syncFields ?? undefined, scope.listedDigest(pair.incident.id));
    for (const change of applied) deps.observe(changeEvent(runId, change, new Date(now())));
    appliedByPair[index] = applied;
  });
  await recordReadAfterWrite(deps.jira, deps.config.jira.deployment, db, deps.maps, drifted.map((pair, index) => ({ pair, changes: appliedByPair[index] ?? [] })), new Date(now()));
  return appliedByPair.flat().map(stripApplied);
}

/** A slice's plan cut to its drifted pairs: what the write phase needs of it, once the others are recorded. */
export function driftedOnly(pairs: readonly Pair[], plan: Plan): { pairs: Pair[]; plan: Plan } {
  const drifted = new Set(plan.changes.map((change) => change.incident));
  return {
    pairs: pairs.filter((pair) => drifted.has(pair.incident.id)),
    plan: { ...plan, agreed: plan.agreed.filter((field) => drifted.has(field.incident)), errors: [] },
  };
}

/** The slices' drifted pairs and their plans as one, in slice order. */
export function joinedSlices(slices: readonly { pairs: readonly Pair[]; plan: Plan }[], command: Plan['command']): { pairs: Pair[]; plan: Plan } {
  const pairs = slices.flatMap((slice) => slice.pairs);
  return {
    pairs,
    plan: { command, pairs: pairs.length, changes: slices.flatMap((slice) => slice.plan.changes), agreed: slices.flatMap((slice) => slice.plan.agreed), errors: [] },
  };
}

function groupByIncident<T extends { incident: number }>(items: readonly T[]): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const group = groups.get(item.incident);
    if (group) group.push(item);
    else groups.set(item.incident, [item]);
  }
  return groups;
}
