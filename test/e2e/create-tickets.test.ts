import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configureRetries } from '../../src/net/retry.js';
import { fixturePath } from '../../src/sandbox/sandbox.js';
import type { ImpactSeed } from '../../src/sandbox/impact/seed.js';
import type { EmulatedIssue } from '../../src/sandbox/jira/store.js';
import { pendingIntents } from '../../src/state/intents.js';
import { loadPairs } from '../../src/state/pairs.js';
import { startWorld, type World, type JsonChange } from '../support/cli.js';

configureRetries({ baseDelayMs: 1, maxDelayMs: 5, maxTotalWaitMs: 50 });

/**
 * The fixtures, plus incidents without a ticket: #113 P2 in PRD tagged env:STG and env:INT (three environments),
 * #114 P5 in STG tagged env:PRD, env:INT, platform:FR and impact:high, #115 closed, #116 P4. #112 (P3, PRD) is the fixture's.
 */
function seedsWithoutTickets(): ImpactSeed {
  const impact = JSON.parse(readFileSync(fixturePath('impact.json'), 'utf8')) as ImpactSeed & { incidents: Array<Record<string, unknown>> };
  const base = impact.incidents.find((incident) => incident.id === 112)!;
  const extra = [
    { ...base, id: 113, title: 'Payment page times out for card holders', priority: 2, environment: 'PRD', tags: ['payment', 'env:STG', 'env:INT'], slackChannelName: 'inc-113' },
    { ...base, id: 114, title: 'Seller export CSV has a stray column', priority: 5, environment: 'STG', tags: ['env:PRD', 'env:INT', 'platform:FR', 'impact:high'], slackChannelName: 'inc-114' },
    { ...base, id: 115, title: 'Old closed incident without a ticket', priority: 3, status: 'Closed', slackChannelName: 'inc-115' },
    { ...base, id: 116, title: 'Search suggestions stale', priority: 4, environment: 'STG', tags: [], slackChannelName: 'inc-116' },
  ];
  return { ...impact, incidents: [...impact.incidents, ...extra] } as ImpactSeed;
}

const worlds: World[] = [];
afterEach(async () => {
  await Promise.all(worlds.splice(0).map((world) => world.close()));
});

async function world(config = ''): Promise<World> {
  const started = await startWorld({ impactSeed: seedsWithoutTickets() });
  worlds.push(started);
  const file = join(started.cwd, 'raidsync.config.yaml');
  // dave hides his email from JIRA: mapped by hand, so the fixture's pairs push cleanly (exit 0).
  writeFileSync(file, `maps:\n  users:\n    dave@acme.test: 5b10ac8d82e05b22cc7d4e04\njira:\n  transitionFields:\n    Resolved:\n      resolution: { name: Done }\n${config}`);
  started.env.RAIDSYNC_CONFIG = file;
  return started;
}

/** Every issue of the emulator that carries `label`. */
function stamped(w: World, label: string): EmulatedIssue[] {
  const found: EmulatedIssue[] = [];
  for (let n = 1; n <= 40; n++) {
    const issue = w.sandbox.jira.issue(`INC-${n}`);
    if (issue?.labels.includes(label)) found.push(issue);
  }
  return found;
}

function only(w: World, incident: number): EmulatedIssue {
  const issues = stamped(w, `ff-incident-${incident}`);
  expect(issues, `tickets stamped ff-incident-${incident}`).toHaveLength(1);
  return issues[0]!;
}

/** A multi-select's option values, a select's value, as the emulator holds them. */
function optionValues(issue: EmulatedIssue, fieldId: string, options: Record<string, string>): unknown {
  const value = issue.customFields[fieldId] ?? null;
  if (value === null) return null;
  return Array.isArray(value) ? value.map((id) => options[id]) : options[value];
}

const OPTIONS: Record<string, string> = Object.fromEntries(
  (JSON.parse(readFileSync(fixturePath('jira.json'), 'utf8')) as { customFields: Array<{ options: Array<{ id: string; value: string }> }> }).customFields.flatMap((field) =>
    field.options.map((option) => [option.id, option.value]),
  ),
);

describe('ticket creation for incidents that have none (push --create, sync.create)', () => {
  it('--dry-run lists the tickets it would create with their fields, writes nothing and records no pair', async () => {
    const w = await world();
    const result = await w.run('push', '--create', '--dry-run', '--json');
    expect(result.exitCode).toBe(0);
    const tickets = result.json<{ changes: JsonChange[] }>().changes.filter((change) => change.field === 'ticket');
    expect(tickets.map((ticket) => ticket.incident)).toEqual([112, 113, 114, 116]);
    for (const ticket of tickets) expect(ticket).toMatchObject({ issue: '', direction: 'impact_to_jira', from: null, outcome: 'planned', to: 'new Incident in INC' });
    const p2 = tickets.find((ticket) => ticket.incident === 113)!;
    expect(p2.fields).toMatchObject({
      project: { key: 'INC' },
      issuetype: { name: 'Incident' },
      summary: 'Payment page times out for card holders',
      priority: { name: 'High' },
      labels: ['ff-incident-113'],
      customfield_11049: [{ value: 'PRD' }],
      customfield_10201: { value: 'All' },
    });
    expect(p2.fields?.['description']).toMatch(/\n\n🧯 This incident has been created for a critical incident\.\n📦 Incident category: Delivery experience\n.* Priority: P2\n$/u);
    expect(w.sandbox.jira.writes).toEqual([]);

    const table = await w.run('push', '--create', '--dry-run');
    expect(table.stdout).toContain('#113 P2 Payment page times out for card holders');
    expect(table.stdout).toContain('environments: PRD (P1-P3: first');
    expect(table.stdout).toMatch(/environments: STG, PRD, INT/);
    expect(table.stdout).toContain('4 tickets to create');

    const state = await w.openState();
    try {
      expect(await loadPairs(state.db)).toEqual([]);
    } finally {
      await state.close();
    }
  });

  it('creates each ticket once with the seed fields: P1-P3 the first environment only, P4-P5 all with their custom fields (GT-1334), the remote link and the stamp', async () => {
    const w = await world();
    const result = await w.run('push', '--create', '--json');
    expect(result.exitCode).toBe(0);
    const tickets = result.json<{ changes: JsonChange[] }>().changes.filter((change) => change.field === 'ticket');
    expect(tickets.map((ticket) => [ticket.incident, ticket.outcome])).toEqual([[112, 'applied'], [113, 'applied'], [114, 'applied'], [116, 'applied']]);

    const p2 = only(w, 113);
    expect(optionValues(p2, 'customfield_11049', OPTIONS)).toEqual(['PRD']);
    expect(optionValues(p2, 'customfield_10201', OPTIONS)).toBe('All');
    expect(p2.description).toContain('🧯 This incident has been created for a critical incident.');
    const p5 = only(w, 114);
    expect(optionValues(p5, 'customfield_11049', OPTIONS)).toEqual(['STG', 'PRD', 'INT']);
    expect(optionValues(p5, 'customfield_10201', OPTIONS)).toBe('FR');
    expect(optionValues(p5, 'customfield_10936', OPTIONS)).toBe('High');
    expect(p5.description).not.toContain('🧯');
    const p4 = only(w, 116);
    expect(optionValues(p4, 'customfield_11049', OPTIONS)).toEqual(['STG']);
    expect(optionValues(p4, 'customfield_10201', OPTIONS)).toBe('All');
    expect(p4.priorityId).toBe('4');

    const p3 = only(w, 112);
    expect(p3.remoteLinks).toEqual([expect.objectContaining({ url: `${w.sandbox.impact.url}/incident/112/`, title: 'FireFighter incident #112' })]);
    expect(p3.properties['raidsync.incident']).toEqual({ incidentId: 112, statusPageUrl: `${w.sandbox.impact.url}/incident/112/` });
    expect(tickets.find((ticket) => ticket.incident === 112)).toMatchObject({ issue: p3.key, to: p3.key });
    expect(stamped(w, 'ff-incident-115')).toEqual([]);

    // The same run synced the new pairs: the commander became the assignee (prepare_jira_fields leaves it empty).
    expect(w.sandbox.jira.issue(p3.key)?.assigneeAccountId).toBe('5b10ac8d82e05b22cc7d4e01');
    expect(result.json<{ changes: JsonChange[] }>().changes).toContainEqual(expect.objectContaining({ incident: 112, issue: p3.key, field: 'commander', outcome: 'applied' }));

    const state = await w.openState();
    try {
      const created = (await loadPairs(state.db)).filter((pair) => pair.origin === 'created');
      expect(created.map((pair) => [pair.incidentId, pair.issueKey])).toEqual([[112, p3.key], [113, p2.key], [114, p5.key], [116, p4.key]]);
      expect(await pendingIntents(state.db)).toEqual([]);
    } finally {
      await state.close();
    }
  });

  it('a second run creates nothing (push --create, then reconcile with sync.create)', async () => {
    const w = await world('sync:\n  create: true\n');
    expect((await w.run('push', '--create', '--quiet')).exitCode).toBe(0);
    const creates = () => w.sandbox.jira.writes.filter((write) => write.kind === 'create').length;
    expect(creates()).toBe(4);
    const again = await w.run('push', '--create', '--json');
    expect(again.json<{ changes: JsonChange[] }>().changes.filter((change) => change.field === 'ticket')).toEqual([]);
    const reconcile = await w.run('reconcile', '--json');
    expect(reconcile.json<{ changes: JsonChange[] }>().changes.filter((change) => change.field === 'ticket')).toEqual([]);
    expect(creates()).toBe(4);
    for (const id of [112, 113, 114, 116]) only(w, id);
  });

  it('a created pair syncs push-only: a JIRA status edit is not pulled into FireFighter but restored, and status says why', async () => {
    const w = await world('sync:\n  create: true\n');
    expect((await w.run('reconcile', '--quiet')).exitCode).toBe(0);
    const key = only(w, 112).key;
    w.sandbox.jira.editAsUser(key, 'bob', { status: 'Resolved' });
    const webhooksBefore = w.sandbox.impact.webhooks.length;
    const run = await w.run('reconcile', '--json');
    const status = run.json<{ changes: JsonChange[] }>().changes.find((change) => change.incident === 112 && change.field === 'status');
    expect(status).toMatchObject({ direction: 'impact_to_jira', to: 'In Progress', outcome: 'applied' });
    expect(status?.reason).toContain(`push-only: raidsync created ${key}, FireFighter cannot learn the link`);
    expect(w.sandbox.impact.webhooks.length).toBe(webhooksBefore);
    expect(w.sandbox.impact.incident(112)?.status).toBe('Investigating');

    const report = await w.run('status', '--json');
    expect(report.json<{ created: unknown[] }>().created).toContainEqual({ incident: 112, issue: key, createdAt: expect.any(String), pushOnly: true });
    expect((await w.run('status')).stdout).toContain('synced push-only: FireFighter cannot learn these links');
  });

  it('create.filter: minimum priority, environments, statuses and created after', async () => {
    const w = await world('create:\n  filter:\n    minPriority: 4\n    environments: [STG]\n    createdAfter: "2026-11-01T00:00:00Z"\n');
    const planned = (await w.run('push', '--create', '--dry-run', '--json')).json<{ changes: JsonChange[] }>().changes.filter((change) => change.field === 'ticket');
    // 112 is PRD only, 114 is P5; 113 (PRD, env:STG) and 116 (STG, P4) qualify.
    expect(planned.map((change) => change.incident)).toEqual([113, 116]);
    const late = await world('create:\n  filter:\n    createdAfter: "2026-12-01T00:00:00Z"\n');
    expect((await late.run('push', '--create', '--dry-run', '--json')).json<{ changes: JsonChange[] }>().changes.filter((change) => change.field === 'ticket')).toEqual([]);
  });

  it('a create whose answer is lost after JIRA made the ticket is adopted by the rerun: exactly one ticket', async () => {
    const w = await world('  timeoutSeconds: 0.3\n');
    // JIRA creates the ticket, then answers only after raidsync has given up waiting.
    w.sandbox.jira.faults.stall(1, 1500, { method: 'POST', pathPrefix: '/rest/api/2/issue' });
    const first = await w.run('push', '--create', '--incident', '112', '--json');
    expect(first.exitCode).toBe(4);
    expect(first.json<{ changes: JsonChange[] }>().changes[0]).toMatchObject({ incident: 112, field: 'ticket', outcome: 'failed' });
    expect(stamped(w, 'ff-incident-112')).toHaveLength(1);
    const state = await w.openState();
    try {
      expect((await pendingIntents(state.db)).map((intent) => [intent.kind, intent.incidentId])).toEqual([['jira_create', 112]]);
    } finally {
      await state.close();
    }

    const rerun = await w.run('push', '--create', '--incident', '112', '--json');
    expect(rerun.exitCode).toBe(0);
    const key = only(w, 112).key;
    expect(rerun.json<{ changes: JsonChange[] }>().changes[0]).toMatchObject({ incident: 112, issue: key, field: 'ticket', outcome: 'applied', reason: expect.stringContaining('adopted, not created again') });
    expect(w.sandbox.jira.writes.filter((write) => write.kind === 'create')).toHaveLength(1);
    expect(only(w, 112).remoteLinks).toHaveLength(1);
  });

  it('doctor checks the create screen when sync.create is on: passes on the sandbox, names a field JIRA lacks (exit 4) and an unknown issue type (exit 2)', async () => {
    interface Check { name: string; ok: boolean; detail: string; kind: string }
    const screenCheck = async (w: World) => {
      const result = await w.run('doctor', '--json');
      return { exitCode: result.exitCode, check: result.json<{ checks: Check[] }>().checks.find((check) => check.name.startsWith('the create screen')) };
    };
    const off = await world();
    expect((await screenCheck(off)).check).toBeUndefined();
    const on = await world('sync:\n  create: true\n');
    expect(await screenCheck(on)).toMatchObject({ exitCode: 0, check: { ok: true, detail: expect.stringContaining('customfield_11049, customfield_10201, customfield_10936') } });
    const lacking = await world('sync:\n  create: true\ncreate:\n  fields:\n    category: customfield_12369\n');
    expect(await screenCheck(lacking)).toMatchObject({ exitCode: 4, check: { ok: false, kind: 'maps', detail: expect.stringContaining('customfield_12369 (create.fields.category)') } });
    const unknownType = await world('sync:\n  create: true\ncreate:\n  issueType: Postmortem\n');
    expect(await screenCheck(unknownType)).toMatchObject({ exitCode: 2, check: { ok: false, kind: 'config', detail: 'INC offers no issue type "Postmortem" to create' } });
  });
});
