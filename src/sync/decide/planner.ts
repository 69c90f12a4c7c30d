import type { ConflictPolicy } from '../../config/schema.js';
import { agrees, FIELD_ADAPTERS, type FieldAdapter, type Mapped } from './field-adapters.js';
import { isTwoWay, type SyncField } from '../fields.js';
import type { LoopGuards } from './loop-guard.js';
import type { FieldMaps } from './maps/types.js';
import { pairContext, type Bases, type Pair, type PairContext } from './pair.js';
import type { AgreedField, Direction, FieldChange, PairError, Plan, SyncCommand } from './plan.js';
import type { UserDirectory } from './user-directory.js';
import { webhookStatus } from './webhook-status.js';
import type { ImpactStatus } from '../../impact/incident.js';

export interface PlanInput {
  command: SyncCommand;
  pairs: readonly Pair[];
  /** Pairs that could not be read: carried into the plan as they are. */
  errors?: readonly PairError[];
  fields: readonly SyncField[];
  maps: FieldMaps;
  directory: UserDirectory;
  bases: Bases;
  guards: LoopGuards;
  conflict: ConflictPolicy;
  now: number;
  loopWindowMs: number;
  /** Status paths raidsync began and did not finish, by incident: the statuses along each, start to target. */
  unfinishedPaths?: ReadonlyMap<number, { target: string; statuses: readonly string[] }>;
  /** Incidents whose ticket raidsync created: FireFighter cannot learn the link, so every field flows Impact → JIRA. */
  pushOnly?: ReadonlySet<number>;
}

/** Decides, for every pair and field, which way the value goes and why. Pure: data in, plan out. */
export function plan(input: PlanInput): Plan {
  const changes: FieldChange[] = [];
  const agreed: AgreedField[] = [];
  for (const pair of input.pairs) {
    const ctx = pairContext(pair, input.maps, input.directory);
    for (const field of input.fields) {
      const decision = decideField(FIELD_ADAPTERS[field], ctx, input);
      if (decision === null) continue;
      if ('outcome' in decision) changes.push(decision);
      else agreed.push(decision);
    }
  }
  return { command: input.command, pairs: input.pairs.length, changes, agreed, errors: [...(input.errors ?? [])] };
}

type Way = { direction: Direction; reason: string; conflict: boolean };

function agreement(field: SyncField, iv: string | null, jv: string | null, ctx: PairContext, input: PlanInput): AgreedField | null {
  // A base that already holds these values needs no rewrite: a quiet run records nothing.
  const base = input.bases.get(ctx.incident.id)?.get(field);
  if (base && base.impact === iv && base.jira === jv) return null;
  return { incident: ctx.incident.id, field, impact: iv, jira: jv };
}

function decideField(adapter: FieldAdapter, ctx: PairContext, input: PlanInput): FieldChange | AgreedField | null {
  const { field } = adapter;
  const iv = adapter.impactValue(ctx.incident);
  const jv = adapter.jiraValue(ctx);
  // Most fields agree once carried to JIRA: the way back is mapped only when they do not.
  const asJira = adapter.toJira(iv, ctx);
  if (agrees(asJira, jv)) return agreement(field, iv, jv, ctx, input);
  const asImpact = adapter.toImpact(jv, ctx);
  if (agrees(asImpact, iv)) return agreement(field, iv, jv, ctx, input);
  // pull only writes what FireFighter can take.
  if (input.command === 'pull' && !twoWayFor(field, ctx, input)) return null;

  const way = chooseWay(adapter, iv, jv, ctx, input);
  const mapped: Mapped = way.direction === 'impact_to_jira' ? asJira : asImpact;
  const target = mapped.ok ? mapped.value : null;
  const change: FieldChange = {
    incident: ctx.incident.id,
    issue: ctx.issue.key,
    field,
    direction: way.direction,
    from: way.direction === 'impact_to_jira' ? adapter.showJira(jv, ctx) : adapter.showImpact(iv),
    to:
      way.direction === 'impact_to_jira'
        ? adapter.showPushed(iv, target)
        : mapped.ok
          ? adapter.showImpact(target)
          : adapter.showJira(jv, ctx),
    outcome: way.conflict && input.conflict === 'skip' ? 'conflict' : 'planned',
    reason: way.reason,
    target,
    expected: { impact: iv, jira: jv },
    shown: { impact: adapter.showImpact(iv), jira: adapter.showJira(jv, ctx) },
  };
  if (change.outcome === 'conflict') return change;
  if (!mapped.ok) return { ...change, outcome: mapped.kind === 'unmapped' ? 'skipped' : 'blocked', reason: mapped.reason, category: 'mapping' };
  const echo = loopGuardHit(change, ctx, input);
  if (echo !== null) return { ...change, outcome: 'skipped', reason: echo };
  if (field !== 'status' || way.direction !== 'jira_to_impact') return change;
  // A pull goes in the vocabulary FireFighter's webhook knows; what it would ignore is not sent.
  const base = input.bases.get(ctx.incident.id)?.get(field);
  const sent = webhookStatus({ map: input.maps.webhook, target: target as ImpactStatus, issueKey: ctx.issue.key, jiraStatus: jv, previous: base?.jira ?? null });
  return sent.ok ? { ...change, webhook: sent.item } : { ...change, outcome: 'blocked', reason: sent.reason, category: 'mapping' };
}

function chooseWay(adapter: FieldAdapter, iv: string | null, jv: string | null, ctx: PairContext, input: PlanInput): Way {
  const show = (side: 'impact' | 'jira', value: string | null) =>
    (side === 'impact' ? adapter.showImpact(value) : adapter.showJira(value, ctx)) ?? '(none)';
  const base = input.bases.get(ctx.incident.id)?.get(adapter.field);
  const impactChanged = base !== undefined && iv !== base.impact;
  const jiraChanged = base !== undefined && jv !== base.jira;
  const impactEdit = base ? `impact changed since last sync (${show('impact', base.impact)} → ${show('impact', iv)})` : '';
  const jiraEdit = base ? `jira changed since last sync (${show('jira', base.jira)} → ${show('jira', jv)})` : '';

  if (input.command === 'push') {
    return { direction: 'impact_to_jira', reason: `push: JIRA takes Impact's value${impactEdit ? `; ${impactEdit}` : ''}`, conflict: false };
  }
  if (input.command === 'pull') {
    return { direction: 'jira_to_impact', reason: `pull: Impact takes JIRA's value${jiraEdit ? `; ${jiraEdit}` : ''}`, conflict: false };
  }
  // JIRA sits where a path raidsync began and could not finish left it: that move was raidsync's, so go on with it.
  const path = adapter.field === 'status' ? input.unfinishedPaths?.get(ctx.incident.id) : undefined;
  if (path && jv !== null && path.statuses.includes(jv)) {
    return { direction: 'impact_to_jira', reason: `resuming the workflow path to "${path.target}" that raidsync began; ${ctx.issue.key} stopped in "${jv}"`, conflict: false };
  }
  if (!twoWayFor(adapter.field, ctx, input)) {
    // FireFighter cannot take title, description or commander (nor anything for a ticket raidsync created): Impact's value is restored whatever JIRA did.
    const oneWay = isTwoWay(adapter.field) ? `raidsync created ${ctx.issue.key} and FireFighter cannot learn the link, so ${adapter.field}` : adapter.field;
    const reason =
      base === undefined
        ? `no base yet; ${oneWay} flows Impact → JIRA only`
        : impactChanged
          ? impactEdit
          : `${jiraEdit.replace('jira changed', `jira edited ${adapter.field}`)}; Impact owns it${isTwoWay(adapter.field) ? ` (push-only: raidsync created ${ctx.issue.key}, FireFighter cannot learn the link)` : ''}, restoring Impact's value`;
    return { direction: 'impact_to_jira', reason, conflict: false };
  }
  // Only one side moved since the base: that side wins.
  if (impactChanged && !jiraChanged) return { direction: 'impact_to_jira', reason: impactEdit, conflict: false };
  if (jiraChanged && !impactChanged) return { direction: 'jira_to_impact', reason: jiraEdit, conflict: false };
  // Both moved, no base yet, or a base that no longer agrees: a conflict, settled by the policy.
  const why =
    base === undefined
      ? 'conflict: no base yet (first sync of this pair)'
      : impactChanged
        ? `conflict: both changed since last sync (Impact ${show('impact', base.impact)} → ${show('impact', iv)}, JIRA ${show('jira', base.jira)} → ${show('jira', jv)})`
        : 'conflict: the last synced values no longer agree through the maps';
  switch (input.conflict) {
    case 'impact':
      return { direction: 'impact_to_jira', reason: `${why}; conflict policy impact`, conflict: true };
    case 'jira':
      return { direction: 'jira_to_impact', reason: `${why}; conflict policy jira`, conflict: true };
    case 'skip':
      return { direction: 'impact_to_jira', reason: `${why}; left as is (conflict policy skip)`, conflict: true };
  }
}

function twoWayFor(field: SyncField, ctx: PairContext, input: PlanInput): boolean {
  return isTwoWay(field) && input.pushOnly?.has(ctx.incident.id) !== true;
}

/** A value read back that differs from what raidsync wrote moments ago is a stale read or an echo, not an edit. */
function loopGuardHit(change: FieldChange, ctx: PairContext, input: PlanInput): string | null {
  const seconds = (at: number) => Math.max(0, Math.round((input.now - at) / 1000));
  const issue = { type: 'jira_issue', id: ctx.issue.key } as const;
  const incident = { type: 'incident', id: ctx.incident.id } as const;
  if (change.direction === 'jira_to_impact') {
    const wrote = input.guards.recent(issue, 'impact_to_jira', change.field, input.now, input.loopWindowMs);
    if (wrote && wrote.value !== change.expected.jira) {
      return `loop guard: raidsync wrote ${change.field} "${wrote.value}" to ${ctx.issue.key} ${seconds(wrote.writtenAt)} s ago; JIRA still shows "${change.expected.jira ?? ''}", not pulling it back`;
    }
    return null;
  }
  const pulled = input.guards.recent(incident, 'jira_to_impact', change.field, input.now, input.loopWindowMs);
  if (pulled && pulled.value !== change.expected.impact) {
    return `loop guard: raidsync wrote ${change.field} "${pulled.value}" to incident ${ctx.incident.id} ${seconds(pulled.writtenAt)} s ago; Impact still shows "${change.expected.impact ?? ''}", not pushing it back`;
  }
  const pushed = input.guards.recent(issue, 'impact_to_jira', change.field, input.now, input.loopWindowMs);
  if (pushed && pushed.value === change.target && pushed.value !== change.expected.jira) {
    return `loop guard: raidsync wrote ${change.field} "${pushed.value}" to ${ctx.issue.key} ${seconds(pushed.writtenAt)} s ago; JIRA's read is stale, not writing it again`;
  }
  return null;
}
