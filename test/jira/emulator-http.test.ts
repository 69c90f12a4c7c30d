import { afterEach, describe, expect, it } from 'vitest';
import { startJiraEmulator, type JiraEmulator } from '../../src/sandbox/jira/server.js';
import { BOT, basicAuth, call, fixtureSeed, startFixtureEmulator } from './harness.js';

let emulator: JiraEmulator;

afterEach(async () => {
  await emulator?.close();
});

type Page = { issues: Array<{ id: string; key?: string; fields?: Record<string, unknown> }>; nextPageToken?: string; isLast: boolean };

function searchPath(jql: string, extra = ''): string {
  return `/rest/api/2/search/jql?jql=${encodeURIComponent(jql)}${extra}`;
}

async function keys(jql: string): Promise<string[]> {
  const { status, body } = await call(emulator, 'GET', searchPath(jql, '&fields=key&maxResults=100'));
  expect(status).toBe(200);
  return (body as Page).issues.map((issue) => issue.key!);
}

describe('JIRA emulator over HTTP (Cloud)', () => {
  it('requires credentials and answers 401 with an ErrorCollection and a challenge', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud' });
    for (const authorization of [null, basicAuth(BOT.email, 'nope'), `Bearer ${BOT.pat}`]) {
      const response = await call(emulator, 'GET', '/rest/api/2/issue/INC-1', { authorization });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Basic /);
      expect(response.body).toEqual({
        errorMessages: ['You are not authenticated. Authentication required to perform this operation.'],
        errors: {},
      });
    }
  });

  it('answers the removed legacy search with 410 and the CHANGE-2046 text', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud' });
    for (const method of ['GET', 'POST']) {
      const response = await call(emulator, method, '/rest/api/3/search?jql=project+%3D+INC', method === 'POST' ? { body: { jql: 'project = INC' } } : {});
      expect(response.status).toBe(410);
      expect(response.body).toEqual({
        errorMessages: [
          'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046',
        ],
        errors: {},
      });
    }
  });

  it('returns ids only by default, and the fields asked for comma-joined or repeated', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud' });
    const bare = (await call(emulator, 'GET', searchPath('key = INC-1'))).body as Page;
    expect(bare).toEqual({ issues: [{ id: '10001' }], isLast: true });
    const joined = (await call(emulator, 'GET', searchPath('key = INC-1', '&fields=summary,status'))).body as Page;
    const repeated = (await call(emulator, 'GET', searchPath('key = INC-1', '&fields=summary&fields=status'))).body as Page;
    expect(Object.keys(joined.issues[0]!.fields!).sort()).toEqual(['status', 'summary']);
    expect(repeated.issues[0]!.fields).toEqual(joined.issues[0]!.fields);
  });

  it('pages with nextPageToken, omits it on the last page, and caps pages that carry fields', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud', searchPageCap: 4 });
    const first = (await call(emulator, 'GET', searchPath('project = INC ORDER BY key ASC', '&fields=summary&maxResults=10'))).body as Page;
    expect(first.issues).toHaveLength(4);
    expect(first.isLast).toBe(false);
    const idsOnly = (await call(emulator, 'GET', searchPath('project = INC', '&maxResults=10'))).body as Page;
    expect(idsOnly.issues).toHaveLength(10);
    const post = await call(emulator, 'POST', '/rest/api/2/search/jql', {
      body: { jql: 'project = INC ORDER BY key ASC', fields: ['summary'], maxResults: 10, nextPageToken: first.nextPageToken },
    });
    expect((post.body as Page).issues.map((issue) => issue.key)).toEqual(['INC-5', 'INC-6', 'INC-7', 'INC-8']);
    const last = (await call(emulator, 'GET', searchPath('project = INC', '&maxResults=20'))).body as Page;
    expect(last).not.toHaveProperty('nextPageToken');
    expect(last.isLast).toBe(true);
  });

  it('rejects unbounded, malformed and unsupported JQL with 400 and errorMessages', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud' });
    const cases: Array<[string, RegExp]> = [
      ['ORDER BY key DESC', /Unbounded JQL queries are not allowed/],
      ['', /Unbounded JQL queries are not allowed/],
      ['assignee = currentUser()', /Field 'assignee' does not exist/],
      ['(project = INC OR labels = checkout', /Expecting '\)' before the end of the query/],
      ['project = NOPE', /The value 'NOPE' does not exist for the field 'project'/],
      ['key in (INC-1, INC-99)', /An issue with key 'INC-99' does not exist for field 'key'/],
      ['updated >= "2026-13-01 10:00"', /Date value '2026-13-01 10:00' for field 'updated' is invalid/],
      ['project = "INC', /quoted string has not been completed/],
    ];
    for (const [jql, message] of cases) {
      const response = await call(emulator, 'GET', searchPath(jql));
      expect(response.status, jql).toBe(400);
      expect((response.body as { errorMessages: string[] }).errorMessages[0], jql).toMatch(message);
    }
  });

  it('filters by key, labels and update time (UTC datetimes or epoch ms) and sorts as asked', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud' });
    expect(await keys('key in (INC-2, "INC-10") ORDER BY key ASC')).toEqual(['INC-2', 'INC-10']);
    expect(await keys('labels = checkout ORDER BY key ASC')).toEqual(['INC-1', 'INC-10']);
    expect(await keys('project = INC AND updated >= "2026-11-26 14:20" ORDER BY updated ASC, key ASC')).toEqual(['INC-4', 'INC-1', 'INC-9']);
    expect(await keys('project = INC AND updated > "2026-11-26 14:20" ORDER BY updated DESC')).toEqual(['INC-9', 'INC-1']);
    expect(await keys(`project = INC AND updated >= ${Date.parse('2026-11-26T16:40:00Z')}`)).toEqual(['INC-9', 'INC-1']);
    expect(await keys('project = INC AND updated < "2026/11/20"')).toEqual(['INC-8']);
    const count = await call(emulator, 'POST', '/rest/api/2/search/approximate-count', { body: { jql: 'labels = checkout' } });
    expect(count).toMatchObject({ status: 200, body: { count: 2 } });
  });

  it('serves descriptions as strings on v2 and as ADF documents on v3', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud' });
    const v2 = (await call(emulator, 'GET', '/rest/api/2/issue/INC-11?fields=description')).body as { fields: { description: unknown } };
    expect(v2.fields.description).toBe('Indexer falls behind during peak.\r\nSee dashboards.  ');
    const v3 = (await call(emulator, 'GET', '/rest/api/3/issue/INC-5?fields=description')).body as { fields: { description: unknown } };
    expect(v3.fields.description).toMatchObject({ type: 'doc', version: 1, content: [{ type: 'paragraph' }] });
  });

  it('answers unknown issues with 404 and JIRA’s message', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud' });
    const response = await call(emulator, 'GET', '/rest/api/2/issue/INC-999');
    expect(response).toMatchObject({ status: 404, body: { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} } });
  });

  it('validates edits field by field and leaves the issue untouched on 400', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud' });
    const response = await call(emulator, 'PUT', '/rest/api/2/issue/INC-3', {
      body: { fields: { summary: 'x'.repeat(256), status: { name: 'Done' }, priority: { name: 'Urgent' }, customfield_11064: { value: '9' } } },
    });
    expect(response.status).toBe(400);
    expect((response.body as { errors: Record<string, string> }).errors).toEqual({
      summary: 'Summary must be less than 255 characters.',
      status: "Field 'status' cannot be set. It is not on the appropriate screen, or unknown.",
      priority: "Priority name 'Urgent' is not valid",
      customfield_11064: "Option value '9' is not valid",
    });
    expect(emulator.issue('INC-3')!.summary).toBe('Payment webhook retries pile up');
    expect(emulator.writes).toEqual([]);
  });

  it('assigns by accountId on Cloud and records custom field changes with their display name', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud' });
    const response = await call(emulator, 'PUT', '/rest/api/2/issue/INC-6', {
      body: { fields: { assignee: { accountId: '5b10ac8d82e05b22cc7d4e05' }, customfield_11064: { value: '2' } } },
    });
    expect(response.status).toBe(204);
    expect(emulator.issue('INC-6')!.changelog.at(-1)!.items).toEqual([
      { field: 'assignee', fieldtype: 'jira', fieldId: 'assignee', from: null, fromString: null, to: '5b10ac8d82e05b22cc7d4e05', toString: 'Erin Walsh' },
      { field: 'Incident Priority', fieldtype: 'custom', fieldId: 'customfield_11064', from: '20005', fromString: '5', to: '20002', toString: '2' },
    ]);
    const byName = await call(emulator, 'PUT', '/rest/api/2/issue/INC-6', { body: { fields: { assignee: { name: 'erin' } } } });
    expect(byName.status).toBe(400);
  });

  it('pages the changelog oldest first, including human edits', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud' });
    emulator.editAsUser('INC-4', 'bob@acme.test', { priority: 'Highest' });
    emulator.editAsUser('INC-4', 'bob', { status: 'Blocked', assignee: 'carol@acme.test' });
    const first = (await call(emulator, 'GET', '/rest/api/2/issue/INC-4/changelog?maxResults=1')).body as Record<string, unknown>;
    expect(first).toMatchObject({ startAt: 0, maxResults: 1, total: 2, isLast: false });
    const history = (first['values'] as Array<{ author: { accountId: string }; items: Array<{ fieldId: string; toString: string }> }>)[0]!;
    expect(history.author.accountId).toBe('5b10ac8d82e05b22cc7d4e02');
    expect(history.items.map((item) => [item.fieldId, item.toString])).toEqual([
      ['priority', 'Highest'],
      ['customfield_11064', '1'],
    ]);
    const second = (await call(emulator, 'GET', '/rest/api/2/issue/INC-4/changelog?startAt=1')).body as Record<string, unknown>;
    expect(second).toMatchObject({ startAt: 1, isLast: true });
    const expanded = (await call(emulator, 'GET', '/rest/api/2/issue/INC-4?expand=changelog')).body as {
      changelog: { histories: Array<{ items: Array<{ fieldId: string }> }> };
    };
    expect(expanded.changelog.histories[0]!.items.map((item) => item.fieldId)).toEqual(['assignee', 'status']);
    expect(emulator.writes).toEqual([]);
  });

  it('creates issues in the initial status and adds comments', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud' });
    const created = await call(emulator, 'POST', '/rest/api/2/issue', {
      body: { fields: { project: { key: 'INC' }, issuetype: { name: 'Incident' }, summary: 'Cart totals off by one cent' } },
    });
    expect(created).toMatchObject({ status: 201, body: { id: '10012', key: 'INC-12' } });
    expect(emulator.issue('INC-12')).toMatchObject({ statusId: '1', priorityId: '3', reporterAccountId: BOT.accountId });
    const missing = await call(emulator, 'POST', '/rest/api/2/issue', { body: { fields: { project: { key: 'INC' }, issuetype: { name: 'Incident' } } } });
    expect(missing).toMatchObject({ status: 400, body: { errors: { summary: 'You must specify a summary of the issue.' } } });
    const comment = await call(emulator, 'POST', '/rest/api/2/issue/INC-12/comment', { body: { body: 'Linked to incident #42' } });
    expect(comment).toMatchObject({ status: 201, body: { body: 'Linked to incident #42', author: { accountId: BOT.accountId } } });
    expect(emulator.writes.map((write) => write.kind)).toEqual(['create', 'comment']);
  });

  it('serves injected faults to matching requests only, then real answers again', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud' });
    emulator.faults.next(2, { status: 503, headers: { 'Retry-After': 'Wed, 21 Oct 2026 07:28:00 GMT' }, matcher: { method: 'GET', pathPrefix: '/rest/api/2/priority' } });
    expect((await call(emulator, 'GET', '/rest/api/2/myself')).status).toBe(200);
    const faulted = await call(emulator, 'GET', '/rest/api/2/priority');
    expect(faulted.status).toBe(503);
    expect(faulted.headers.get('retry-after')).toBe('Wed, 21 Oct 2026 07:28:00 GMT');
    expect((await call(emulator, 'GET', '/rest/api/2/priority')).status).toBe(503);
    expect((await call(emulator, 'GET', '/rest/api/2/priority')).status).toBe(200);
    emulator.faults.resetConnection(1);
    await expect(call(emulator, 'GET', '/rest/api/2/myself')).rejects.toThrow();
    expect(emulator.requests.at(-1)).toMatchObject({ path: '/rest/api/2/myself', status: null });
  });

  it('adds the configured latency to every response', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud', latencyMs: 150 });
    const started = Date.now();
    await call(emulator, 'GET', '/rest/api/2/myself');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('matches user queries by name or visible email prefix, never by a hidden email', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud' });
    const search = async (query: string) =>
      ((await call(emulator, 'GET', `/rest/api/2/user/search?query=${encodeURIComponent(query)}`)).body as Array<Record<string, unknown>>).map(
        (user) => user['displayName'],
      );
    expect(await search('car')).toEqual(['Carol Diaz']);
    expect(await search('chen')).toEqual(['Bob Chen']);
    expect(await search('erin@acme')).toEqual(['Erin Walsh']);
    expect(await search('dave@')).toEqual([]);
    const dave = (await call(emulator, 'GET', '/rest/api/2/user/search?query=okafor')).body as Array<Record<string, unknown>>;
    expect(dave).toHaveLength(1);
    expect(dave[0]).not.toHaveProperty('emailAddress');
    expect((await call(emulator, 'GET', '/rest/api/2/user/search')).status).toBe(400);
  });

  it('refuses a seed whose issues name statuses, priorities or users that do not exist', async () => {
    const seed = fixtureSeed();
    seed.issues[0] = { ...seed.issues[0]!, status: 'Triage', priority: 'Urgent', assignee: 'nobody' };
    await expect(startJiraEmulator({ mode: 'cloud', seed })).rejects.toThrow(/unknown status Triage[\s\S]*unknown priority Urgent[\s\S]*unknown user nobody/);
  });
});
