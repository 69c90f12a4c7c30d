import { afterEach, describe, expect, it } from 'vitest';
import { JiraHttpError } from '../../src/sandbox/jira/errors.js';
import { checkJqlValues, matchesJql, parseJql, restrictedKeys, sortByJql } from '../../src/sandbox/jira/jql.js';
import type { JiraEmulator } from '../../src/sandbox/jira/server.js';
import type { IssueFields } from '../../src/sandbox/jira/store.js';
import { call, startFixtureEmulator } from '../jira/harness.js';

const STATUS_NAMES: Record<string, string> = { '1': 'Open', '3': 'Done' };

function issue(key: string, fields: Partial<IssueFields> = {}): IssueFields {
  return {
    id: String(10_000 + Number(key.split('-')[1])),
    key,
    projectKey: key.split('-')[0]!,
    issueTypeId: '1',
    summary: key,
    description: null,
    statusId: '1',
    priorityId: null,
    resolutionId: null,
    customFields: {},
    assigneeAccountId: null,
    reporterAccountId: null,
    labels: [],
    created: 0,
    updated: 0,
    ...fields,
  };
}

/** The keys of `issues` that `jql` selects, in the order it asks for. */
function search(jql: string, issues: IssueFields[]): string[] {
  const query = parseJql(jql);
  const matches = issues.filter((candidate) => matchesJql(query, candidate, (found) => STATUS_NAMES[found.statusId]!));
  return sortByJql(query, matches).map((found) => found.key);
}

function rejection(run: () => unknown): { status: number; errorMessages: string[] } {
  try {
    run();
  } catch (error) {
    if (error instanceof JiraHttpError) return { status: error.status, errorMessages: error.errorMessages };
    throw error;
  }
  throw new Error('expected the JQL to be refused');
}

const A1 = issue('A-1', { labels: ['x'] });
const A2 = issue('A-2', { statusId: '3' });
const A3 = issue('A-3', { labels: ['x', 'y'], statusId: '3' });
const ISSUES = [A1, A2, A3];

describe('JQL boolean expressions', () => {
  it('binds AND tighter than OR, whatever the keywords’ case', () => {
    expect(parseJql('key = A-1 or key = A-2 AND labels = y').where).toMatchObject({
      kind: 'or',
      parts: [{ kind: 'clause', field: 'key' }, { kind: 'and', parts: [{ field: 'key' }, { field: 'labels' }] }],
    });
    expect(search('key = A-1 OR key = A-2 and labels = y', ISSUES)).toEqual(['A-1']);
    expect(search('(key = A-1 OR key = A-2) AND labels = y', ISSUES)).toEqual([]);
  });

  it('negates a parenthesised group with NOT or !, binding tighter than AND', () => {
    expect(search('NOT (key = A-1 OR key = A-2)', ISSUES)).toEqual(['A-3']);
    expect(search('! (key = A-1 OR key = A-2)', ISSUES)).toEqual(['A-3']);
    expect(search('not key = A-1 AND status = Done ORDER BY key ASC', ISSUES)).toEqual(['A-2', 'A-3']);
    expect(search('NOT NOT key = A-1', ISSUES)).toEqual(['A-1']);
  });

  it('supports NOT IN and != on keys, status and labels; neither matches an issue without labels', () => {
    expect(search('key not in (A-1, "A-2")', ISSUES)).toEqual(['A-3']);
    expect(search('issuekey NOT IN (A-3) ORDER BY key ASC', ISSUES)).toEqual(['A-1', 'A-2']);
    expect(search('status != done', ISSUES)).toEqual(['A-1']);
    expect(search('labels != y', ISSUES)).toEqual(['A-1']);
    expect(search('NOT labels = y', ISSUES)).toEqual(['A-1']);
    expect(search('labels not in (x)', ISSUES)).toEqual([]);
  });

  it('compares epoch-millisecond bounds to the millisecond', () => {
    const at = 1_764_636_623_123;
    const around = [issue('A-1', { updated: at - 1 }), issue('A-2', { updated: at }), issue('A-3', { updated: at + 1 })];
    expect(search(`updated <= ${at} ORDER BY key ASC`, around)).toEqual(['A-1', 'A-2']);
    expect(search(`updated < ${at}`, around)).toEqual(['A-1']);
    expect(search(`updated > ${at}`, around)).toEqual(['A-3']);
    expect(search(`updated >= ${at} ORDER BY key ASC`, around)).toEqual(['A-2', 'A-3']);
    expect(search(`NOT updated > ${at} ORDER BY key ASC`, around)).toEqual(['A-1', 'A-2']);
  });

  it('excludes a ticket updated exactly at its bound and keeps one updated a millisecond later', () => {
    const tickets = [
      issue('INC-1', { updated: 1_764_636_623_123 }),
      issue('INC-3', { updated: 1_764_636_500_000 }),
      issue('INC-5', { updated: 1_764_635_999_999 }),
      issue('INC-7', { updated: 1_764_636_624_002 }),
      issue('OPS-2', { updated: 1_764_636_700_000 }),
    ];
    const jql =
      'project = "INC" AND updated >= 1764636000000 AND NOT (key = "INC-1" AND updated <= 1764636623123) AND NOT (key = "INC-7" AND updated <= 1764636624001) ORDER BY updated ASC, key ASC';
    expect(search(jql, tickets)).toEqual(['INC-3', 'INC-7']);
    expect(restrictedKeys(parseJql(jql))).toBeUndefined();
  });

  it('restricts to keys only through a positive key clause the whole query is ANDed with', () => {
    expect(restrictedKeys(parseJql('key in (A-1, A-2) AND updated > 1764636000000'))).toEqual(['A-1', 'A-2']);
    expect(restrictedKeys(parseJql('project = A AND (labels = x AND key = A-3)'))).toEqual(['A-3']);
    expect(restrictedKeys(parseJql('key = A-1 OR key = A-2'))).toBeUndefined();
    expect(restrictedKeys(parseJql('NOT key = A-1'))).toBeUndefined();
    expect(restrictedKeys(parseJql('key != A-1 AND project = A'))).toBeUndefined();
    expect(parseJql('ORDER BY key ASC').where).toBeUndefined();
  });

  it('checks every key and project named anywhere in the tree, under NOT too', () => {
    const known = (key: string) => key === 'A-1';
    const project = (key: string) => key === 'A';
    expect(() => checkJqlValues(parseJql('project = A AND NOT (key = A-1)'), known, project)).not.toThrow();
    expect(rejection(() => checkJqlValues(parseJql('project = A AND NOT (key = A-1 OR key in (A-9))'), known, project))).toEqual({
      status: 400,
      errorMessages: ["An issue with key 'A-9' does not exist for field 'key'."],
    });
    expect(rejection(() => checkJqlValues(parseJql('key = A-1 OR project != B'), known, project)).errorMessages).toEqual([
      "The value 'B' does not exist for the field 'project'.",
    ]);
  });

  it('refuses unbalanced parentheses and dangling operators with JIRA’s 400 messages', () => {
    const cases: Array<[string, string]> = [
      ['(project = A', "Error in the JQL Query: Expecting ')' before the end of the query."],
      ['project = A AND', 'Error in the JQL Query: Expecting a field name at the end of the query.'],
      ['project = A OR NOT', 'Error in the JQL Query: Expecting a field name at the end of the query.'],
      ['NOT', 'Error in the JQL Query: Expecting a field name at the end of the query.'],
      ['project = A)', "Error in the JQL Query: Expecting either 'OR' or 'AND' but got ')'. (line 1, character 12)"],
      ['(project = A labels = x)', "Error in the JQL Query: Expecting ')' but got 'labels'. (line 1, character 14)"],
      [
        'project = A AND OR key = A-1',
        "Error in the JQL Query: Expecting a field name but got 'OR'. You must surround 'OR' in quotation marks to use it as a field name. (line 1, character 17)",
      ],
      ['key not (A-1)', "Error in the JQL Query: Expecting 'IN' but got '('. (line 1, character 9)"],
      ['key in (A-1, A-2', "Error in the JQL Query: Expecting ')' before the end of the query."],
      ['key =', 'Error in JQL Query: Expecting either a value, list or function before the end of the query.'],
    ];
    for (const [jql, message] of cases) expect(rejection(() => parseJql(jql)), jql).toEqual({ status: 400, errorMessages: [message] });
  });
});

describe('JQL boolean expressions over the search route', () => {
  let emulator: JiraEmulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  it('answers OR, NOT and parentheses as JIRA does, and refuses an unknown key inside NOT', async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud' });
    const keys = async (jql: string) => {
      const { status, body } = await call(emulator!, 'GET', `/rest/api/2/search/jql?jql=${encodeURIComponent(jql)}&fields=key&maxResults=100`);
      expect(status, jql).toBe(200);
      return (body as { issues: Array<{ key: string }> }).issues.map((found) => found.key);
    };
    const inc1 = emulator.issue('INC-1')!.updated;
    const inc9 = emulator.issue('INC-9')!.updated;
    const since = 'project = INC AND updated >= "2026-11-26 14:20"';
    expect(await keys(`${since} ORDER BY updated ASC, key ASC`)).toEqual(['INC-4', 'INC-1', 'INC-9']);
    expect(
      await keys(`${since} AND NOT (key = "INC-1" AND updated <= ${inc1}) AND NOT (key = "INC-9" AND updated <= ${inc9 - 1}) ORDER BY updated ASC, key ASC`),
    ).toEqual(['INC-4', 'INC-9']);
    expect(await keys('key = INC-2 OR key = INC-3 ORDER BY key ASC')).toEqual(['INC-2', 'INC-3']);
    expect(await keys('NOT key in (INC-1, INC-2, INC-3, INC-4, INC-5, INC-6, INC-7, INC-8, INC-9) AND labels != search')).toEqual(['INC-10']);
    const unknown = await call(emulator, 'GET', `/rest/api/2/search/jql?jql=${encodeURIComponent('project = INC AND NOT key = INC-99')}`);
    expect(unknown).toMatchObject({ status: 400, body: { errorMessages: ["An issue with key 'INC-99' does not exist for field 'key'."], errors: {} } });
  });
});
