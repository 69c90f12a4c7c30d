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

  it('a 400 on edit and a 401 are ErrorCollections', async () => {
    const edit = await call(emulator, 'PUT', '/rest/api/3/issue/INC-1', { body: { fields: { summary: 'a\nb' } } });
    expect(edit.status).toBe(400);
    expectConforms('ErrorCollection', edit.body);
    const unauthenticated = await call(emulator, 'GET', '/rest/api/3/myself', { authorization: null });
    expect(unauthenticated.status).toBe(401);
    expectConforms('ErrorCollection', unauthenticated.body);
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
