import { describe, expect, it } from 'vitest';
import type { ImpactClient } from '../../../src/impact/client.js';
import type { JiraClient } from '../../../src/jira/client.js';
import { ServiceError } from '../../../src/net/errors.js';
import { beginIntent, pendingIntents } from '../../../src/state/intents.js';
import { startRun } from '../../../src/state/runs.js';
import { settleInterruptedWrites } from '../../../src/sync/act/recovery.js';
import { SEED_MAPS } from '../../../src/sync/decide/maps/seed.js';
import { incident, issue } from '../../support/records.js';
import { openTempState } from '../../state/temp-state.js';

const at = new Date('2026-11-20T10:00:00Z');

describe('settleInterruptedWrites', () => {
  it('settles each write a killed run left pending by reading its record: done if there, failed if not or gone, pending if unreadable', async () => {
    const state = await openTempState();
    const runId = await startRun(state.db, { command: 'reconcile', dryRun: false, startedAt: at });
    const journal = (incidentId: number, issueKey: string, summary: string) =>
      beginIntent(state.db, { runId, incidentId, issueKey, kind: 'jira_edit', payload: { key: issueKey, expect: { side: 'jira', fields: { title: summary } } }, createdAt: at });
    await journal(1, 'INC-1', 'Landed title');
    await journal(2, 'INC-2', 'Lost title');
    await journal(3, 'INC-3', 'Unknown title');
    await journal(4, 'INC-4', 'Deleted title');
    // A create has no record to read back: left for ticket creation to find by its stamp.
    await beginIntent(state.db, { runId, incidentId: 5, issueKey: '', kind: 'jira_create', payload: { stamp: 'ff-incident-5' }, createdAt: at });

    const jira = {
      getIssue: async (key: string) => {
        if (key === 'INC-3') throw new ServiceError({ service: 'jira', endpoint: `GET /rest/api/2/issue/${key}`, status: 503 });
        if (key === 'INC-4') throw new ServiceError({ service: 'jira', endpoint: `GET /rest/api/2/issue/${key}`, status: 404 });
        return issue({ key, summary: key === 'INC-1' ? 'Landed title' : 'Old title' });
      },
    } as Pick<JiraClient, 'getIssue'>;
    const impact = { getIncident: async (id: number) => incident({ id }) } as Pick<ImpactClient, 'getIncident'>;

    const recovery = await settleInterruptedWrites(state, { jira: jira as JiraClient, impact: impact as ImpactClient, maps: SEED_MAPS }, at);

    expect(recovery).toEqual({ landed: 1, lost: 2, unknown: 1 });
    const pending = (await pendingIntents(state.db)).map((intent) => `${intent.kind} ${intent.incidentId}`);
    expect(pending).toEqual(['jira_edit 3', 'jira_create 5']);
  });
});
