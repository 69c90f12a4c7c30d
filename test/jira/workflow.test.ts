import { afterEach, describe, expect, it } from 'vitest';
import { ServiceError } from '../../src/net/errors.js';
import { configureRetries } from '../../src/net/retry.js';
import type { JiraEmulator } from '../../src/sandbox/jira/server.js';
import { botClient, startFixtureEmulator } from './harness.js';

configureRetries({ baseDelayMs: 1, maxDelayMs: 5, maxTotalWaitMs: 50 });

let emulator: JiraEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe("the issue's workflow through jira.js", () => {
  it('Cloud: reads the workflow of the issue\'s project and type, without the creation transition', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud' });
    const jira = botClient(emulator, 'cloud');
    const scope = await jira.workflowScope('INC-7');
    expect(scope).toEqual({ projectId: '10000', projectKey: 'INC', issueTypeId: '10001' });
    const workflow = await jira.readWorkflow(scope);
    expect(workflow?.statuses).toContain('Reopened');
    expect(workflow?.transitions.map((t) => t.id)).not.toContain('1');
    expect(workflow?.transitions.find((t) => t.id === '21')).toEqual({ id: '21', name: 'Start Progress', from: ['To Do', 'Reopened'], to: 'In Progress', hasScreen: false });
    expect(workflow?.transitions.find((t) => t.id === '141')).toEqual({ id: '141', name: 'Back to Open', from: null, to: 'Open', hasScreen: false });
    expect(workflow?.transitions.find((t) => t.id === '51')?.hasScreen).toBe(true);
    expect(emulator.requests.at(-1)).toMatchObject({ method: 'POST', path: '/rest/api/2/workflows', status: 200 });
  });

  it('Data Center has no such API: 404, which raidsync takes as "learn the edges instead"', async () => {
    emulator = await startFixtureEmulator({ mode: 'datacenter' });
    const jira = botClient(emulator, 'datacenter');
    const scope = await jira.workflowScope('INC-7');
    const failure = await jira.readWorkflow(scope).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ServiceError);
    expect((failure as ServiceError).status).toBe(404);
  });
});
