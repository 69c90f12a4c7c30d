import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JiraEmulator } from '../../src/sandbox/jira/server.js';
import { BOT, call, startFixtureEmulator } from './harness.js';

const SPEC_PATH = '/work/shared/reference/jira/swagger-v3.v3.json';

/** Validators for `components.schemas.<name>` of Atlassian's OpenAPI spec, `$ref`s resolved within it. */
function specValidators(): (name: string) => ValidateFunction {
  const spec = JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as Record<string, unknown>;
  // ownProperties: the spec has a `toString` property, which would otherwise resolve to Object.prototype.toString.
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true, ownProperties: true });
  ajv.addSchema(spec, 'jira-spec');
  const cache = new Map<string, ValidateFunction>();
  return (name) => {
    let validate = cache.get(name);
    if (!validate) {
      validate = ajv.getSchema(`jira-spec#/components/schemas/${name}`)!;
      cache.set(name, validate);
    }
    return validate;
  };
}

const validator = specValidators();

function expectConforms(schema: string, body: unknown): void {
  const validate = validator(schema);
  const valid = validate(body);
  expect(valid ? [] : validate.errors, `${schema}: ${JSON.stringify(validate.errors)}`).toEqual([]);
}

describe('JIRA emulator responses conform to the spec (Cloud, v3)', () => {
  let emulator: JiraEmulator;

  beforeAll(async () => {
    emulator = await startFixtureEmulator({ mode: 'cloud' });
    emulator.editAsUser('INC-2', 'alice', { summary: 'Search latency spike on catalogue pages', assignee: null });
  });
  afterAll(() => emulator.close());

  const fieldList = 'summary,description,status,priority,assignee,labels,created,updated,customfield_11064';

  it.each([
    ['SearchAndReconcileResults', 'GET', `/rest/api/3/search/jql?jql=project+%3D+INC&maxResults=3&fields=${fieldList}`],
    ['SearchAndReconcileResults', 'GET', '/rest/api/3/search/jql?jql=project+%3D+INC'],
    ['IssueBean', 'GET', '/rest/api/3/issue/INC-2?expand=changelog'],
    ['IssueBean', 'GET', '/rest/api/2/issue/INC-9'],
    ['PageBeanChangelog', 'GET', '/rest/api/3/issue/INC-2/changelog'],
    ['Transitions', 'GET', '/rest/api/3/issue/INC-1/transitions?expand=transitions.fields'],
    ['User', 'GET', '/rest/api/3/myself'],
    ['PageBeanPriority', 'GET', '/rest/api/3/priority/search'],
    ['ErrorCollection', 'GET', '/rest/api/3/issue/INC-404'],
    ['ErrorCollection', 'GET', '/rest/api/3/search?jql=project+%3D+INC'],
    ['ErrorCollection', 'GET', '/rest/api/3/search/jql?jql=order+by+key'],
  ])('%s from %s %s', async (schema, method, path) => {
    const { body } = await call(emulator, method, path);
    expectConforms(schema, body);
  });

  it('every user of a user search is a User, hidden email or not', async () => {
    const { body } = await call(emulator, 'GET', '/rest/api/3/user/search?query=d');
    expect((body as unknown[]).length).toBeGreaterThan(0);
    for (const user of body as unknown[]) expectConforms('User', user);
  });

  it('every priority of the list is a Priority', async () => {
    const { body } = await call(emulator, 'GET', '/rest/api/3/priority');
    for (const priority of body as unknown[]) expectConforms('Priority', priority);
  });

  it('a created issue is a CreatedIssue and its comment a Comment', async () => {
    const created = await call(emulator, 'POST', '/rest/api/3/issue', {
      body: { fields: { project: { key: 'INC' }, issuetype: { name: 'Incident' }, summary: 'Contract probe' } },
    });
    expectConforms('CreatedIssue', created.body);
    const key = (created.body as { key: string }).key;
    const comment = await call(emulator, 'POST', `/rest/api/3/issue/${key}/comment`, {
      body: { body: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'probe' }] }] } },
    });
    expect(comment.status).toBe(201);
    expectConforms('Comment', comment.body);
  });

  it('a ticket as raidsync creates it: multi-select, selects, labels and properties; its remote link, property and create screen conform', async () => {
    const created = await call(emulator, 'POST', '/rest/api/3/issue', {
      body: {
        fields: {
          project: { key: 'INC' },
          issuetype: { name: 'Incident' },
          summary: 'Created with the seed fields',
          labels: ['ff-incident-900'],
          customfield_11049: [{ value: 'PRD' }, { value: 'STG' }],
          customfield_10201: { value: 'All' },
          customfield_10936: { value: 'High' },
        },
        properties: [{ key: 'raidsync', value: { incident: 900 } }],
      },
    });
    expect(created.status).toBe(201);
    const key = (created.body as { key: string }).key;
    const issue = await call(emulator, 'GET', `/rest/api/3/issue/${key}`);
    expectConforms('IssueBean', issue.body);
    expect((issue.body as { fields: Record<string, unknown> }).fields['customfield_11049']).toMatchObject([{ value: 'PRD' }, { value: 'STG' }]);
    const link = await call(emulator, 'POST', `/rest/api/3/issue/${key}/remotelink`, {
      body: { globalId: 'ff-incident-900', object: { url: 'https://ff.test/incident/900/', title: 'FireFighter incident #900' } },
    });
    expect(link.status).toBe(201);
    expectConforms('RemoteIssueLinkIdentifies', link.body);
    const again = await call(emulator, 'POST', `/rest/api/3/issue/${key}/remotelink`, {
      body: { globalId: 'ff-incident-900', object: { url: 'https://ff.test/incident/900/', title: 'FireFighter incident #900' } },
    });
    expect(again.status).toBe(200);
    const links = await call(emulator, 'GET', `/rest/api/3/issue/${key}/remotelink`);
    expect(links.body).toHaveLength(1);
    for (const each of links.body as unknown[]) expectConforms('RemoteIssueLink', each);
    expectConforms('EntityProperty', (await call(emulator, 'GET', `/rest/api/3/issue/${key}/properties/raidsync`)).body);
    expectConforms('PropertyKeys', (await call(emulator, 'GET', `/rest/api/3/issue/${key}/properties`)).body);
    expectConforms('PageOfCreateMetaIssueTypes', (await call(emulator, 'GET', '/rest/api/3/issue/createmeta/INC/issuetypes')).body);
    const screen = await call(emulator, 'GET', '/rest/api/3/issue/createmeta/INC/issuetypes/10001');
    expectConforms('PageOfCreateMetaIssueTypeWithField', screen.body);
    expect((screen.body as { fields: Array<{ fieldId: string }> }).fields.map((field) => field.fieldId)).toEqual(
      expect.arrayContaining(['summary', 'labels', 'customfield_11049', 'customfield_10201', 'customfield_10936']),
    );
  });

  it('create refuses a field that is not on its screen with 400, as JIRA does', async () => {
    const refused = await call(emulator, 'POST', '/rest/api/3/issue', {
      body: { fields: { project: { key: 'INC' }, issuetype: { name: 'Incident' }, summary: 'Unknown field', customfield_99999: { value: 'x' } } },
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ errors: { customfield_99999: expect.stringContaining('cannot be set') } });
    expectConforms('ErrorCollection', refused.body);
  });

  it('a 400 on edit and a 401 are ErrorCollections', async () => {
    const edit = await call(emulator, 'PUT', '/rest/api/3/issue/INC-1', { body: { fields: { summary: 'a\nb' } } });
    expect(edit.status).toBe(400);
    expectConforms('ErrorCollection', edit.body);
    const unauthenticated = await call(emulator, 'GET', '/rest/api/3/myself', { authorization: null });
    expect(unauthenticated.status).toBe(401);
    expectConforms('ErrorCollection', unauthenticated.body);
  });

  it('a search with reconcileIssues is SearchAndReconcileResults', async () => {
    const { status, body } = await call(emulator, 'GET', `/rest/api/3/search/jql?jql=project+%3D+%22INC%22&reconcileIssues=10001,10002&fields=${fieldList}`);
    expect(status).toBe(200);
    expectConforms('SearchAndReconcileResults', body);
  });

  it('a 429 of a rate-limit window is an ErrorCollection with the headers Cloud sends', async () => {
    emulator.faults.rateLimitWindow(30, { matcher: { pathPrefix: '/rest/api/3/priority' }, reason: 'jira-burst-based' });
    const limited = await call(emulator, 'GET', '/rest/api/3/priority/search');
    const again = await call(emulator, 'GET', '/rest/api/3/priority/search');
    emulator.faults.clear();
    expect([limited.status, again.status]).toEqual([429, 429]);
    expectConforms('ErrorCollection', limited.body);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(again.headers.get('retry-after'))).toBeLessThanOrEqual(30);
    expect(limited.headers.get('ratelimit-reason')).toBe('jira-burst-based');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('x-ratelimit-reset')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z$/);
  });

  it('rejects a body that breaks the schema, so the checks above can fail', () => {
    const validate = validator('SearchAndReconcileResults');
    expect(validate({ issues: [{ id: 10001 }], isLast: 'yes' })).toBe(false);
  });
});

describe('JIRA emulator responses conform to the spec (Data Center, v2)', () => {
  let emulator: JiraEmulator;

  beforeAll(async () => {
    emulator = await startFixtureEmulator({ mode: 'datacenter' });
  });
  afterAll(() => emulator.close());

  const pat = `Bearer ${BOT.pat}`;

  it.each([
    ['SearchResults', '/rest/api/2/search?jql=project+%3D+INC&maxResults=4'],
    ['IssueBean', '/rest/api/2/issue/INC-3?expand=changelog'],
    ['Transitions', '/rest/api/2/issue/INC-7/transitions?expand=transitions.fields'],
    ['User', '/rest/api/2/myself'],
  ])('%s from GET %s', async (schema, path) => {
    const { body } = await call(emulator, 'GET', path, { authorization: pat });
    expectConforms(schema, body);
  });

  it('users found by username are Users', async () => {
    const { body } = await call(emulator, 'GET', '/rest/api/2/user/search?username=a', { authorization: pat });
    for (const user of body as unknown[]) expectConforms('User', user);
  });
});
