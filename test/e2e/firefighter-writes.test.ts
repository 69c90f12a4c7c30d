import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configureRetries } from '../../src/net/retry.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/sandbox.js';
import { startWorld, type World, type JsonChange } from '../support/cli.js';

configureRetries({ baseDelayMs: 1, maxDelayMs: 5, maxTotalWaitMs: 50 });

const RAIDSYNC_BOT = '5b10ac8d82e05b22cc7d4eb0';
const ALICE = '5b10ac8d82e05b22cc7d4e01';
/** customfield_11064's option ids in the fixture, by value. */
const OPTION = { '1': '20001', '3': '20003' } as const;

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** A person's edit seconds after raidsync's own write would fall in the loop window: these runs do without one. */
async function reconcile(w: World, incident: number) {
  const config = join(w.cwd, 'raidsync.config.yaml');
  writeFileSync(config, 'sync:\n  loopWindowSeconds: 0\n');
  const result = await w.run('reconcile', '--json', '-c', config, '--incident', String(incident));
  return { exitCode: result.exitCode, changes: result.json<{ changes: JsonChange[] }>().changes };
}

describe('the firefighter preset against FireFighter\'s own workflow and webhook', () => {
  it('priority goes to JIRA as customfield_11064 and comes back through a signed webhook that verifies over the bytes sent', async () => {
    const w = (world = await startWorld({ maps: 'firefighter' }));
    const first = await reconcile(w, 104);
    expect(first.changes).toMatchObject([{ field: 'priority', direction: 'impact_to_jira', outcome: 'applied' }]);
    expect(w.sandbox.jira.writes.at(-1)?.body).toEqual({ fields: { customfield_11064: { value: '3' } } });
    expect(w.sandbox.jira.issue('INC-4')?.customFields['customfield_11064']).toBe(OPTION['3']);

    w.sandbox.jira.editAsUser('INC-4', ALICE, { customfield_11064: '1' });
    const second = await reconcile(w, 104);
    expect(second.changes).toMatchObject([{ field: 'priority', direction: 'jira_to_impact', outcome: 'applied' }]);
    expect(w.sandbox.impact.incident(104)?.priority).toBe(1);

    const [webhook] = w.sandbox.impact.webhooks;
    expect(w.sandbox.impact.webhooks).toHaveLength(1);
    const expected = createHmac('sha256', SANDBOX_CREDENTIALS.webhookSecret).update(Buffer.from(webhook!.rawBody, 'utf8')).digest('hex');
    expect(webhook!.signature).toBe(`sha256=${expected}`);
    expect(webhook!.status).toBe(200);
    expect(JSON.parse(webhook!.rawBody)).toMatchObject({
      webhookEvent: 'jira:issue_updated',
      issue: { id: '10004', key: 'INC-4' },
      user: { accountId: RAIDSYNC_BOT },
      changelog: { items: [{ field: 'Priority', fieldId: 'customfield_11064', fromString: '3', toString: '1' }] },
    });
  });

  it('a close FireFighter refuses (its closing rules) is blocked with the reason, and the incident stays as it was', async () => {
    const w = (world = await startWorld({ maps: 'firefighter' }));
    // Incident 103 is Mitigated, P2 in PRD, its post-mortem not Ready: FireFighter will not close it.
    const first = await reconcile(w, 103);
    expect(first.changes.find((c) => c.field === 'status')).toMatchObject({ direction: 'impact_to_jira', outcome: 'applied' });
    expect(w.sandbox.jira.issue('INC-3')?.statusId).toBe('10103');

    w.sandbox.jira.editAsUser('INC-3', ALICE, { status: 'Closed' });
    const second = await reconcile(w, 103);
    expect(second.exitCode).toBe(4);
    const close = second.changes.find((c) => c.field === 'status');
    expect(close).toMatchObject({ direction: 'jira_to_impact', outcome: 'blocked' });
    expect(close?.reason).toContain('closing rules refused');
    expect(close?.reason).toContain('post-mortem');
    expect(w.sandbox.impact.incident(103)?.status).toBe('Mitigated');
    expect(w.sandbox.impact.webhooks.at(-1)?.status).toBe(200);
  });
});
