import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { SANDBOX_CREDENTIALS, SANDBOX_FIREFIGHTER_JIRA, startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/sandbox.js';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function start(options: SandboxOptions): Promise<Sandbox> {
  sandbox = await startSandbox(options);
  return sandbox;
}

const ALICE = { email: 'alice@acme.test', apiToken: 'alice-api-token', accountId: '5b10ac8d82e05b22cc7d4e01' };
const FIREFIGHTER = { email: SANDBOX_FIREFIGHTER_JIRA.email, apiToken: SANDBOX_FIREFIGHTER_JIRA.apiToken, accountId: SANDBOX_FIREFIGHTER_JIRA.accountId };
type Account = typeof ALICE;

/** JIRA's REST API over HTTP, signed in as `account` (Cloud: email + API token). */
async function rest(s: Sandbox, account: Account, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${s.jira.url}/rest/api/2${path}`, {
    method,
    headers: {
      Authorization: `Basic ${Buffer.from(`${account.email}:${account.apiToken}`).toString('base64')}`,
      'Content-Type': 'application/json',
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text === '' ? undefined : JSON.parse(text);
}

async function transition(s: Sandbox, account: Account, key: string, name: string, fields: Record<string, unknown> = {}): Promise<void> {
  const { transitions } = await rest(s, account, 'GET', `/issue/${key}/transitions`);
  const found = (transitions as Array<{ id: string; name: string }>).find((candidate) => candidate.name === name);
  if (!found) throw new Error(`${key} offers no transition ${name}`);
  await rest(s, account, 'POST', `/issue/${key}/transitions`, { transition: { id: found.id }, fields });
}

const LIVE = { maps: 'firefighter', live: { deliveryDelayMs: 1 } } as const;

describe('JIRA → FireFighter: the webhook JIRA delivers', () => {
  it('a transition by a person reaches the incident, in the real webhook shape, signed with the shared secret', async () => {
    const s = await start(LIVE);
    await transition(s, ALICE, 'INC-2', 'Start work');
    await s.settled();

    expect(s.impact.incident(102)?.status).toBe('Mitigating');
    expect(s.impact.incident(102)?.updates.at(-1)).toMatchObject({ eventType: 'jira_status_sync', message: 'Status synced from Jira (in progress)' });
    expect(s.impact.slack.alerts).toEqual([{ ticketKey: 'INC-2', author: 'Alice Martin', field: 'status', from: 'Pending resolution', to: 'in progress' }]);

    const [delivery] = s.jira.webhooks.deliveries;
    expect(delivery).toMatchObject({ key: 'INC-2', authorAccountId: ALICE.accountId, outcome: 200 });
    const body = JSON.parse(delivery!.body);
    expect(body).toMatchObject({
      webhookEvent: 'jira:issue_updated',
      user: { accountId: ALICE.accountId, displayName: 'Alice Martin' },
      issue: { id: s.jira.issue('INC-2')!.id, key: 'INC-2', fields: { status: { name: 'in progress' } } },
      changelog: {
        id: s.jira.issue('INC-2')!.changelog.at(-1)!.id,
        items: [{ field: 'status', fieldtype: 'jira', fieldId: 'status', from: '10101', fromString: 'Pending resolution', to: '10102', toString: 'in progress' }],
      },
    });
    expect(typeof body.timestamp).toBe('number');
    const [received] = s.impact.webhooks;
    const expected = `sha256=${createHmac('sha256', SANDBOX_CREDENTIALS.webhookSecret).update(delivery!.body).digest('hex')}`;
    expect(received).toMatchObject({ signature: expected, rawBody: delivery!.body, status: 200, effects: ['applied'] });
  });

  it("skips a change made by FireFighter's service account", async () => {
    const s = await start(LIVE);
    await transition(s, FIREFIGHTER, 'INC-2', 'Start work');
    await s.settled();

    expect(s.jira.webhooks.deliveries.map((delivery) => delivery.authorAccountId)).toEqual([FIREFIGHTER.accountId]);
    expect(s.impact.webhooks.map((record) => record.effects)).toEqual([["ignored: authored by FireFighter's own JIRA account"]]);
    expect(s.impact.incident(102)?.status).toBe('Investigating');
    expect(s.impact.slack.alerts).toEqual([]);
  });

  it('a dropped delivery leaves the two systems apart; the next one gets through', async () => {
    const s = await start(LIVE);
    s.jira.webhooks.drop(1);
    await transition(s, ALICE, 'INC-2', 'Start work');
    await s.settled();
    expect(s.jira.webhooks.deliveries.map((delivery) => delivery.outcome)).toEqual(['dropped']);
    expect(s.impact.webhooks).toEqual([]);
    expect(s.jira.issue('INC-2')?.statusId).toBe('10102');
    expect(s.impact.incident(102)?.status).toBe('Investigating');

    await transition(s, ALICE, 'INC-5', 'Triage');
    await s.settled();
    expect(s.jira.webhooks.deliveries.map((delivery) => delivery.outcome)).toEqual(['dropped', 200]);
  });

  it("'all' drops every delivery until resumed", async () => {
    const s = await start(LIVE);
    s.jira.webhooks.drop('all');
    await transition(s, ALICE, 'INC-5', 'Triage');
    await transition(s, ALICE, 'INC-5', 'Start work');
    await s.settled();
    expect(s.impact.webhooks).toEqual([]);
    s.jira.webhooks.resume();
    await transition(s, ALICE, 'INC-5', 'Ask reporter');
    await s.settled();
    expect(s.jira.webhooks.deliveries.map((delivery) => delivery.outcome)).toEqual(['dropped', 'dropped', 200]);
    expect(s.impact.incident(105)?.status).toBe('Mitigated');
  });

  it("keeps one issue's changes in order, human edits made through the test helper included", async () => {
    const s = await start(LIVE);
    await transition(s, ALICE, 'INC-5', 'Triage');
    await transition(s, ALICE, 'INC-5', 'Start work');
    s.jira.editAsUser('INC-5', 'bob', { status: 'Reporter validation' });
    await transition(s, ALICE, 'INC-5', 'Reporter rejects');
    await s.settled();

    const targets = s.impact.webhooks.map((record) => (record.payload as any).changelog.items[0].toString);
    expect(targets).toEqual(['Pending resolution', 'in progress', 'Reporter validation', 'in progress']);
    expect(s.impact.webhooks.map((record) => (record.payload as any).user.displayName)).toEqual(['Alice Martin', 'Alice Martin', 'Bob Chen', 'Alice Martin']);
    // No monotonic guard in FireFighter: the last change wins, so only in-order delivery ends here.
    expect(s.impact.incident(105)?.status).toBe('Mitigating');
  });
});

describe("FireFighter's own webhook code", () => {
  it("reads JIRA with its code's map even beside the seed preset: JIRA's own names are unknown, the case counts, and Closed needs a known from", async () => {
    const s = await start({ live: { deliveryDelayMs: 1 } });
    await transition(s, ALICE, 'INC-1', 'Resolve Issue', { resolution: { name: 'Done' } });
    await transition(s, ALICE, 'INC-2', 'Start Progress');
    await transition(s, ALICE, 'INC-7', 'Close Issue');
    await s.settled();

    expect(s.impact.webhooks.map((record) => record.effects)).toEqual([
      ['ignored: JIRA status "Resolved" is not in the JIRA→Impact map', 'ignored: field "resolution" is not synced'],
      ['ignored: JIRA status "In Progress" is not in the JIRA→Impact map'],
      ['ignored: close from JIRA status "Resolved", which is not in the JIRA→Impact map'],
    ]);
    expect([101, 102, 107].map((id) => s.impact.incident(id)?.status)).toEqual(['Mitigating', 'Investigating', 'Mitigating']);
  });

  it('a failing Slack alert answers 500 after the earlier items of the same update were applied', async () => {
    const s = await start(LIVE);
    s.impact.slack.failNext(1, { after: 1 });
    s.jira.editAsUser('INC-2', 'alice', { customfield_11064: '1', status: 'in progress' });
    await s.settled();

    const items = (s.impact.webhooks[0]?.payload as any).changelog.items.map((item: { fieldId: string }) => item.fieldId);
    expect(items).toEqual(['customfield_11064', 'status']);
    expect(s.impact.webhooks[0]).toMatchObject({ status: 500, effects: ['applied', 'failed: Could not alert in Slack'] });
    expect(s.jira.webhooks.deliveries[0]?.outcome).toBe(500);
    expect(s.impact.incident(102)).toMatchObject({ priority: 1, status: 'Investigating' });
  });
});

describe('FireFighter → JIRA: its real-time sync', () => {
  it('an incident status edit walks the ticket through Pending resolution then in progress as the service account, and its echo is skipped', async () => {
    const s = await start(LIVE);
    s.impact.update(105, { status: 'Mitigating' });
    await s.settled();

    const issue = s.jira.issue('INC-5')!;
    expect(issue.statusId).toBe('10102');
    expect(issue.changelog.map((history) => [history.authorAccountId, history.items[0]?.toString])).toEqual([
      [FIREFIGHTER.accountId, 'Pending resolution'],
      [FIREFIGHTER.accountId, 'in progress'],
    ]);
    expect(s.impact.jiraSync.pushes).toEqual([
      { incidentId: 105, ticketKey: 'INC-5', field: 'status', target: 'Pending resolution', transitions: ['Triage'], outcome: 'applied' },
      { incidentId: 105, ticketKey: 'INC-5', field: 'status', target: 'in progress', transitions: ['Start work'], outcome: 'applied' },
    ]);
    expect(s.impact.webhooks.map((record) => record.effects)).toEqual([
      ["ignored: authored by FireFighter's own JIRA account"],
      ["ignored: authored by FireFighter's own JIRA account"],
    ]);
    expect(s.impact.incident(105)?.status).toBe('Mitigating');
    expect(s.impact.incident(105)?.updates.map((update) => update.eventType)).toEqual(['human_edit']);
    expect(s.impact.syncCacheKeys().sort()).toEqual(['sync:impact_to_jira:105:status:in progress', 'sync:impact_to_jira:105:status:pending resolution']);
  });

  it('Data Center: FireFighter signs in by login name; webhook users carry no accountId there, so its cache is what drops the echo', async () => {
    const s = await start({ ...LIVE, mode: 'datacenter' });
    s.impact.update(105, { status: 'Mitigating' });
    await s.settled();
    expect(s.jira.issue('INC-5')?.statusId).toBe('10102');
    expect((s.impact.webhooks[0]?.payload as any).user).toMatchObject({ name: SANDBOX_FIREFIGHTER_JIRA.name });
    expect((s.impact.webhooks[0]?.payload as any).user.accountId).toBeUndefined();
    expect(s.impact.webhooks.map((record) => record.effects)).toEqual([
      ['ignored: echo of a recent Impact→JIRA push (sync cache)'],
      ['ignored: echo of a recent Impact→JIRA push (sync cache)'],
    ]);
    expect(s.impact.incident(105)?.status).toBe('Mitigating');
  });

  it('an incident priority edit sets customfield_11064 to the value, never the standard priority', async () => {
    const s = await start(LIVE);
    const standardPriority = s.jira.issue('INC-5')!.priorityId;
    s.impact.update(105, { priority: 2 });
    await s.settled();

    const ticket = await rest(s, ALICE, 'GET', '/issue/INC-5');
    expect(ticket.fields.customfield_11064.value).toBe('2');
    expect(s.jira.issue('INC-5')!.priorityId).toBe(standardPriority);
    expect(s.jira.writes.map((write) => [write.author.accountId, write.kind, write.body])).toEqual([
      [FIREFIGHTER.accountId, 'edit', { fields: { customfield_11064: { value: '2' } } }],
    ]);
    expect(s.impact.incident(105)?.priority).toBe(2);
    expect(s.impact.syncCacheKeys()).toEqual(['sync:impact_to_jira:105:priority:2']);
  });

  it('Mitigated goes to Reporter validation; a JIRA refusal on the way is logged, not raised', async () => {
    const s = await start(LIVE);
    s.impact.update(101, { status: 'Mitigated' });
    s.impact.update(103, { status: 'Closed' });
    await s.settled();
    expect(s.jira.issue('INC-1')?.statusId).toBe('10103');
    // FireFighter submits no fields, and the fixture's Close screen requires a resolution.
    expect(s.impact.jiraSync.pushes.at(-1)).toMatchObject({ ticketKey: 'INC-3', target: 'Closed', transitions: ['Ask reporter'] });
    expect(s.impact.jiraSync.pushes.at(-1)?.outcome).toMatch(/^failed: JIRA answered 400/);
  });

  it("its cache eats a person's matching JIRA change within the TTL, once", async () => {
    const s = await start(LIVE);
    s.impact.update(105, { status: 'Mitigating' });
    await s.settled();
    await transition(s, ALICE, 'INC-5', 'Back to Incoming');
    await transition(s, ALICE, 'INC-5', 'Triage');
    await transition(s, ALICE, 'INC-5', 'Start work');
    await transition(s, ALICE, 'INC-5', 'Back to Incoming');
    await transition(s, ALICE, 'INC-5', 'Triage');
    await s.settled();

    expect(s.impact.webhooks.slice(2).map((record) => record.effects[0])).toEqual([
      'applied',
      'ignored: echo of a recent Impact→JIRA push (sync cache)',
      'ignored: echo of a recent Impact→JIRA push (sync cache)',
      'ignored: incident is already Open',
      'ignored: incident is already Open',
    ]);
    expect(s.impact.syncCacheKeys()).toEqual([]);
    expect(s.impact.incident(105)?.status).toBe('Open');
  });

  it('with the TTL shortened to nothing, the same changes apply', async () => {
    const s = await start({ ...LIVE, live: { deliveryDelayMs: 1, syncCacheTtlMs: 0 } });
    s.impact.update(105, { status: 'Mitigating' });
    await s.settled();
    await transition(s, ALICE, 'INC-5', 'Back to Incoming');
    await transition(s, ALICE, 'INC-5', 'Triage');
    await transition(s, ALICE, 'INC-5', 'Start work');
    await s.settled();
    expect(s.impact.webhooks.slice(2).map((record) => record.effects[0])).toEqual(['applied', 'ignored: incident is already Open', 'applied']);
    expect(s.impact.incident(105)?.status).toBe('Mitigating');
  });
});

describe('tickets FireFighter created', () => {
  const critical = (text: string, category: string, emoji: string, priority: string) =>
    `${text}\n\n🧯 This incident has been created for a critical incident.\n📦 Incident category: ${category}\n${emoji} Priority: ${priority}\n`;

  it('carry its critical block and Additional Information addendum in its exact text', async () => {
    const s = await start(LIVE);
    const plain = await startSandbox({ maps: 'firefighter' });
    try {
      const original = (key: string) => plain.jira.issue(key)!.description!;
      expect(s.jira.issue('INC-4')?.description).toBe(
        `${critical(original('INC-4'), 'Seller Order', '🌩️', 'P3')}\n *Additional Information* \nSeller link to TOOLBOX: https://toolbox.acme.test/login?seller_id=58213\nSuggested team to be routed: *SELLER*`,
      );
      expect(s.jira.issue('INC-1')?.description).toBe(critical(original('INC-1'), 'Payment', '🌪️', 'P1'));
      expect(s.jira.issue('INC-5')?.description).toBe(`${original('INC-5')}\n *Additional Information* \nSuggested team to be routed: *CATALOG*`);
      // SBI is the default team: no line, no addendum.
      expect(s.jira.issue('INC-6')?.description).toBe(original('INC-6'));
      expect(plain.jira.issue('INC-4')?.description).not.toContain('Additional Information');
    } finally {
      await plain.close();
    }
  });

  it('not live, the emulators stay apart and settle at once', async () => {
    const s = await start({ maps: 'firefighter' });
    await transition(s, ALICE, 'INC-2', 'Start work');
    s.impact.update(105, { status: 'Mitigating' });
    await s.settled();
    expect(s.jira.webhooks.deliveries).toEqual([]);
    expect(s.impact.jiraSync.pushes).toEqual([]);
    expect(s.impact.incident(102)?.status).toBe('Investigating');
    expect(s.jira.issue('INC-5')?.statusId).toBe('10100');
  });
});
