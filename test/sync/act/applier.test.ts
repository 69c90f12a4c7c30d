import { describe, expect, it } from 'vitest';
import type { ImpactClient } from '../../../src/impact/client.js';
import type { JiraUpdate } from '../../../src/impact/webhook.js';
import type { JiraClient } from '../../../src/jira/client.js';
import { applyPair, type ApplyContext } from '../../../src/sync/act/applier.js';
import type { Journal } from '../../../src/sync/act/journaled.js';
import type { StatusPushSettings } from '../../../src/sync/act/status-push.js';
import { FIREFIGHTER_MAPS } from '../../../src/sync/decide/maps/firefighter.js';
import type { FieldChange } from '../../../src/sync/decide/plan.js';
import { incident, issue } from '../../support/records.js';

const pair = { incident: incident({ status: 'Mitigating', priority: 2 }), issue: issue({ summary: 'Old title', priority: '2', status: 'in progress' }) };

function change(overrides: Partial<FieldChange>): FieldChange {
  return {
    incident: 42,
    issue: 'INC-7',
    field: 'title',
    direction: 'impact_to_jira',
    from: 'Old title',
    to: 'Checkout API returns 500',
    outcome: 'planned',
    reason: 'impact changed since last sync',
    target: 'Checkout API returns 500',
    expected: { impact: 'Checkout API returns 500', jira: 'Old title' },
    shown: { impact: 'Checkout API returns 500', jira: 'Old title' },
    ...overrides,
  };
}

/** Fake clients that apply what they are sent, and a journal in memory. */
function world() {
  const log: string[] = [];
  let jiraIssue = pair.issue;
  let impactIncident = pair.incident;
  const updates: JiraUpdate[] = [];
  const jira = {
    editIssueFields: async (key: string, fields: Record<string, unknown>) => {
      log.push(`edit ${key} ${JSON.stringify(fields)}`);
      jiraIssue = { ...jiraIssue, summary: (fields.summary as string | undefined) ?? jiraIssue.summary };
      return { applied: Object.keys(fields), refused: [] };
    },
    getIssue: async () => jiraIssue,
  } as Pick<JiraClient, 'editIssueFields' | 'getIssue'>;
  const impact = {
    sendJiraUpdate: async (update: JiraUpdate) => {
      log.push('webhook');
      updates.push(update);
      impactIncident = { ...impactIncident, priority: 1 };
    },
    getIncident: async () => impactIncident,
  } as Pick<ImpactClient, 'sendJiraUpdate' | 'getIncident'>;
  const journal: Journal = {
    begin: async (kind) => {
      log.push(`begin ${kind}`);
      return log.length;
    },
    settle: async (_intent, ok) => {
      log.push(`settle ${ok ? 'done' : 'failed'}`);
    },
    interrupted: () => false,
  };
  const ctx: ApplyContext = {
    jira: jira as JiraClient,
    impact: impact as ImpactClient,
    maps: FIREFIGHTER_MAPS,
    deployment: 'cloud',
    status: {} as StatusPushSettings,
    actor: { accountId: 'acc-raidsync', displayName: 'raidsync' },
    journal,
  };
  return { ctx, log, updates };
}

describe('applyPair', () => {
  it('sends JIRA one edit in each field\'s write shape, journaled around it, and reports it applied', async () => {
    const { ctx, log } = world();
    const priority = change({ field: 'priority', target: '1', expected: { impact: '1', jira: '2' } });
    const applied = await applyPair(pair, [change({}), priority], ctx);
    expect(log).toEqual(['begin jira_edit', 'edit INC-7 {"summary":"Checkout API returns 500","customfield_11064":{"value":"1"}}', 'settle done']);
    expect(applied.map((c) => c.outcome)).toEqual(['applied', 'applied']);
  });

  it('sends FireFighter a signed-webhook changelog it recognises, then reads the incident back', async () => {
    const { ctx, log, updates } = world();
    const pull = change({ field: 'priority', direction: 'jira_to_impact', target: '1', expected: { impact: '2', jira: 'P1' } });
    const [applied] = await applyPair(pair, [pull], ctx);
    expect(log).toEqual(['begin impact_update', 'webhook', 'settle done']);
    expect(updates).toEqual([
      { issueId: '10007', issueKey: 'INC-7', actor: { accountId: 'acc-raidsync', displayName: 'raidsync' }, items: [{ field: 'Priority', fieldId: 'customfield_11064', fromString: '2', toString: '1' }] },
    ]);
    expect(applied?.outcome).toBe('applied');
  });
});
