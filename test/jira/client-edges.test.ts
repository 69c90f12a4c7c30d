import { afterEach, describe, expect, it } from 'vitest';
import { jqlString, keyInJql } from '../../src/jira/jql.js';
import { FieldsRefusedError } from '../../src/jira/service-errors.js';
import { InvalidRecordError, RetryWaitTooLongError } from '../../src/net/errors.js';
import type { InvalidIssue } from '../../src/jira/wire.js';
import { configureRetries } from '../../src/net/retry.js';
import { startJiraEmulator, type JiraEmulator } from '../../src/sandbox/jira/server.js';
import { botClient, call, fixtureSeed, startFixtureEmulator } from './harness.js';

let emulator: JiraEmulator;

afterEach(async () => {
  configureRetries({});
  await emulator?.close();
});

const BOB = '5b10ac8d82e05b22cc7d4e02';
const DAVE = '5b10ac8d82e05b22cc7d4e04';

/** The fixture with dave active but without the Assignable User permission. */
function unassignableDaveSeed() {
  const seed = fixtureSeed() as { users: Array<Record<string, unknown>> };
  for (const user of seed.users) if (user['name'] === 'dave') user['assignable'] = false;
  return seed as ReturnType<typeof fixtureSeed>;
}

describe('JQL quoting', () => {
  it('quotes every value and escapes backslashes, quotes and line breaks', () => {
    expect(jqlString('INC')).toBe('"INC"');
    expect(jqlString('AND')).toBe('"AND"');
    expect(jqlString('Won\'t "fix" \\ now\n')).toBe('"Won\'t \\"fix\\" \\\\ now\\n"');
    expect(keyInJql(['INC-1', 'OR-2'])).toBe('key in ("INC-1", "OR-2")');
    expect(() => keyInJql(['INC-1) OR project = SECRET'])).toThrow(RangeError);
  });

  it('is what the client sends, and JIRA parses it back to the same values', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud' });
    const client = botClient(emulator, 'cloud');
    expect((await client.getIssuesByKeys(['INC-2', 'INC-3'])).map((issue) => issue.key).sort()).toEqual(['INC-2', 'INC-3']);
    expect(await client.issueKeyInStatus('INC', 'In Progress')).not.toBeNull();
    const sent = emulator.requests.filter((request) => request.path === '/rest/api/2/search/jql').map((request) => request.query['jql']);
    expect(sent).toEqual(['key in ("INC-2", "INC-3")', 'project = "INC" AND status = "In Progress" ORDER BY key']);
  });
});

describe('a long JQL', () => {
  it.each(['cloud', 'datacenter'] as const)('travels in a POST body on %s, with the same answer as a short one', async (mode) => {
    emulator = await startFixtureEmulator({ mode });
    const client = botClient(emulator, mode);
    const exclusions = Array.from({ length: 60 }, (_, index) => `NOT (key = "INC-1" AND updated <= ${1_000_000_000_000 + index})`).join(' AND ');
    const long = `project = "INC" AND ${exclusions} ORDER BY key ASC`;
    expect(long.length).toBeGreaterThan(2_000);
    const short = await client.search('project = "INC" ORDER BY key ASC');
    expect((await client.search(long)).map((issue) => issue.key)).toEqual(short.map((issue) => issue.key));
    const path = mode === 'cloud' ? '/rest/api/2/search/jql' : '/rest/api/2/search';
    expect(emulator.requests.filter((request) => request.path === path).map((request) => request.method)).toEqual(['GET', 'POST']);
  });
});

describe('reconcileIssues on Cloud search', () => {
  it('answers the issues it names from the database while the index still serves the old value', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud', indexLagMs: 60_000 });
    const client = botClient(emulator, 'cloud');
    await client.editIssue('INC-6', { summary: 'Email sender hits daily quota (transactional)' });
    await client.editIssue('INC-7', { summary: 'Edited, not reconciled' });
    const plain = await client.search('project = INC ORDER BY key ASC');
    expect(plain.find((issue) => issue.key === 'INC-6')!.summary).toBe('Email sender hits daily quota');
    const reconciled = await client.search('project = INC ORDER BY key ASC', { reconcileIssues: ['10006'] });
    expect(reconciled).toHaveLength(11);
    expect(reconciled.find((issue) => issue.key === 'INC-6')!.summary).toBe('Email sender hits daily quota (transactional)');
    expect(reconciled.find((issue) => issue.key === 'INC-7')!.summary).not.toBe('Edited, not reconciled');
    const last = emulator.requests.filter((request) => request.path === '/rest/api/2/search/jql').at(-1)!;
    expect(last.query['reconcileIssues']).toBe('10006');
  });

  it('sends at most 50 ids a search, and keeps each reconciled issue as its own batch read it', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud', indexLagMs: 60_000 });
    const client = botClient(emulator, 'cloud');
    await client.editIssue('INC-11', { summary: 'Fresh eleven' });
    // 120 ids: the fixture's 11 among ids JIRA does not know, as a run may name issues deleted since it wrote them.
    const ids = [...Array.from({ length: 109 }, (_, index) => String(20_000 + index)), ...Array.from({ length: 11 }, (_, index) => String(10_001 + index))];
    const issues = await client.search('project = INC', { reconcileIssues: ids });
    expect(issues.map((issue) => issue.key).sort()).toEqual(Array.from({ length: 11 }, (_, index) => `INC-${index + 1}`).sort());
    expect(issues.find((issue) => issue.key === 'INC-11')!.summary).toBe('Fresh eleven');
    const sent = emulator.requests.filter((request) => request.path === '/rest/api/2/search/jql').map((request) => request.query['reconcileIssues']!.split(',').length);
    expect(sent).toEqual([50, 50, 20]);
  });

  it('is not sent to Data Center, whose search reads the database', async () => {
    emulator = await startFixtureEmulator({ mode: 'datacenter' });
    await botClient(emulator, 'datacenter').search('project = INC', { reconcileIssues: ['10006'] });
    expect(emulator.requests.filter((request) => request.path === '/rest/api/2/search').map((request) => request.query['reconcileIssues'])).toEqual([undefined]);
  });
});

describe('per-issue tolerance', () => {
  it('leaves out an invalid issue, naming its field and value, and keeps the rest of the batch', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud' });
    const client = botClient(emulator, 'cloud');
    const [good] = await client.search('key = INC-2');
    const query = `jql=${encodeURIComponent('key in ("INC-1", "INC-2")')}&fields=summary,status,labels,created,updated,description,assignee,priority,project,issuetype`;
    const page = (await call(emulator, 'GET', `/rest/api/2/search/jql?${query}`)).body as { issues: Array<Record<string, any>> };
    const broken = page.issues.find((issue) => issue['key'] === 'INC-1')!;
    broken['fields'].status = { id: '3', name: 7 };
    emulator.faults.next(1, { status: 200, body: { ...page, isLast: true }, matcher: { pathPrefix: '/rest/api/2/search/jql' } });
    const invalid: InvalidIssue[] = [];
    const issues = await client.getIssuesByKeys(['INC-1', 'INC-2'], undefined, (record) => invalid.push(record));
    expect(issues).toEqual([good]);
    expect(invalid).toHaveLength(1);
    expect(invalid[0]!.key).toBe('INC-1');
    expect(invalid[0]!.error).toBeInstanceOf(InvalidRecordError);
    expect(invalid[0]!.error).toMatchObject({ field: 'fields.status.name', value: '7', category: 'validation' });
    expect(invalid[0]!.error.message).toBe('JIRA sent an invalid issue INC-1: fields.status.name expected string, received number, got 7');
  });
});

describe('edits', () => {
  it('sends notifyUsers=false only when jira.notifyUsers is false', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud' });
    await botClient(emulator, 'cloud').editIssue('INC-1', { summary: 'Notified' });
    await botClient(emulator, 'cloud', { notifyUsers: false }).editIssue('INC-1', { summary: 'Quiet' });
    const puts = emulator.requests.filter((request) => request.method === 'PUT');
    expect(puts.map((request) => request.query['notifyUsers'])).toEqual([undefined, 'false']);
    expect(emulator.issue('INC-1')!.summary).toBe('Quiet');
  });

  it('names the fields JIRA refused with its messages', async () => {
    emulator = await startJiraEmulator({ mode: 'cloud', seed: unassignableDaveSeed() });
    const error = await botClient(emulator, 'cloud')
      .editIssue('INC-1', { summary: 'Will not land', assignee: { accountId: DAVE } })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FieldsRefusedError);
    expect(error).toMatchObject({ status: 400, category: 'validation', refused: [{ field: 'assignee', message: "User 'Dave Okafor' cannot be assigned issues." }] });
    expect(emulator.issue('INC-1')!.summary).not.toBe('Will not land');
  });

  it('re-sends the other fields without the refused one, and reports which landed', async () => {
    emulator = await startJiraEmulator({ mode: 'cloud', seed: unassignableDaveSeed() });
    const outcome = await botClient(emulator, 'cloud').editIssueFields('INC-1', {
      summary: 'Title lands',
      assignee: { accountId: DAVE },
      priority: { name: 'High' },
    });
    expect(outcome).toEqual({ applied: ['summary', 'priority'], refused: [{ field: 'assignee', message: "User 'Dave Okafor' cannot be assigned issues." }] });
    expect(emulator.issue('INC-1')).toMatchObject({ summary: 'Title lands', assigneeAccountId: '5b10ac8d82e05b22cc7d4e01' });
    const puts = emulator.requests.filter((request) => request.method === 'PUT');
    expect(puts.map((request) => request.status)).toEqual([400, 204]);
    expect(emulator.writes.map((write) => write.body)).toEqual([{ fields: { summary: 'Title lands', priority: { name: 'High' } } }]);
  });

  it('applies nothing and sends nothing more when every field is refused', async () => {
    emulator = await startJiraEmulator({ mode: 'cloud', seed: unassignableDaveSeed() });
    const outcome = await botClient(emulator, 'cloud').editIssueFields('INC-1', { assignee: { accountId: DAVE } });
    expect(outcome.applied).toEqual([]);
    expect(outcome.refused.map((field) => field.field)).toEqual(['assignee']);
    expect(emulator.requests.filter((request) => request.method === 'PUT')).toHaveLength(1);
  });

  it('still assigns a user who can be assigned', async () => {
    emulator = await startJiraEmulator({ mode: 'cloud', seed: unassignableDaveSeed() });
    const outcome = await botClient(emulator, 'cloud').editIssueFields('INC-1', { assignee: { accountId: BOB } });
    expect(outcome).toEqual({ applied: ['assignee'], refused: [] });
  });
});

describe('rate-limit windows over HTTP', () => {
  it('waits out a 2 s window that keeps answering 429: no request inside it, then the search succeeds', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud' });
    emulator.faults.rateLimitWindow(2, { matcher: { pathPrefix: '/rest/api/2/search/jql' }, reason: 'jira-quota-tenant-based' });
    const client = botClient(emulator, 'cloud');
    const [issues, issue] = await Promise.all([client.search('project = INC'), new Promise((resolve) => setTimeout(resolve, 50)).then(() => client.getIssue('INC-2'))]);
    expect(issues).toHaveLength(11);
    expect(issue.key).toBe('INC-2');
    const [limited, ...after] = emulator.requests;
    expect(limited).toMatchObject({ path: '/rest/api/2/search/jql', status: 429 });
    // Quota-wide: the GET issue that came 50 ms later waited too, and nothing was sent before the 2 s passed.
    for (const request of after) {
      expect(request.status).toBe(200);
      expect(request.at - limited!.at).toBeGreaterThanOrEqual(1_990);
    }
  });

  it('fails with rate_limit, saying how long JIRA asked, when the window is longer than the bound', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud' });
    configureRetries({ maxRetryWaitMs: 1_000 });
    emulator.faults.rateLimitWindow(25, { matcher: { method: 'PUT' }, reason: 'jira-per-issue-on-write' });
    const error = await botClient(emulator, 'cloud').editIssue('INC-1', { summary: 'Too late' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RetryWaitTooLongError);
    expect(error).toMatchObject({ category: 'rate_limit', rateLimitReason: 'jira-per-issue-on-write' });
    expect((error as Error).message).toBe('JIRA asked to wait 25 s before retrying PUT /rest/api/2/issue/INC-1, longer than net.maxRetryWaitSeconds (1 s)');
    expect(emulator.requests.filter((request) => request.method === 'PUT')).toHaveLength(1);
    expect(emulator.issue('INC-1')!.summary).not.toBe('Too late');
  });
});
