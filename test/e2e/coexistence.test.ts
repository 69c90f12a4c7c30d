import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configureRetries } from '../../src/net/retry.js';
import { SANDBOX_FIREFIGHTER_JIRA, type Sandbox } from '../../src/sandbox/sandbox.js';
import { startWorld, type JsonChange, type World } from '../support/cli.js';

configureRetries({ baseDelayMs: 1, maxDelayMs: 5, maxTotalWaitMs: 50 });

const RAIDSYNC_BOT = '5b10ac8d82e05b22cc7d4eb0';
/** The author raidsync names in its FireFighter updates in the coexistence set-up. */
const ACTOR = 'raidsync-webhook';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** Both real-time syncs live; raidsync signed in to JIRA as FireFighter's service account and naming its own actor, unless `ownAccount`. */
async function liveWorld(options: { maps?: 'seed' | 'firefighter'; ownAccount?: boolean } = {}): Promise<World> {
  const setup = (sandbox: Sandbox) => (options.ownAccount ? {} : { ...sandbox.firefighterJiraEnv, RAIDSYNC_IMPACT_WEBHOOK_ACTOR: ACTOR });
  const w = await startWorld({ maps: options.maps ?? 'firefighter', live: { deliveryDelayMs: 1 } });
  Object.assign(w.env, setup(w.sandbox));
  return w;
}

async function reconcile(w: World, ...incidents: number[]) {
  const config = join(w.cwd, 'raidsync.config.yaml');
  // A person's edit seconds after raidsync's own write would fall in the loop window: these runs do without one.
  writeFileSync(config, 'sync:\n  loopWindowSeconds: 0\n');
  const result = await w.run('reconcile', '--json', '-c', config, ...incidents.flatMap((id) => ['--incident', String(id)]));
  await w.sandbox.settled();
  return { exitCode: result.exitCode, stderr: result.stderr, changes: result.json<{ changes: JsonChange[] }>().changes };
}

/** FireFighter's own push of incident 106 to Mitigated fails at JIRA (it logs and moves on): INC-6 stays two hops behind. */
async function missedPush(s: Sandbox): Promise<void> {
  s.jira.faults.next(1, { status: 503, matcher: { method: 'POST', pathPrefix: '/rest/api/2/issue/' } });
  s.impact.update(106, { status: 'Mitigated' });
  await s.settled();
  expect(s.impact.jiraSync.pushes.at(-1)?.outcome).toMatch(/^failed: /);
  expect(s.jira.issue('INC-6')?.statusId).toBe('10101');
}

/** What raidsync's own updates did in FireFighter (those naming its actor or its JIRA account). */
const raidsyncWebhooks = (s: Sandbox, author: string) => s.impact.webhooks.filter((record) => (record.payload as any).user?.accountId === author);

describe('coexistence: raidsync signed in to JIRA as FireFighter, naming its own actor', () => {
  it('a two-hop status push leaves the incident exactly as it was (the echo is dropped), and a pull still applies', async () => {
    const w = (world = await liveWorld());
    const s = w.sandbox;
    await missedPush(s);
    const before = s.impact.incident(106)!;
    const alerts = s.impact.slack.alerts.length;

    const pushed = await reconcile(w, 106);
    expect(pushed.changes.find((change) => change.field === 'status')).toMatchObject({ direction: 'impact_to_jira', to: 'Reporter validation', outcome: 'applied' });
    expect(s.jira.issue('INC-6')?.statusId).toBe('10103');
    const hops = s.jira.issue('INC-6')!.changelog.filter((history) => history.items.some((item) => item.field === 'status'));
    expect(hops.map((history) => [history.authorAccountId, history.items.find((item) => item.field === 'status')?.toString])).toEqual([
      [SANDBOX_FIREFIGHTER_JIRA.accountId, 'in progress'],
      [SANDBOX_FIREFIGHTER_JIRA.accountId, 'Reporter validation'],
    ]);
    // Every delivery of raidsync's JIRA writes reached FireFighter and was dropped as its own.
    const echoes = s.impact.webhooks.filter((record) => (record.payload as any).user?.accountId === SANDBOX_FIREFIGHTER_JIRA.accountId);
    expect(echoes.length).toBeGreaterThanOrEqual(2);
    for (const echo of echoes) expect(echo.effects.every((effect) => effect === "ignored: authored by FireFighter's own JIRA account")).toBe(true);
    expect(s.impact.incident(106)).toEqual(before);
    expect(s.impact.slack.alerts).toHaveLength(alerts);

    // A person moves the ticket back and raises its priority; JIRA's delivery is lost.
    s.jira.webhooks.drop(1);
    s.jira.editAsUser('INC-6', 'alice', { customfield_11064: '3', status: 'in progress' });
    await s.settled();
    expect(s.impact.incident(106)).toMatchObject({ status: 'Mitigated', priority: 5 });
    const pulled = await reconcile(w, 106);
    expect(pulled.exitCode).toBe(0);
    expect(pulled.changes.map((change) => [change.field, change.direction, change.to, change.outcome])).toEqual([
      ['priority', 'jira_to_impact', 'P3', 'applied'],
      ['status', 'jira_to_impact', 'Mitigating', 'applied'],
    ]);
    expect(s.impact.incident(106)).toMatchObject({ status: 'Mitigating', priority: 3 });
    const [update] = raidsyncWebhooks(s, ACTOR);
    expect((update?.payload as any).changelog.items).toEqual([
      { field: 'Priority', fieldtype: 'custom', fieldId: 'customfield_11064', fromString: '5', toString: '3' },
      // JIRA's status when raidsync last saw the pair agree, so FireFighter's close guard sees a real JIRA status.
      { field: 'status', fieldtype: 'jira', fieldId: 'status', fromString: 'Reporter validation', toString: 'in progress' },
    ]);
    // FireFighter does not push an update its webhook made back to JIRA.
    expect(s.jira.issue('INC-6')?.statusId).toBe('10102');
    expect((await reconcile(w, 106)).changes).toEqual([]);
  });

  it('the same push with raidsync under its own JIRA account is echoed: the intermediate hop is copied into the incident, which is left reopened', async () => {
    const w = (world = await liveWorld({ ownAccount: true }));
    const s = w.sandbox;
    await missedPush(s);
    const updates = s.impact.incident(106)!.updates.length;

    const pushed = await reconcile(w, 106);
    expect(pushed.changes.find((change) => change.field === 'status')).toMatchObject({ to: 'Reporter validation', outcome: 'applied' });
    const echoed = s.impact.incident(106)!.updates.slice(updates);
    // The intermediate hop drags the incident back to Mitigating; FireFighter's cache, left by its own failed push, eats the last.
    expect(echoed.map((update) => [update.eventType, update.message])).toEqual([['jira_status_sync', 'Status synced from Jira (in progress)']]);
    expect(raidsyncWebhooks(s, RAIDSYNC_BOT).map((record) => record.effects)).toEqual([['applied'], ['ignored: echo of a recent Impact→JIRA push (sync cache)']]);
    expect(s.impact.slack.alerts).toEqual([{ ticketKey: 'INC-6', author: 'raidsync bot', field: 'status', from: 'Pending resolution', to: 'in progress' }]);
    expect(s.impact.incident(106)?.status).toBe('Mitigating');
  });

  it("a ticket with both of FireFighter's addenda shows no description drift; an Impact edit is pushed and the addenda stay after it", async () => {
    const w = (world = await liveWorld());
    const s = w.sandbox;
    const original = s.jira.issue('INC-4')!.description!;
    const addenda = original.slice(original.indexOf('\n\n🧯'));
    expect(addenda).toContain('\n *Additional Information* \n');

    const first = await reconcile(w, 104);
    expect(first.changes.filter((change) => change.field === 'description')).toEqual([]);
    expect(s.jira.issue('INC-4')?.description).toBe(original);

    s.impact.update(104, { description: 'Seller orders stay in "pending" since 08:10, FR only.' });
    const second = await reconcile(w, 104);
    expect(second.changes).toMatchObject([{ field: 'description', direction: 'impact_to_jira', outcome: 'applied' }]);
    expect(s.jira.issue('INC-4')?.description).toBe(`Seller orders stay in "pending" since 08:10, FR only.${addenda}`);
    expect((await reconcile(w, 104)).changes).toEqual([]);
  });

  it("a failing Slack alert after FireFighter applied the first item: nothing is applied twice and the run converges", async () => {
    const w = (world = await liveWorld());
    const s = w.sandbox;
    await reconcile(w, 102);
    s.jira.webhooks.drop(1);
    s.jira.editAsUser('INC-2', 'alice', { customfield_11064: '1', status: 'Reporter validation' });
    await s.settled();
    s.impact.slack.failNext(1, { after: 1 });
    const updates = s.impact.incident(102)!.updates.length;

    const run = await reconcile(w, 102);
    expect(run.exitCode).toBe(0);
    expect(run.changes.map((change) => [change.field, change.outcome])).toEqual([
      ['priority', 'applied'],
      ['status', 'applied'],
    ]);
    const sent = raidsyncWebhooks(s, ACTOR);
    expect(sent.map((record) => [record.status, record.effects])).toEqual([
      [500, ['applied', 'failed: Could not alert in Slack']],
      [200, ['applied']],
    ]);
    expect((sent[1]?.payload as any).changelog.items.map((item: { field: string }) => item.field)).toEqual(['status']);
    expect(s.impact.incident(102)!.updates.slice(updates).map((update) => update.eventType)).toEqual(['jira_priority_sync', 'jira_status_sync']);
    expect(s.impact.incident(102)).toMatchObject({ priority: 1, status: 'Mitigated' });
    expect((await reconcile(w, 102)).changes).toEqual([]);
  });
});

describe("the seed preset against FireFighter's code map", () => {
  it('JIRA Resolved/Highest is pulled in FireFighter\'s names and applied; a second reconcile plans nothing', async () => {
    const w = (world = await liveWorld({ maps: 'seed' }));
    const s = w.sandbox;
    await reconcile(w, 102);
    // FireFighter's webhook knows no "Resolved"; the delivery that carried the priority is lost.
    s.jira.webhooks.drop(1);
    s.jira.editAsUser('INC-2', 'bob', { status: 'Resolved', priority: 'Highest' });
    await s.settled();
    expect(s.impact.incident(102)).toMatchObject({ status: 'Investigating', priority: 2 });

    const pulled = await reconcile(w, 102);
    expect(pulled.changes.map((change) => [change.field, change.to, change.outcome])).toEqual([
      ['priority', 'P1', 'applied'],
      ['status', 'Mitigated', 'applied'],
    ]);
    expect(s.impact.incident(102)).toMatchObject({ status: 'Mitigated', priority: 1 });
    expect((raidsyncWebhooks(s, ACTOR)[0]?.payload as any).changelog.items).toMatchObject([
      { fieldId: 'customfield_11064', toString: '1' },
      { fieldId: 'status', fromString: 'To Do', toString: 'Reporter validation' },
    ]);
    expect((await reconcile(w, 102)).changes).toEqual([]);
  });

  it('a pull to Investigating, which that map cannot produce, sends nothing and is blocked (exit 4)', async () => {
    const w = (world = await liveWorld({ maps: 'seed' }));
    const s = w.sandbox;
    await reconcile(w, 110);
    s.jira.editAsUser('INC-10', 'bob', { status: 'Reopened' });
    await s.settled();

    const run = await reconcile(w, 110);
    expect(run.exitCode).toBe(4);
    const [status] = run.changes;
    expect(status).toMatchObject({ field: 'status', direction: 'jira_to_impact', to: 'Investigating', outcome: 'blocked' });
    expect(status?.reason).toContain('cannot set Impact status "Investigating"');
    expect(status?.reason).toContain('impact.webhookMap');
    expect(raidsyncWebhooks(s, ACTOR)).toEqual([]);
    expect(s.impact.incident(110)?.status).toBe('Mitigating');
  });
});
