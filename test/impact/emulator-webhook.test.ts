import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImpactEmulator } from '../../src/sandbox/impact/server.js';
import {
  API,
  FF_ACCOUNT_ID,
  getJson,
  hubSignature,
  issueUpdated,
  postJiraUpdate,
  startFixtureEmulator,
  statusItem,
  WEBHOOK_SECRET,
} from './emulator-harness.js';

type Json = Record<string, any>;

let emulator: ImpactEmulator;
afterEach(() => emulator.close());

const statusOf = async (id: number): Promise<string> => ((await getJson(emulator, `${API}/incidents/${id}/`)).body as { status: string }).status;
const priorityOf = async (id: number): Promise<number> =>
  ((await getJson(emulator, `${API}/incidents/${id}/`)).body as { priority: { value: number } }).priority.value;

describe('X-Hub-Signature authentication', () => {
  beforeEach(async () => {
    emulator = await startFixtureEmulator();
  });
  const payload = issueUpdated('INC-5', [statusItem('Incoming', 'in progress')]);
  const body = JSON.stringify(payload);

  it('accepts the lowercase hex HMAC-SHA256 of the exact bytes, with a case-insensitive method name', async () => {
    const response = await postJiraUpdate(emulator, body, { signature: hubSignature(body).replace('sha256=', 'SHA256=') });
    expect(response.status).toBe(200);
    expect(response.text).toBe('');
    expect(response.headers.get('content-type')).toBeNull();
    expect(await statusOf(105)).toBe('Mitigating');
  });

  it('refuses an uppercase hex digest, a wrong secret, or bytes other than those signed', async () => {
    const digest = hubSignature(body).slice('sha256='.length);
    const attempts = [
      { raw: body, signature: `sha256=${digest.toUpperCase()}` },
      { raw: body, signature: hubSignature(body, 'another-secret') },
      { raw: JSON.stringify(payload, null, 2), signature: hubSignature(body) },
    ];
    for (const attempt of attempts) {
      const response = await postJiraUpdate(emulator, attempt.raw, { signature: attempt.signature });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Signature realm="jira-webhook"');
      expect(JSON.parse(response.text)).toEqual({
        type: 'client_error',
        errors: [{ code: 'authentication_failed', detail: 'Invalid webhook signature.', attr: null }],
      });
    }
    expect(await statusOf(105)).toBe('Open');
    expect(emulator.webhooks).toEqual([]);
  });

  it('answers 401 not_authenticated without the header, and ignores a bearer token', async () => {
    const response = await fetch(`${emulator.url}${API}/raid/jira_update`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer tok-view-3f9a1c' },
      body,
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as Json).errors[0].code).toBe('not_authenticated');
  });

  it('refuses other methods and malformed headers', async () => {
    for (const signature of [`sha1=${hubSignature(body).slice(7)}`, 'sha256=', 'sha256']) {
      expect((await postJiraUpdate(emulator, body, { signature })).status).toBe(401);
    }
  });
});

describe('an unset webhook secret', () => {
  it('answers 401 even to a body signed with the empty key', async () => {
    emulator = await startFixtureEmulator({ webhookSecret: '' });
    const body = JSON.stringify(issueUpdated('INC-5', [statusItem('Incoming', 'in progress')]));
    const response = await postJiraUpdate(emulator, body, { signature: hubSignature(body, '') });
    expect(response.status).toBe(401);
    expect(JSON.parse(response.text).errors[0]).toEqual({ code: 'authentication_failed', detail: 'Webhook secret not configured.', attr: null });
  });
});

describe('payload validation', () => {
  beforeEach(async () => {
    emulator = await startFixtureEmulator();
  });

  it('answers 400 with every missing or mistyped key', async () => {
    const response = await postJiraUpdate(emulator, { issue: 'INC-5', user: {}, webhookEvent: 'jira:issue_created' });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text)).toEqual({
      type: 'validation_error',
      errors: [
        { code: 'not_a_dict', detail: 'Expected a dictionary of items but got type "str".', attr: 'issue' },
        { code: 'required', detail: 'This field is required.', attr: 'changelog' },
        { code: 'invalid_choice', detail: '"jira:issue_created" is not a valid choice.', attr: 'webhookEvent' },
      ],
    });
    expect(emulator.webhooks).toHaveLength(1);
    expect(emulator.webhooks[0]).toMatchObject({ status: 400, effects: [] });
  });

  it('answers 400 parse_error to a body that is not JSON', async () => {
    const response = await postJiraUpdate(emulator, '{"webhookEvent":');
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text).errors[0].code).toBe('parse_error');
  });

  it('fails with 500 when issue.id is not an integer, after applying the items before it', async () => {
    const payload = issueUpdated('INC-5', [
      { field: 'customfield_11064', fieldId: 'customfield_11064', fromString: '4', toString: '3' },
      statusItem('Incoming', 'in progress'),
    ]);
    (payload.issue as Record<string, unknown>).id = 'INC-5';
    const response = await postJiraUpdate(emulator, payload);
    expect(response.status).toBe(500);
    expect(JSON.parse(response.text).type).toBe('server_error');
    expect(emulator.incident(105)).toMatchObject({ status: 'Open', priority: 4 });

    const mixed = issueUpdated('INC-5', [statusItem('Incoming', 'in progress'), { field: 'status', fromString: 'in progress', toString: { name: 'Done' } as unknown as string }]);
    expect((await postJiraUpdate(emulator, mixed)).status).toBe(500);
    expect(emulator.incident(105)!.status).toBe('Mitigating');
    expect(emulator.webhooks.at(-1)!.effects).toEqual(['applied', 'failed: toString is not hashable']);
  });

  it('is a 200 no-op for an empty changelog or a key no incident has', async () => {
    expect((await postJiraUpdate(emulator, issueUpdated('INC-5', []))).status).toBe(200);
    const response = await postJiraUpdate(emulator, issueUpdated('INC-404', [statusItem('Incoming', 'in progress')]));
    expect(response.status).toBe(200);
    expect(emulator.webhooks.at(-1)).toMatchObject({ incidentId: null, effects: ['ignored: no incident linked to INC-404'] });
  });
});

describe("status items through FireFighter's own map", () => {
  beforeEach(async () => {
    emulator = await startFixtureEmulator({ jiraMap: 'firefighter' });
  });

  it('maps exact, case-sensitive JIRA names and leaves the rest alone', async () => {
    const response = await postJiraUpdate(
      emulator,
      issueUpdated('INC-9', [statusItem('in progress', 'In Progress'), statusItem('Incoming', 'Reporter validation')]),
    );
    expect(response.status).toBe(200);
    expect(await statusOf(109)).toBe('Mitigated');
    expect(emulator.webhooks[0]!.effects).toEqual(['ignored: JIRA status "In Progress" is not in the JIRA→Impact map', 'applied']);
    expect(emulator.incident(109)!.updates.at(-1)).toMatchObject({ eventType: 'jira_status_sync', message: 'Status synced from Jira (Reporter validation)' });
  });

  it('applies backward moves: "Pending resolution" reopens a Mitigated incident', async () => {
    await postJiraUpdate(emulator, issueUpdated('INC-3', [statusItem('Reporter validation', 'Pending resolution')]));
    expect(await statusOf(103)).toBe('Open');
  });

  it('skips a status the incident already has', async () => {
    await postJiraUpdate(emulator, issueUpdated('INC-4', [statusItem('Incoming', 'in progress')]));
    expect(emulator.webhooks[0]!.effects).toEqual(['ignored: incident is already Mitigating']);
  });

  it('ignores a close from a JIRA status outside the map (the CLOSED guard)', async () => {
    await postJiraUpdate(emulator, issueUpdated('INC-8', [statusItem('Code Review', 'Closed'), statusItem(null, 'Closed')]));
    expect(await statusOf(108)).toBe('Post-mortem');
    expect(emulator.webhooks[0]!.effects).toEqual([
      'ignored: close from JIRA status "Code Review", which is not in the JIRA→Impact map',
      'ignored: close from JIRA status "", which is not in the JIRA→Impact map',
    ]);
  });

  it('closes an incident whose closing rules pass', async () => {
    await postJiraUpdate(emulator, issueUpdated('INC-8', [statusItem('Reporter validation', 'Closed')]));
    expect(await statusOf(108)).toBe('Closed');
  });

  it('refuses a close the closing rules forbid, leaving the incident unchanged', async () => {
    const before = emulator.incident(103);
    await postJiraUpdate(emulator, issueUpdated('INC-3', [statusItem('Reporter validation', 'Closed')]));
    await postJiraUpdate(emulator, issueUpdated('INC-5', [statusItem('Incoming', 'Closed')]));
    await postJiraUpdate(emulator, issueUpdated('INC-4', [statusItem('in progress', 'Closed')]));
    expect(emulator.webhooks.map((webhook) => webhook.effects)).toEqual([
      ['ignored: cannot be closed (STATUS_NOT_POST_MORTEM, POSTMORTEM_NOT_READY)'],
      ['ignored: cannot be closed (STATUS_NOT_MITIGATED)'],
      ['ignored: cannot be closed (STATUS_NOT_MITIGATED, MISSING_REQUIRED_KEY_EVENTS)'],
    ]);
    expect(emulator.incident(103)).toEqual(before);
    expect(await statusOf(103)).toBe('Mitigated');
  });

  it('lets a P2 in PRD close once it is in Post-mortem with a Ready post-mortem and its key events', async () => {
    emulator.update(107, { status: 'Mitigated' });
    emulator.update(107, { status: 'Post-mortem' });
    await postJiraUpdate(emulator, issueUpdated('INC-7', [statusItem('Reporter validation', 'Closed')]));
    expect(await statusOf(107)).toBe('Closed');
  });

  it("ignores every item authored by FireFighter's own JIRA account", async () => {
    await postJiraUpdate(
      emulator,
      issueUpdated('INC-5', [statusItem('Incoming', 'in progress'), { field: 'Priority', fieldId: 'customfield_11064', fromString: '4', toString: '1' }], FF_ACCOUNT_ID),
    );
    expect(emulator.incident(105)).toMatchObject({ status: 'Open', priority: 4 });
    expect(emulator.webhooks[0]!.effects).toEqual([
      "ignored: authored by FireFighter's own JIRA account",
      "ignored: authored by FireFighter's own JIRA account",
    ]);
  });
});

describe("status items through the seed document's map", () => {
  beforeEach(async () => {
    emulator = await startFixtureEmulator({ jiraMap: 'seed' });
  });

  it('maps the seed names, with JIRA "Closed" meaning Post-mortem', async () => {
    await postJiraUpdate(emulator, issueUpdated('INC-11', [statusItem('To Do', 'Blocked')]));
    expect(await statusOf(111)).toBe('Mitigating');
    await postJiraUpdate(emulator, issueUpdated('INC-11', [statusItem('Blocked', 'Done')]));
    expect(await statusOf(111)).toBe('Mitigated');
    await postJiraUpdate(emulator, issueUpdated('INC-11', [statusItem('Done', 'Closed')]));
    expect(await statusOf(111)).toBe('Post-mortem');
  });

  it('does not know FireFighter-workflow names', async () => {
    await postJiraUpdate(emulator, issueUpdated('INC-11', [statusItem('Open', 'in progress'), statusItem('Open', 'Reporter validation')]));
    expect(await statusOf(111)).toBe('Open');
  });
});

describe('priority items', () => {
  beforeEach(async () => {
    emulator = await startFixtureEmulator();
  });

  it('come only from customfield_11064, by fieldId, else by field name', async () => {
    await postJiraUpdate(emulator, issueUpdated('INC-9', [{ field: 'Priority', fieldId: 'customfield_11064', fromString: '4', toString: '2' }]));
    expect(await priorityOf(109)).toBe(2);
    await postJiraUpdate(emulator, issueUpdated('INC-9', [{ field: 'customfield_11064', fromString: '2', toString: '3' }]));
    expect(await priorityOf(109)).toBe(3);
  });

  it('ignore the standard priority field and other fields set to a digit', async () => {
    await postJiraUpdate(
      emulator,
      issueUpdated('INC-9', [
        { field: 'priority', fieldId: 'priority', fromString: 'Low', toString: 'Highest' },
        { field: 'customfield_11064', fieldId: 'customfield_10008', fromString: '4', toString: '1' },
      ]),
    );
    expect(await priorityOf(109)).toBe(4);
    expect(emulator.webhooks[0]!.effects).toEqual(['ignored: field "priority" is not synced', 'ignored: field "customfield_11064" is not synced']);
  });

  it('accept legacy JIRA names and skip values outside 1..5', async () => {
    const item = (toString: string) => ({ field: 'Priority', fieldId: 'customfield_11064', fromString: null, toString });
    await postJiraUpdate(emulator, issueUpdated('INC-9', [item('Highest'), item('7'), item('-')]));
    expect(await priorityOf(109)).toBe(1);
    expect(emulator.webhooks[0]!.effects).toEqual([
      'applied',
      'ignored: JIRA priority "7" is not recognised',
      'ignored: JIRA priority "-" is not recognised',
    ]);
  });
});

describe('state seen from tests', () => {
  it('update() simulates a human edit that the API then shows, last in unordered lists', async () => {
    emulator = await startFixtureEmulator();
    emulator.update(101, { title: 'Checkout API 500s', commanderEmail: 'dave@acme.test', priority: 2 });
    const { body } = await getJson(emulator, `${API}/incidents/`);
    const incidents = body as Array<{ id: number; title: string; priority: { value: number }; roles: { commander: { email: string } } }>;
    expect(incidents.at(-1)).toMatchObject({ id: 101, title: 'Checkout API 500s', priority: { value: 2 }, roles: { commander: { email: 'dave@acme.test' } } });
    expect(() => emulator.update(101, { commanderEmail: 'nobody@acme.test' })).toThrow(/no user/);
  });

  it('records the raw body and parsed payload of each accepted webhook', async () => {
    emulator = await startFixtureEmulator({ webhookSecret: WEBHOOK_SECRET });
    const payload = issueUpdated('INC-5', [statusItem('Incoming', 'in progress')]);
    await postJiraUpdate(emulator, payload);
    expect(emulator.webhooks).toEqual([
      { rawBody: JSON.stringify(payload), signature: expect.stringMatching(/^sha256=[0-9a-f]{64}$/), payload, status: 200, incidentId: 105, effects: ['applied'] },
    ]);
  });
});
