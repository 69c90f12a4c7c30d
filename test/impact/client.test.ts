import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ImpactClient } from '../../src/impact/client.js';
import type { JiraUpdate } from '../../src/impact/webhook.js';
import { InvalidRecordError, MalformedResponseError, RetryWaitTooLongError, ServiceError } from '../../src/net/errors.js';
import { configureRetries, mayHaveBeenApplied } from '../../src/net/retry.js';
import { UnexpectedAnswerError } from '../../src/net/unexpected-answer.js';
import type { ImpactEmulator } from '../../src/sandbox/impact/server.js';
import { API, hubSignature, NO_VIEW_TOKEN, startFixtureEmulator, VIEW_TOKEN, WEBHOOK_SECRET } from './emulator-harness.js';

let emulator: ImpactEmulator;
let client: ImpactClient;

beforeAll(() => {
  // Keep retries fast; the policy itself is the retry module's to test.
  configureRetries({ baseDelayMs: 1, maxDelayMs: 5 });
});
afterAll(() => configureRetries({}));
beforeEach(async () => {
  emulator = await startFixtureEmulator();
  client = new ImpactClient({ url: `${emulator.url}/`, token: VIEW_TOKEN, webhookSecret: WEBHOOK_SECRET, timeoutMs: 2_000 });
});
afterEach(() => emulator.close());

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

const listPath = `${API}/incidents/`;

async function servedList(): Promise<Array<Record<string, any>>> {
  const response = await fetch(`${emulator.url}${listPath}?order_by=id`, { headers: { Authorization: `Bearer ${VIEW_TOKEN}` } });
  return (await response.json()) as Array<Record<string, any>>;
}

describe('ImpactClient.listIncidentRecords (each record on its own)', () => {
  it('keeps the valid incidents and names the field and value of each invalid one', async () => {
    const records = await servedList();
    records[3]!.priority.value = 'P4';
    records[5]!.status = 'Resolved';
    records[7]!.id = 'x';
    emulator.faults.next(1, { status: 200, body: records });
    const { incidents, invalid } = await client.listIncidentRecords();
    expect(incidents.map((incident) => incident.id)).toEqual([101, 102, 103, 105, 107, 109, 110, 111, 112]);
    expect(invalid.map(({ id, jiraTicketKey, error }) => ({ id, jiraTicketKey, field: error.field, value: error.value, category: error.category }))).toEqual([
      { id: 104, jiraTicketKey: records[3]!.jira_ticket_key, field: 'priority.value', value: '"P4"', category: 'validation' },
      { id: 106, jiraTicketKey: records[5]!.jira_ticket_key, field: 'status', value: '"Resolved"', category: 'validation' },
      { id: null, jiraTicketKey: records[7]!.jira_ticket_key, field: 'id', value: '"x"', category: 'validation' },
    ]);
    expect(invalid[0]!.error).toBeInstanceOf(InvalidRecordError);
    expect(invalid[0]!.error.message).toBe('FireFighter sent an invalid incident 104: priority.value expected number, received string, got "P4"');
    expect(invalid[2]!.error.message).toMatch(/^FireFighter sent an invalid incident \(list element \[7\]\): id /);
  });

  it('reads a commander with an empty email as a commander without email, not as no commander', async () => {
    const records = await servedList();
    records[0]!.roles.commander.email = '';
    emulator.faults.next(1, { status: 200, body: records });
    const { incidents, invalid } = await client.listIncidentRecords();
    expect(invalid).toEqual([]);
    expect(incidents[0]!.commanderEmail).toBe('');
    expect(incidents.find((incident) => incident.id === 106)!.commanderEmail).toBeNull();
  });

  it('hands back what the caller knew of an element byte for byte the same, and checks the others, each with its digest', async () => {
    const first = await client.listIncidentRecords({}, Promise.resolve(new Map<string, string>()));
    expect(first.recognised).toEqual([]);
    const digests = [...first.digests];
    expect(digests.map(([id]) => id)).toEqual(first.incidents.map((incident) => incident.id));
    emulator.update(103, { title: 'Checkout latency (payments)' });
    const known = new Map(digests.map(([id, digest]) => [digest, `known ${id}`]));
    const second = await client.listIncidentRecords({}, Promise.resolve(known));
    expect(second.incidents.map((incident) => incident.id)).toEqual([103]);
    expect(second.incidents[0]?.title).toBe('Checkout latency (payments)');
    expect(second.recognised).toEqual(digests.filter(([id]) => id !== 103).map(([id]) => `known ${id}`));
    expect(second.digests.get(103)).not.toBe(first.digests.get(103));
    // Without what the caller knows, nothing is recognised and no digest is taken.
    const plain = await client.listIncidentRecords();
    expect(plain.recognised).toEqual([]);
    expect(plain.digests.size).toBe(0);
  });

  it('lets the list go when the caller stops before it is read', async () => {
    const stopped = client.listIncidentRecords({}, Promise.reject(new Error('the run stopped')));
    expect((await failure(stopped)).message).toBe('the run stopped');
  });

  it('still stops at a body that is not an incident list: a login page, a truncated array', async () => {
    emulator.faults.html(1);
    expect(await failure(client.listIncidentRecords())).toBeInstanceOf(MalformedResponseError);
    const text = JSON.stringify(await servedList());
    emulator.faults.next(1, { status: 200, headers: { 'Content-Type': 'application/json' }, body: text.slice(0, text.length - 40) });
    const truncated = await failure(client.listIncidentRecords());
    expect(truncated).toBeInstanceOf(MalformedResponseError);
    expect(truncated.message).toMatch(/truncated|not valid JSON/);
  });
});

describe('ImpactClient.listIncidents', () => {
  it('parses every incident into the domain type', async () => {
    const incidents = await client.listIncidents();
    expect(incidents.map((incident) => incident.id)).toEqual([101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112]);
    expect(incidents[0]).toEqual({
      id: 101,
      title: 'Checkout API returns 500 on PRD',
      description: 'Checkout API answers HTTP 500 for about a third of orders since the 09:05 deploy. Card payments fail while PayPal orders still go through.',
      status: 'Mitigating',
      priority: 1,
      commanderEmail: 'alice@acme.test',
      jiraTicketKey: 'INC-1',
      createdAt: '2026-10-12T09:12:44.318204+02:00',
      environment: 'PRD',
      category: 'Payment',
      statusPageUrl: `${emulator.url}/incident/101/`,
      ignore: false,
    });
    expect(incidents.find((incident) => incident.id === 106)!.commanderEmail).toBeNull();
    expect(incidents.find((incident) => incident.id === 111)!.description).toBe('Indexer falls behind during peak.\nSee dashboards.');
  });

  it('lower-cases the commander email', async () => {
    const response = await fetch(`${emulator.url}${listPath}?id=104`, { headers: { Authorization: `Bearer ${VIEW_TOKEN}` } });
    const records = (await response.json()) as Array<Record<string, any>>;
    records[0]!.roles.commander.email = 'Bob@ACME.test';
    emulator.faults.next(1, { status: 200, body: records });
    const [incident] = await client.listIncidents({ idIn: [104] });
    expect(incident!.commanderEmail).toBe('bob@acme.test');
  });

  it('sends its filters the way IncidentFilterSet takes them', async () => {
    const incidents = await client.listIncidents({
      idIn: [101, 105, 108, 111],
      statusCodes: [10, 50],
      createdAfter: '2026-10-27T10:15:31.275490+01:00',
      idGte: 100,
      idLte: 110,
    });
    expect(incidents.map((incident) => incident.id)).toEqual([105, 108]);
    expect(emulator.requests.at(-1)).toEqual({
      method: 'GET',
      path: listPath,
      query: {
        order_by: ['id'],
        id__in: ['101,105,108,111'],
        status: ['10', '50'],
        created_at__gte: ['2026-10-27T10:15:31.275490+01:00'],
        id__gte: ['100'],
        id__lte: ['110'],
      },
      status: 200,
    });
  });

  it('answers an empty id or status list with no incidents, without asking FireFighter for all of them', async () => {
    expect(await client.listIncidents({ idIn: [] })).toEqual([]);
    expect(await client.listIncidents({ statusCodes: [] })).toEqual([]);
    expect(emulator.requests).toEqual([]);
  });
});

describe('ImpactClient.getIncident', () => {
  it('reads one incident', async () => {
    const incident = await client.getIncident(112);
    expect(incident).toMatchObject({ id: 112, status: 'Investigating', priority: 3, jiraTicketKey: null, environment: 'PRD' });
  });

  it('turns a 404 into a ServiceError naming the endpoint', async () => {
    const error = await failure(client.getIncident(999));
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({ status: 404, endpoint: `GET ${API}/incidents/999/`, category: 'not_found' });
    expect(error.message).toBe(`FireFighter returned 404 for GET ${API}/incidents/999/: not_found: Not found.`);
  });
});

describe('failures', () => {
  it('reports a refused token as an auth ServiceError that never shows the token', async () => {
    const badToken = 'tok-revoked-0c1d2e';
    const refused = new ImpactClient({ url: emulator.url, token: badToken, webhookSecret: WEBHOOK_SECRET });
    const error = await failure(refused.listIncidents());
    expect(error).toMatchObject({ status: 401, category: 'auth', endpoint: `GET ${listPath}` });
    expect(error.message).toContain('authentication_failed: Invalid token.');
    expect(`${error.message} ${String(error.stack)} ${JSON.stringify(error)}`).not.toContain(badToken);

    const forbidden = new ImpactClient({ url: emulator.url, token: NO_VIEW_TOKEN, webhookSecret: WEBHOOK_SECRET });
    expect(await failure(forbidden.listIncidents())).toMatchObject({ status: 403, category: 'auth' });
  });

  it('never prints the token or the secret, even when the server echoes them', async () => {
    emulator.faults.next(1, {
      status: 400,
      body: { type: 'client_error', errors: [{ code: 'invalid', detail: `bad header Bearer ${VIEW_TOKEN} / ${WEBHOOK_SECRET}`, attr: null }] },
      headers: { 'Content-Type': 'application/json' },
    });
    const error = await failure(client.listIncidents());
    expect(error.message).toContain('***');
    expect(error.message).not.toContain(VIEW_TOKEN);
    expect(error.message).not.toContain(WEBHOOK_SECRET);
    expect(String(error.stack)).not.toContain(VIEW_TOKEN);
    expect(JSON.stringify(client)).not.toContain(VIEW_TOKEN);
  });

  it('says it expected JSON when an SSO proxy answers its HTML login page', async () => {
    emulator.faults.html(1);
    const error = await failure(client.listIncidents());
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error.message).toBe(`FireFighter sent a malformed response for GET ${listPath}: (body) expected JSON, got text/html`);
    expect(emulator.requests).toHaveLength(1);
  });

  it('names the endpoint and the field path of a malformed record', async () => {
    const response = await fetch(`${emulator.url}${listPath}?order_by=id`, { headers: { Authorization: `Bearer ${VIEW_TOKEN}` } });
    const records = (await response.json()) as Array<Record<string, any>>;
    records[3]!.priority.value = 'P4';
    emulator.faults.next(1, { status: 200, body: records });
    const error = await failure(client.listIncidents());
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error).toMatchObject({ field: '[3].priority.value', endpoint: `GET ${listPath}` });
    expect(error.message).toBe(`FireFighter sent a malformed response for GET ${listPath}: [3].priority.value expected number, received string`);

    records[3]!.priority.value = 3;
    records[5]!.status = 'Resolved';
    emulator.faults.next(1, { status: 200, body: records });
    expect(await failure(client.listIncidents())).toMatchObject({ field: '[5].status' });
  });

  it('retries a read through a 503 and a reset connection', async () => {
    emulator.faults.next(1, { status: 503, body: 'upstream unavailable' });
    emulator.faults.resetConnection(1);
    const incident = await client.getIncident(101);
    expect(incident.id).toBe(101);
    expect(emulator.requests.map((request) => request.status)).toEqual([503, null, 200]);
  });

  it('fails with rate_limit, naming the wait, on a 429 whose Retry-After is beyond the bound', async () => {
    configureRetries({ baseDelayMs: 1, maxDelayMs: 5, maxRetryWaitMs: 5_000 });
    emulator.faults.next(10, { status: 429, headers: { 'Retry-After': '7' }, body: { type: 'client_error', errors: [{ code: 'throttled', detail: 'Request was throttled.', attr: null }] } });
    try {
      const error = await failure(client.listIncidents());
      expect(error).toBeInstanceOf(RetryWaitTooLongError);
      expect(error).toMatchObject({ status: 429, retryAfterMs: 7_000, category: 'rate_limit' });
      expect(error.message).toContain('FireFighter asked to wait 7 s');
      expect(emulator.requests).toHaveLength(1);
    } finally {
      configureRetries({ baseDelayMs: 1, maxDelayMs: 5 });
    }
  });

  it('follows a read redirected (APPEND_SLASH, a moved host), its token only within the same origin', async () => {
    const seen: Array<{ server: string; path: string; authorization: string | undefined }> = [];
    const elsewhere = createServer((request, response) => {
      seen.push({ server: 'elsewhere', path: request.url ?? '', authorization: request.headers.authorization });
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(servedIncident));
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    const elsewhereUrl = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
    const servedIncident = (await servedList())[0];
    const home = createServer((request, response) => {
      seen.push({ server: 'home', path: request.url ?? '', authorization: request.headers.authorization });
      const next = request.url?.endsWith('/moved/') ? `${elsewhereUrl}/incident/` : '/moved/';
      response.writeHead(301, { Location: next }).end();
    });
    await new Promise<void>((resolve) => home.listen(0, '127.0.0.1', resolve));
    try {
      const redirected = new ImpactClient({ url: `http://127.0.0.1:${(home.address() as AddressInfo).port}`, token: VIEW_TOKEN, webhookSecret: WEBHOOK_SECRET });
      expect((await redirected.getIncident(101)).id).toBe(servedIncident?.id);
      expect(seen).toEqual([
        { server: 'home', path: `${listPath}101/`, authorization: `Bearer ${VIEW_TOKEN}` },
        { server: 'home', path: '/moved/', authorization: `Bearer ${VIEW_TOKEN}` },
        { server: 'elsewhere', path: '/incident/', authorization: undefined },
      ]);
    } finally {
      await new Promise((resolve) => home.close(resolve));
      await new Promise((resolve) => elsewhere.close(resolve));
    }
  });

  it('reports an unreachable FireFighter as a network ServiceError', async () => {
    const port = (await freePort()).port;
    const offline = new ImpactClient({ url: `http://127.0.0.1:${port}`, token: VIEW_TOKEN, webhookSecret: WEBHOOK_SECRET });
    const error = await failure(offline.getIncident(101));
    expect(error).toMatchObject({ status: null, code: 'ECONNREFUSED', category: 'network' });
  });

  it('times out a FireFighter that does not answer', async () => {
    const slow = await startFixtureEmulator({ latencyMs: 400 });
    const impatient = new ImpactClient({ url: slow.url, token: VIEW_TOKEN, webhookSecret: WEBHOOK_SECRET, timeoutMs: 50 });
    try {
      expect(await failure(impatient.getIncident(101))).toMatchObject({ status: null, code: 'ETIMEDOUT', category: 'timeout' });
    } finally {
      await slow.close();
    }
  });
});

describe('ImpactClient.sendJiraUpdate', () => {
  const update: JiraUpdate = {
    issueId: '10042',
    issueKey: 'INC-5',
    actor: { accountId: '712020:raidsync', displayName: 'raidsync' },
    items: [
      { field: 'status', fieldId: 'status', fromString: 'Incoming', toString: 'in progress' },
      { field: 'Priority', fieldId: 'customfield_11064', fromString: '4', toString: '2' },
    ],
  };

  it('posts a payload FireFighter accepts, signed over the exact bytes sent', async () => {
    await client.sendJiraUpdate(update);
    const [webhook] = emulator.webhooks;
    expect(webhook).toMatchObject({ status: 200, incidentId: 105, effects: ['applied', 'applied'] });
    expect(emulator.incident(105)).toMatchObject({ status: 'Mitigating', priority: 2 });
    expect(webhook!.payload).toMatchObject({
      webhookEvent: 'jira:issue_updated',
      issue: { id: '10042', key: 'INC-5' },
      user: { accountId: '712020:raidsync', displayName: 'raidsync' },
    });
  });

  it('signs with the configured secret: a wrong one is refused as auth', async () => {
    const wrong = new ImpactClient({ url: emulator.url, token: VIEW_TOKEN, webhookSecret: 'not-the-secret' });
    const error = await failure(wrong.sendJiraUpdate(update));
    expect(error).toMatchObject({ status: 401, category: 'auth', endpoint: `POST ${API}/raid/jira_update` });
    expect(error.message).not.toContain('not-the-secret');
    expect(emulator.incident(105)!.status).toBe('Open');
  });

  it('does not resend a write after a 503, which may have been applied', async () => {
    emulator.faults.next(1, { status: 503 });
    expect(await failure(client.sendJiraUpdate(update))).toMatchObject({ status: 503 });
    expect(emulator.requests).toHaveLength(1);
  });

  it('treats a 200 HTML login page as a webhook that may not have run: uncertain, to be read back, never resent blindly', async () => {
    emulator.faults.html(1);
    const error = await failure(client.sendJiraUpdate(update));
    expect(error).toBeInstanceOf(UnexpectedAnswerError);
    expect(mayHaveBeenApplied(error)).toBe(true);
    expect(error.message).toBe(
      "FireFighter answered POST /api/v2/firefighter/raid/jira_update with 200 text/html instead of an empty 200, so the write may not have landed (a proxy's sign-in page?)",
    );
    expect(emulator.requests).toHaveLength(1);
  });

  it('returns normally for a change FireFighter silently refuses: callers read back', async () => {
    await client.sendJiraUpdate({ ...update, issueKey: 'INC-3', items: [{ field: 'status', fieldId: 'status', fromString: 'Reporter validation', toString: 'Closed' }] });
    expect((await client.getIncident(103)).status).toBe('Mitigated');
  });

  it('sends the body whose signature it sends', async () => {
    let seen: { body: string; signature: string | undefined } | undefined;
    const spy = await listen((request, body) => {
      seen = { body, signature: request.headers['x-hub-signature'] as string | undefined };
    });
    try {
      const spied = new ImpactClient({ url: spy.url, token: VIEW_TOKEN, webhookSecret: WEBHOOK_SECRET });
      await spied.sendJiraUpdate(update);
      expect(seen!.signature).toBe(hubSignature(seen!.body));
      expect(JSON.parse(seen!.body).changelog.items).toHaveLength(2);
    } finally {
      await spy.close();
    }
  });
});

async function freePort(): Promise<AddressInfo> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return address;
}

/** A bare server answering DRF's empty 200, to see the bytes the client puts on the wire. */
async function listen(onRequest: (request: import('node:http').IncomingMessage, body: string) => void): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    onRequest(request, Buffer.concat(chunks).toString('utf8'));
    response.writeHead(200, { 'Content-Length': '0' }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
