import { describe, expect, it } from 'vitest';
import { beginIntent, completeIntent, failIntent, pendingIntents, type Intent } from '../../src/state/intents.js';
import { startRun } from '../../src/state/runs.js';
import { openTempState } from './temp-state.js';

const t0 = new Date('2026-02-01T08:00:00.000Z');

describe('intents', () => {
  it('keeps begun writes pending until they are completed or failed', async () => {
    const { db } = await openTempState();
    const runId = await startRun(db, { command: 'reconcile', dryRun: false, startedAt: t0 });
    const intent = (issueKey: string): Intent => ({
      runId,
      incidentId: 42,
      issueKey,
      kind: 'jira_transition',
      payload: { transition: { id: '31' }, fields: { resolution: null } },
      createdAt: t0,
    });
    const done = await beginIntent(db, intent('INC-1'));
    const failed = await beginIntent(db, intent('INC-2'));
    const open = await beginIntent(db, intent('INC-3'));
    await completeIntent(db, done, t0);
    await failIntent(db, failed, t0);
    expect(await pendingIntents(db)).toEqual([{ id: open, ...intent('INC-3') }]);
  });

  it('does not reopen a settled intent', async () => {
    const { db } = await openTempState();
    const runId = await startRun(db, { command: 'push', dryRun: false, startedAt: t0 });
    const id = await beginIntent(db, { runId, incidentId: 1, issueKey: 'INC-1', kind: 'jira_edit', payload: {}, createdAt: t0 });
    await completeIntent(db, id, t0);
    await failIntent(db, id, t0);
    const row = await db.selectFrom('intents').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.status).toBe('done');
  });
});
