import { afterEach, describe, expect, it } from 'vitest';
import { JiraClient } from '../../src/jira/client.js';
import { ServiceError } from '../../src/net/errors.js';
import type { JiraEmulator } from '../../src/sandbox/jira/server.js';
import { BOT, basicAuth, botClient, call, startFixtureEmulator } from './harness.js';

let emulator: JiraEmulator;

afterEach(async () => {
  await emulator?.close();
});

describe('JiraClient on Jira Data Center', () => {
  it('authenticates with a PAT as a Bearer token and reads the bot by login name', async () => {
    emulator = await startFixtureEmulator({ mode: 'datacenter' });
    const me = await botClient(emulator, 'datacenter').myself();
    expect(me).toEqual({ accountId: null, name: BOT.name, email: BOT.email, displayName: 'raidsync bot' });
  });

  it('reads every page of a search through startAt and total', async () => {
    emulator = await startFixtureEmulator({ mode: 'datacenter' });
    const issues = await botClient(emulator, 'datacenter').search('project = INC ORDER BY key DESC', { pageSize: 5 });
    expect(issues.map((issue) => issue.key)).toEqual(Array.from({ length: 11 }, (_, index) => `INC-${11 - index}`));
    const starts = emulator.requests.filter((request) => request.path === '/rest/api/2/search').map((request) => request.query['startAt']);
    expect(starts).toEqual(['0', '5', '10']);
  });

  it('honours the server page cap below the requested page size', async () => {
    emulator = await startFixtureEmulator({ mode: 'datacenter', searchPageCap: 3 });
    const issues = await botClient(emulator, 'datacenter').search('project = INC', { pageSize: 50 });
    expect(issues).toHaveLength(11);
    expect(emulator.requests.filter((request) => request.path === '/rest/api/2/search')).toHaveLength(4);
  });

  it('shows every email and finds users by username', async () => {
    emulator = await startFixtureEmulator({ mode: 'datacenter' });
    const found = await botClient(emulator, 'datacenter').findUsersByEmail('dave@acme.test');
    expect(found).toEqual([{ accountId: null, name: 'dave', email: 'dave@acme.test', displayName: 'Dave Okafor' }]);
    expect(emulator.requests.at(-1)!.query).toEqual({ username: 'dave@acme.test' });
  });

  it('assigns by login name, and refuses a Cloud accountId', async () => {
    emulator = await startFixtureEmulator({ mode: 'datacenter' });
    const client = botClient(emulator, 'datacenter');
    await client.editIssue('INC-5', { assignee: { name: 'erin' } });
    expect((await client.getIssue('INC-5')).assignee).toMatchObject({ name: 'erin', email: 'erin@acme.test' });
    await expect(client.editIssue('INC-5', { assignee: { accountId: '5b10ac8d82e05b22cc7d4e01' } })).rejects.toMatchObject({ status: 400 });
  });

  it('rejects a wrong PAT with 401 and keeps the token out of the error', async () => {
    emulator = await startFixtureEmulator({ mode: 'datacenter' });
    const client = new JiraClient({ url: emulator.url, deployment: 'datacenter', auth: { pat: 'leaked-pat-value' }, priorityField: 'priority' });
    const error = await client.myself().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).status).toBe(401);
    expect(`${String(error)} ${JSON.stringify(error)}`).not.toContain('leaked-pat-value');
  });

  it('accepts basic login name and password, and has no Cloud-only resources', async () => {
    emulator = await startFixtureEmulator({ mode: 'datacenter' });
    expect((await call(emulator, 'GET', '/rest/api/latest/myself', { authorization: basicAuth('alice', 'alice-api-token') })).status).toBe(200);
    expect((await call(emulator, 'GET', '/rest/api/2/myself', { authorization: basicAuth('alice@acme.test', 'alice-api-token') })).status).toBe(401);
    const pat = `Bearer ${BOT.pat}`;
    expect((await call(emulator, 'GET', '/rest/api/2/search/jql?jql=project+%3D+INC', { authorization: pat })).status).toBe(404);
    expect((await call(emulator, 'GET', '/rest/api/3/myself', { authorization: pat })).status).toBe(404);
    expect((await call(emulator, 'GET', '/rest/api/2/issue/INC-1/changelog', { authorization: pat })).status).toBe(404);
  });
});
