import { afterEach, describe, expect, it } from 'vitest';
import { JiraClient } from '../../src/jira/client.js';
import { MalformedResponseError, ServiceError } from '../../src/net/errors.js';
import { startJiraEmulator, type JiraEmulator } from '../../src/sandbox/jira/server.js';
import { BOT, botClient, fixtureSeed, startFixtureEmulator } from './harness.js';

let emulator: JiraEmulator;

afterEach(async () => {
  await emulator?.close();
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('JiraClient on Jira Cloud', () => {
  it('reads the bot itself by accountId', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud' });
    const me = await botClient(emulator, 'cloud').myself();
    expect(me).toEqual({ accountId: BOT.accountId, name: null, email: BOT.email, displayName: 'raidsync bot' });
  });

  it('reads every page of a search through nextPageToken, asking only for the fields it needs', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud' });
    const pages: number[] = [];
    const issues = await botClient(emulator, 'cloud').search('project = INC ORDER BY key ASC', { pageSize: 4, onPage: (n) => pages.push(n) });
    expect(issues.map((issue) => issue.key)).toEqual(Array.from({ length: 11 }, (_, index) => `INC-${index + 1}`));
    expect(pages).toEqual([4, 8, 11]);
    const searches = emulator.requests.filter((request) => request.path === '/rest/api/2/search/jql');
    expect(searches).toHaveLength(3);
    expect(searches[0]!.query['fields']?.split(',').sort()).toEqual(
      ['assignee', 'created', 'description', 'issuetype', 'labels', 'priority', 'project', 'status', 'summary', 'updated'].sort(),
    );
    expect(searches[0]!.query['nextPageToken']).toBeUndefined();
    expect(searches[1]!.query['nextPageToken']).toBeTruthy();
  });

  it('maps an issue into the domain shape, with the configured priority field', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud' });
    const standard = await botClient(emulator, 'cloud').getIssue('INC-9');
    expect(standard).toMatchObject({
      key: 'INC-9',
      summary: 'Warehouse stock sync delayed',
      status: 'In Progress',
      statusId: '3',
      priority: 'Low',
      assignee: { accountId: '5b10ac8d82e05b22cc7d4e04', displayName: 'Dave Okafor', email: null },
    });
    const custom = await botClient(emulator, 'cloud', { priorityField: 'customfield_11064' }).getIssue('INC-9');
    expect(custom.priority).toBe('4');
    const noisy = await botClient(emulator, 'cloud').getIssue('INC-11');
    expect(noisy.description).toBe('Indexer falls behind during peak.\r\nSee dashboards.  ');
  });

  it('fetches issues by key in batches and leaves out keys JIRA does not know', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud' });
    const issues = await botClient(emulator, 'cloud').getIssuesByKeys(['INC-3', 'INC-404', 'INC-1', 'INC-3']);
    expect(issues.map((issue) => issue.key).sort()).toEqual(['INC-1', 'INC-3']);
    const jqls = emulator.requests.filter((request) => request.path.endsWith('/search/jql')).map((request) => request.query['jql']);
    expect(jqls).toEqual(['key in ("INC-3", "INC-404", "INC-1")', 'key in ("INC-3", "INC-1")']);
  });

  it('refuses to build JQL from text that is not an issue key, before sending anything', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud' });
    const client = botClient(emulator, 'cloud');
    await expect(client.getIssuesByKeys(['INC-1', 'INC-2) OR project = SECRET'])).rejects.toThrow(RangeError);
    await expect(client.getIssue('inc-1')).rejects.toThrow(RangeError);
    expect(emulator.requests).toHaveLength(0);
  });

  it('edits fields and JIRA records the change as the bot', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud' });
    const client = botClient(emulator, 'cloud');
    const before = emulator.issue('INC-2')!.updated;
    await client.editIssue('INC-2', { summary: 'Search latency spike on catalogue (EU)', priority: { name: 'Highest' } });
    const after = await client.getIssue('INC-2');
    expect(after).toMatchObject({ summary: 'Search latency spike on catalogue (EU)', priority: 'Highest' });
    expect(Date.parse(after.updated.replace('+0000', 'Z'))).toBeGreaterThan(before);
    const history = emulator.issue('INC-2')!.changelog.at(-1)!;
    expect(history.authorAccountId).toBe(BOT.accountId);
    expect(history.items.map((item) => item.field)).toEqual(['summary', 'priority']);
    expect(emulator.writes).toMatchObject([{ key: 'INC-2', kind: 'edit', author: { accountId: BOT.accountId } }]);
  });

  it('surfaces a rejected edit as a ServiceError naming the field', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud' });
    const error = await rejection(botClient(emulator, 'cloud').editIssue('INC-2', { summary: 'two\nlines' }));
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({ status: 400, endpoint: 'PUT /rest/api/2/issue/INC-2' });
    expect((error as ServiceError).detail).toContain('summary: The summary is invalid because it contains newline characters.');
  });

  it('lists transitions with their required screen fields and refuses a transition without them', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud' });
    const client = botClient(emulator, 'cloud');
    const transitions = await client.getTransitions('INC-1');
    const resolve = transitions.find((transition) => transition.to.name === 'Resolved')!;
    expect(resolve).toEqual({ id: '51', name: 'Resolve Issue', to: { id: '5', name: 'Resolved' }, requiredFields: ['resolution'] });
    expect(transitions.find((transition) => transition.to.name === 'Blocked')!.requiredFields).toEqual([]);

    const error = await rejection(client.doTransition('INC-1', '51'));
    expect(error).toMatchObject({ status: 400 });
    expect((error as ServiceError).detail).toContain('resolution: Resolution is required.');
    expect((await client.getIssue('INC-1')).status).toBe('In Progress');

    await client.doTransition('INC-1', '51', { resolution: { name: 'Fixed' } });
    expect((await client.getIssue('INC-1')).status).toBe('Resolved');
    expect(emulator.issue('INC-1')!.changelog.at(-1)!.items).toEqual([
      { field: 'status', fieldtype: 'jira', fieldId: 'status', from: '3', fromString: 'In Progress', to: '5', toString: 'Resolved' },
      { field: 'resolution', fieldtype: 'jira', fieldId: 'resolution', from: null, fromString: null, to: '1', toString: 'Fixed' },
    ]);
  });

  it('gets a 400 for a transition not offered from the current status', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud' });
    const error = await rejection(botClient(emulator, 'cloud').doTransition('INC-5', '61'));
    expect(error).toMatchObject({ status: 400, detail: "Transition id '61' is not valid for this issue." });
  });

  it('reports bad credentials as a 401 ServiceError without any secret in it', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud' });
    const client = new JiraClient({
      url: emulator.url,
      deployment: 'cloud',
      auth: { email: BOT.email, apiToken: 'wrong-token-s3cr3t' },
      priorityField: 'priority',
    });
    const error = await rejection(client.myself());
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({ status: 401, endpoint: 'GET /rest/api/2/myself', category: 'auth' });
    const everything = `${String(error)} ${(error as Error).stack} ${JSON.stringify(error)}`;
    const basic = Buffer.from(`${BOT.email}:wrong-token-s3cr3t`).toString('base64');
    for (const secret of ['wrong-token-s3cr3t', basic, `${BOT.email}:`]) expect(everything).not.toContain(secret);
    expect(emulator.requests.filter((request) => request.path.endsWith('/myself'))).toHaveLength(1);
  });

  it('reads a stale search while the index lags, and the fresh issue through GET', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud', indexLagMs: 400 });
    const client = botClient(emulator, 'cloud');
    await client.editIssue('INC-6', { summary: 'Email sender hits daily quota (transactional)' });
    const [searched] = await client.search('key = INC-6');
    expect(searched!.summary).toBe('Email sender hits daily quota');
    expect((await client.getIssue('INC-6')).summary).toBe('Email sender hits daily quota (transactional)');
    await new Promise((resolve) => setTimeout(resolve, 450));
    const [later] = await client.search('key = INC-6');
    expect(later!.summary).toBe('Email sender hits daily quota (transactional)');
  });

  it('waits out a 429 with Retry-After and then succeeds', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud' });
    emulator.faults.next(1, { status: 429, headers: { 'Retry-After': '1' }, matcher: { pathPrefix: '/rest/api/2/search/jql' } });
    const issues = await botClient(emulator, 'cloud').search('project = INC');
    expect(issues).toHaveLength(11);
    const searches = emulator.requests.filter((request) => request.path === '/rest/api/2/search/jql');
    expect(searches.map((request) => request.status)).toEqual([429, 200]);
    expect(searches[1]!.at - searches[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('does not resend a write JIRA may have applied when the connection drops', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud' });
    emulator.faults.resetConnection(1, { method: 'PUT' });
    const error = await rejection(botClient(emulator, 'cloud').editIssue('INC-2', { labels: ['incident'] }));
    expect(error).toMatchObject({ status: null, code: 'ECONNRESET', category: 'network' });
    expect(emulator.requests.filter((request) => request.method === 'PUT')).toHaveLength(1);
  });

  it('names the field of a malformed search response', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud' });
    const broken = { id: '10001', key: 'INC-1', fields: { summary: 'x', status: { id: '3' }, labels: [], created: 'c', updated: 'u' } };
    emulator.faults.next(1, { status: 200, body: { issues: [broken], isLast: true }, matcher: { pathPrefix: '/rest/api/2/search/jql' } });
    const error = await rejection(botClient(emulator, 'cloud').search('project = INC'));
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error).toMatchObject({ field: 'issues[0].fields.status.name', endpoint: 'GET /rest/api/2/search/jql' });
  });

  it('names a malformed priority option under the configured field', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud' });
    const broken = { id: '10001', key: 'INC-1', fields: { summary: 'x', status: { id: '3', name: 'In Progress' }, created: 'c', updated: 'u', customfield_11064: { value: 1 } } };
    emulator.faults.next(1, { status: 200, body: broken, matcher: { pathPrefix: '/rest/api/2/issue/INC-1' } });
    const error = await rejection(botClient(emulator, 'cloud', { priorityField: 'customfield_11064' }).getIssue('INC-1'));
    expect(error).toMatchObject({ field: 'fields.customfield_11064.value' });
  });

  it('returns prefix matches from user search, for the caller to pick the exact email', async () => {
    const seed = fixtureSeed();
    seed.users.push({ ...seed.users[0]!, accountId: '5b10ac8d82e05b22cc7d4e06', name: 'alice2', displayName: 'Alice Martins', email: 'alice@acme.test.example' });
    emulator = await startJiraEmulator({ mode: 'cloud', seed });
    const candidates = await botClient(emulator, 'cloud').findUsersByEmail('alice@acme.test');
    expect(candidates.map((user) => user.email).sort()).toEqual(['alice@acme.test', 'alice@acme.test.example']);
    expect(candidates.filter((user) => user.email === 'alice@acme.test')).toHaveLength(1);
  });

  it('cannot find a user whose email privacy hides it, and never shows that email', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud' });
    const client = botClient(emulator, 'cloud');
    expect(await client.findUsersByEmail('dave@acme.test')).toEqual([]);
    const byName = await client.findUsersByEmail('Dave');
    expect(byName).toEqual([{ accountId: '5b10ac8d82e05b22cc7d4e04', name: null, email: null, displayName: 'Dave Okafor' }]);
  });

  it('lists priorities by id and name', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud' });
    expect(await botClient(emulator, 'cloud').priorities()).toEqual([
      { id: '1', name: 'Highest' },
      { id: '2', name: 'High' },
      { id: '3', name: 'Medium' },
      { id: '4', name: 'Low' },
      { id: '5', name: 'Lowest' },
    ]);
  });
});
