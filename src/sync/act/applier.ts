import type { ImpactClient } from '../../impact/client.js';
import type { JiraUpdate } from '../../impact/webhook.js';
import type { Incident } from '../../impact/incident.js';
import type { JiraClient } from '../../jira/client.js';
import { errorCategory as categoryOf, errorMessage as messageOf, type ErrorCategory } from '../../net/errors.js';
import { closingRequirements } from '../decide/closing-rules.js';
import { FIELD_ADAPTERS } from '../decide/field-adapters.js';
import type { SyncField } from '../fields.js';
import type { FieldMaps } from '../decide/maps/types.js';
import { expectationJson, expectationOf, notYetLanded } from './landed.js';
import type { FieldChange } from '../decide/plan.js';
import type { Pair } from '../decide/planner.js';
import { pushStatus, type StatusPushSettings } from './status-push.js';
import { writeUntilLanded } from './verified-write.js';

/** Write-ahead journal: every write is recorded before it is sent and settled after. */
export interface Journal {
  begin(kind: 'jira_edit' | 'jira_transition' | 'impact_update', pair: Pair, payload: unknown): Promise<number>;
  settle(intent: number, ok: boolean): Promise<void>;
}

export interface ApplyContext {
  jira: JiraClient;
  impact: ImpactClient;
  maps: FieldMaps;
  deployment: 'cloud' | 'datacenter';
  status: StatusPushSettings;
  /** raidsync's own JIRA account, named as the author of what it sends FireFighter. */
  actor: { accountId: string; displayName: string };
  journal: Journal;
  /** True once SIGINT/SIGTERM asked the run to stop: the write in flight finishes, no further one starts. */
  interrupted?: () => boolean;
}

export const NOT_SENT_INTERRUPTED = 'not sent: the run was interrupted';

/** A change as it came out of applying it, with what it cost and, on failure, the error's category. */
export interface AppliedChange extends FieldChange {
  category: ErrorCategory | null;
  durationMs: number;
}

/**
 * Applies one pair's planned changes: one PUT for JIRA's fields, transitions for its status, one signed
 * webhook for Impact, then reads the incident back. A failure marks only the changes it touched.
 */
export async function applyPair(pair: Pair, changes: readonly FieldChange[], ctx: ApplyContext): Promise<AppliedChange[]> {
  const settled = new Map<FieldChange, AppliedChange>();
  const settle = (change: FieldChange, outcome: FieldChange['outcome'], reason: string, category: ErrorCategory | null, started: number) =>
    settled.set(change, { ...change, outcome, reason, category, durationMs: Date.now() - started });

  const planned = changes.filter((change) => change.outcome === 'planned');
  const edits = planned.filter((change) => change.direction === 'impact_to_jira' && change.field !== 'status');
  const statusPush = planned.find((change) => change.direction === 'impact_to_jira' && change.field === 'status');
  const pulls = planned.filter((change) => change.direction === 'jira_to_impact');

  const key = pair.issue.key;
  const notSent = (group: readonly FieldChange[]) => {
    for (const change of group) settle(change, 'skipped', NOT_SENT_INTERRUPTED, null, Date.now());
  };

  if (edits.length > 0 && ctx.interrupted?.()) notSent(edits);
  else if (edits.length > 0) {
    const started = Date.now();
    const fieldsOf = (group: readonly FieldChange[]) => Object.fromEntries(group.map((change) => jiraFieldValue(change, ctx)));
    const outcome = await guarded(
      ctx,
      'jira_edit',
      pair,
      edits,
      { key, fields: fieldsOf(edits) },
      (pending) => ctx.jira.editIssue(key, fieldsOf(pending)),
      async (sent) => notYetLanded(sent, { ...pair, issue: await ctx.jira.getIssue(key), maps: ctx.maps, directory: new Map() }),
    );
    for (const change of edits) {
      if (outcome.ok) settle(change, 'applied', change.reason, null, started);
      else settle(change, outcome.category === null ? 'skipped' : 'failed', outcome.reason, outcome.category, started);
    }
  }

  if (statusPush && ctx.interrupted?.()) notSent([statusPush]);
  else if (statusPush) {
    const started = Date.now();
    const result = await pushStatus(pair, statusPush, ctx);
    settle(statusPush, result.outcome, result.outcome === 'applied' ? statusPush.reason : result.reason, result.category, started);
  }

  if (pulls.length > 0 && ctx.interrupted?.()) notSent(pulls);
  else if (pulls.length > 0) {
    const started = Date.now();
    const outcome = await guarded(
      ctx,
      'impact_update',
      pair,
      pulls,
      impactUpdate(pair, pulls, ctx),
      (pending) => ctx.impact.sendJiraUpdate(impactUpdate(pair, pending, ctx)),
      async (sent) => notYetLanded(sent, { ...pair, incident: await ctx.impact.getIncident(pair.incident.id), maps: ctx.maps, directory: new Map() }),
    );
    if (!outcome.ok) {
      for (const change of pulls) settle(change, outcome.category === null ? 'skipped' : 'failed', outcome.reason, outcome.category, started);
    } else {
      const readBack = await readBackIncident(pair.incident.id, ctx);
      for (const change of pulls) {
        if (readBack instanceof Error) {
          settle(change, 'failed', `FireFighter took the update but could not be read back: ${readBack.message}`, categoryOf(readBack), started);
          continue;
        }
        const now = FIELD_ADAPTERS[change.field].impactValue(readBack);
        if (now === change.target) settle(change, 'applied', change.reason, null, started);
        else settle(change, 'blocked', refusalReason(change, readBack), 'impact_refused', started);
      }
    }
  }

  return changes.map((change) => settled.get(change) ?? { ...change, category: categoryForUnapplied(change), durationMs: 0 });
}

type WriteOutcome = { ok: true } | { ok: false; reason: string; category: ErrorCategory | null };

/** Journals the write with what it should leave behind, sends it (re-reading before any resend), and settles the journal. */
async function guarded(
  ctx: ApplyContext,
  kind: 'jira_edit' | 'impact_update',
  pair: Pair,
  changes: readonly FieldChange[],
  payload: object,
  send: (pending: readonly FieldChange[]) => Promise<void>,
  stillPending: (sent: readonly FieldChange[]) => Promise<FieldChange[]>,
): Promise<WriteOutcome> {
  // Checked again here: with pairs applied concurrently, a signal may arrive after this pair's writes began.
  if (ctx.interrupted?.()) return { ok: false, reason: NOT_SENT_INTERRUPTED, category: null };
  const intent = await ctx.journal.begin(kind, pair, { ...payload, expect: expectationJson(expectationOf(changes)) });
  try {
    await writeUntilLanded(changes, send, stillPending);
    await ctx.journal.settle(intent, true);
    return { ok: true };
  } catch (error) {
    await ctx.journal.settle(intent, false);
    return { ok: false, reason: messageOf(error), category: categoryOf(error) };
  }
}

function jiraFieldValue(change: FieldChange, ctx: ApplyContext): [string, unknown] {
  const value = change.target;
  switch (change.field as Exclude<SyncField, 'status'>) {
    case 'title':
      return ['summary', value ?? ''];
    case 'description':
      return ['description', value ?? ''];
    case 'priority': {
      const field = ctx.maps.priorityField;
      if (value === null) return [field, null];
      return [field, field === 'priority' ? { name: value } : { value }];
    }
    case 'commander':
      if (value === null) return ['assignee', null];
      return ['assignee', ctx.deployment === 'cloud' ? { accountId: value } : { name: value }];
  }
}

/** A `jira:issue_updated` whose items FireFighter's own maps carry to the planned Impact values. */
function impactUpdate(pair: Pair, pulls: readonly FieldChange[], ctx: ApplyContext): JiraUpdate {
  const items = pulls.map((change) => {
    if (change.field === 'status') {
      // FireFighter refuses a close whose `from` is not a status it knows: name Impact's current status in JIRA terms.
      const from = ctx.maps.impactToJiraStatus[pair.incident.status];
      return { field: 'status', fieldId: 'status', fromString: from, toString: change.expected.jira ?? '' };
    }
    // FireFighter recognises a priority change only by the custom field's id, and parses "1".."5".
    return { field: 'Priority', fieldId: 'customfield_11064', fromString: change.expected.impact, toString: change.target ?? '' };
  });
  return { issueId: pair.issue.id, issueKey: pair.issue.key, actor: ctx.actor, items };
}

async function readBackIncident(id: number, ctx: ApplyContext): Promise<Incident | Error> {
  try {
    return await ctx.impact.getIncident(id);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

function refusalReason(change: FieldChange, incident: Incident): string {
  if (change.field === 'status' && (change.target === 'Closed' || change.target === 'Post-mortem')) {
    const rules = change.target === 'Closed' ? closingRequirements(incident) : [];
    return `FireFighter did not move incident ${incident.id} to ${change.to}: its closing rules refused (status is still ${incident.status})${rules.length > 0 ? `; ${rules.join('; ')}` : ''}`;
  }
  return `FireFighter did not apply ${change.field} ${change.to} to incident ${incident.id} (still ${FIELD_ADAPTERS[change.field].showImpact(change.field === 'priority' ? String(incident.priority) : incident.status)}); it ignores this account's updates or refused the change`;
}

function categoryForUnapplied(change: FieldChange): ErrorCategory | null {
  return change.category ?? null;
}
