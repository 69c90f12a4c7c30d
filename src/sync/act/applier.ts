import type { ImpactClient } from '../../impact/client.js';
import type { Incident } from '../../impact/incident.js';
import { impactUpdate, type PulledValue } from '../../impact/update.js';
import type { JiraClient } from '../../jira/client.js';
import type { RefusedField } from '../../jira/service-errors.js';
import { errorCategory as categoryOf, errorMessage as messageOf, type ErrorCategory } from '../../net/errors.js';
import { closingRequirements } from '../decide/closing-rules.js';
import { FIELD_ADAPTERS, type JiraWriteSettings } from '../decide/field-adapters.js';
import type { FieldMaps } from '../decide/maps/types.js';
import { pairContext, type Pair } from '../decide/pair.js';
import type { FieldChange } from '../decide/plan.js';
import { NOT_SENT_INTERRUPTED } from '../decide/plan.js';
import { journaled, NotSentError, type Journal } from './journaled.js';
import { expectationJson, expectationOf } from './landed.js';
import { pushStatus, type StatusPushSettings } from './status-push.js';
import { sendVerified } from './verified-write.js';

export interface ApplyContext {
  jira: JiraClient;
  impact: ImpactClient;
  maps: FieldMaps;
  deployment: 'cloud' | 'datacenter';
  status: StatusPushSettings;
  /** The author named in what raidsync sends FireFighter: impact.webhookActor, else its own JIRA account. */
  actor: { accountId: string; displayName: string };
  journal: Journal;
}

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
  const subject = { incidentId: pair.incident.id, issueKey: key };
  const notSent = (group: readonly FieldChange[]) => {
    for (const change of group) settle(change, 'skipped', NOT_SENT_INTERRUPTED, null, Date.now());
  };

  if (edits.length > 0 && ctx.journal.interrupted()) notSent(edits);
  else if (edits.length > 0) {
    const started = Date.now();
    // JIRA may refuse some fields by name (an unassignable user): the others are sent again without them and stand.
    let refused: readonly RefusedField[] = [];
    const outcome = await attempt(() =>
      journaled(ctx.journal, {
        kind: 'jira_edit',
        subject,
        payload: { key, fields: jiraFields(edits, ctx, pair), expect: expectationJson(expectationOf(edits)) },
        send: () =>
          sendVerified(
            edits,
            async (pending) => {
              refused = (await ctx.jira.editIssueFields(key, jiraFields(pending, ctx, pair))).refused;
            },
            async () => pairContext({ ...pair, issue: await ctx.jira.getIssue(key) }, ctx.maps),
          ),
      }),
    );
    for (const change of edits) {
      const refusal = refused.find((field) => field.field in jiraFields([change], ctx, pair));
      if (!outcome.ok) settle(change, outcome.category === null ? 'skipped' : 'failed', outcome.reason, outcome.category, started);
      else if (refusal) settle(change, 'failed', `JIRA refused ${change.field} on ${key}: ${refusal.message}`, 'validation', started);
      else settle(change, 'applied', change.reason, null, started);
    }
  }

  if (statusPush && ctx.journal.interrupted()) notSent([statusPush]);
  else if (statusPush) {
    const started = Date.now();
    const result = await pushStatus(pair, statusPush, ctx);
    settle(statusPush, result.outcome, result.outcome === 'applied' ? statusPush.reason : result.reason, result.category, started);
  }

  if (pulls.length > 0 && ctx.journal.interrupted()) notSent(pulls);
  else if (pulls.length > 0) {
    const started = Date.now();
    const update = (group: readonly FieldChange[]) => impactUpdate(pair.issue, ctx.actor, group.map(pulledValue));
    const outcome = await attempt(() =>
      journaled(ctx.journal, {
        kind: 'impact_update',
        subject,
        payload: { ...update(pulls), expect: expectationJson(expectationOf(pulls)) },
        send: () =>
          sendVerified(
            pulls,
            (pending) => ctx.impact.sendJiraUpdate(update(pending)),
            async () => pairContext({ ...pair, incident: await ctx.impact.getIncident(pair.incident.id) }, ctx.maps),
          ),
      }),
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

  return changes.map((change) => settled.get(change) ?? { ...change, category: change.category ?? null, durationMs: 0 });
}

type WriteOutcome = { ok: true } | { ok: false; reason: string; category: ErrorCategory | null };

/** A journaled write's outcome for the changes it carried: a write the interruption kept from starting has no error category. */
async function attempt(write: () => Promise<void>): Promise<WriteOutcome> {
  try {
    await write();
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: messageOf(error), category: error instanceof NotSentError ? null : categoryOf(error) };
  }
}

/** JIRA's `fields` for these edits of the pair's ticket, each in its field's write shape. */
function jiraFields(edits: readonly FieldChange[], ctx: ApplyContext, pair: Pair): Record<string, unknown> {
  const write: JiraWriteSettings = { priorityField: ctx.maps.priorityField, deployment: ctx.deployment };
  return Object.fromEntries(edits.flatMap((change) => {
    const edit = FIELD_ADAPTERS[change.field].jiraEdit;
    return edit ? [edit(change.target, write, pair.issue)] : [];
  }));
}

/** A pull as FireFighter takes it: its status as the planner named it in the webhook's vocabulary, its priority as the level. */
function pulledValue(change: FieldChange): PulledValue {
  if (change.field === 'status') return { field: 'status', from: change.webhook?.fromString ?? null, to: change.webhook?.toString ?? '' };
  return { field: 'priority', from: change.expected.impact, to: change.target ?? '' };
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
