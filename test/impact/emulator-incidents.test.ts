import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImpactEmulator } from '../../src/sandbox/impact/server.js';
import { API, getJson, NO_VIEW_TOKEN, startFixtureEmulator } from './emulator-harness.js';

type Json = Record<string, any>;

let emulator: ImpactEmulator;
beforeAll(async () => {
  emulator = await startFixtureEmulator();
});
afterAll(() => emulator.close());

const ids = (body: unknown): number[] => (body as Json[]).map((incident) => incident.id as number);
const list = async (query = ''): Promise<Json[]> => {
  const { status, body } = await getJson(emulator, `${API}/incidents/${query}`);
  expect(status).toBe(200);
  return body as Json[];
};

describe('GET /incidents/ and /incidents/{id}/: IncidentSerializer JSON', () => {
  it('answers a bare, unpaginated array of every incident', async () => {
    const { status, headers, body } = await getJson(emulator, `${API}/incidents/`);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('application/json');
    expect(Array.isArray(body)).toBe(true);
    expect(ids(body).sort((a, b) => a - b)).toEqual([101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112]);
  });

  it('prints the keys of §1.5 in Meta.fields order, without tags on list', async () => {
    const incident = (await list('?id=101'))[0]!;
    expect(Object.keys(incident)).toEqual([
      'id', 'title', 'status', 'description', 'created_at', 'environment', 'incident_category', 'priority',
      'slack_channel_name', 'status_page_url', 'postmortem_url', 'jira_ticket_key', 'jira_ticket_url',
      'created_by', 'costs', 'metrics', 'roles', 'ignore',
    ]);
    expect(Object.keys(incident.environment)).toEqual(['id', 'value', 'name', 'description', 'order', 'default']);
    expect(Object.keys(incident.incident_category)).toEqual([
      'id', 'name', 'description', 'order', 'group', 'private', 'deploy_warning', 'created_at', 'updated_at',
    ]);
    expect(Object.keys(incident.incident_category.group)).toEqual(['id', 'name', 'description', 'order', 'created_at', 'updated_at']);
    expect(Object.keys(incident.priority)).toEqual([
      'id', 'name', 'value', 'emoji', 'description', 'order', 'default', 'needs_postmortem', 'enabled_create',
      'enabled_update', 'reminder_time', 'sla', 'recommended_response_type', 'created_at', 'updated_at',
    ]);
  });

  it('renders incident 101 with label status, priority object, roles by slug, costs and metrics as objects', async () => {
    const incident = (await list('?id=101'))[0]!;
    expect(incident).toMatchObject({
      id: 101,
      title: 'Checkout API returns 500 on PRD',
      status: 'Mitigating',
      created_at: '2026-10-12T09:12:44.318204+02:00',
      environment: { value: 'PRD', name: 'Prod' },
      incident_category: { name: 'Payment', group: { name: 'Payment Operations' } },
      priority: { name: 'P1', value: 1, emoji: '🌪️', needs_postmortem: true, reminder_time: '01:00:00' },
      slack_channel_name: '#inc-20261012-101',
      status_page_url: `${emulator.url}/incident/101/`,
      postmortem_url: null,
      jira_ticket_key: 'INC-1',
      jira_ticket_url: 'https://acme.atlassian.net/browse/INC-1',
      created_by: { name: 'Bob Chen', email: 'bob@acme.test' },
      costs: { 'Revenue loss': { amount: '18250.00', details: 'Orders lost between 09:05 and 10:40' } },
      metrics: { time_to_detect: { duration: '00:04:00', duration_seconds: 240, metric_type: 'Time To Detect' } },
      ignore: false,
    });
    expect(Object.keys(incident.roles)).toEqual(['commander', 'communication_lead']);
    expect(incident.roles.commander).toEqual({ id: expect.any(String), name: 'Alice Martin', email: 'alice@acme.test' });
    expect(incident).not.toHaveProperty('commander');
  });

  it('lists an incident as it is after a change, not as an earlier list rendered it', async () => {
    const own = await startFixtureEmulator();
    try {
      const listed = async (): Promise<Json> => ((await getJson(own, `${API}/incidents/`)).body as Json[]).find((incident) => incident.id === 103)!;
      const priority = (await listed()).priority.value === 1 ? 2 : 1;
      own.update(103, { priority, title: 'Renamed after the first list' });
      expect(await listed()).toMatchObject({ title: 'Renamed after the first list', priority: { value: priority } });
    } finally {
      await own.close();
    }
  });

  it('has no commander key when nobody holds the role, and null ticket fields without a JIRA ticket', async () => {
    const [withoutCommander] = await list('?id=106');
    expect(withoutCommander!.roles).toEqual({});
    const [withoutTicket] = await list('?id=112');
    expect(withoutTicket).toMatchObject({ jira_ticket_key: null, jira_ticket_url: null });
  });

  it('adds tags to the list only with show_tags=true, and always on retrieve', async () => {
    expect((await list('?id=101&show_tags=true'))[0]!.tags).toEqual(['checkout', 'payment']);
    expect((await list('?id=101&show_tags=True'))[0]).not.toHaveProperty('tags');
    const { status, body } = await getJson(emulator, `${API}/incidents/101/`);
    expect(status).toBe(200);
    expect((body as Json).tags).toEqual(['checkout', 'payment']);
    expect(Object.keys(body as Json)).toContain('roles');
  });

  it('answers a DRF-standardized 404 for an unknown or non-numeric id', async () => {
    for (const id of ['999', 'abc']) {
      const { status, body } = await getJson(emulator, `${API}/incidents/${id}/`);
      expect(status).toBe(404);
      expect(body).toEqual({ type: 'client_error', errors: [{ code: 'not_found', detail: 'Not found.', attr: null }] });
    }
  });

  it('applies the list filters to retrieve too', async () => {
    expect((await getJson(emulator, `${API}/incidents/101/?status=10`)).status).toBe(404);
    expect((await getJson(emulator, `${API}/incidents/101/?status=30`)).status).toBe(200);
  });
});

describe('routing as Django resolves it', () => {
  it('redirects a detail path without its trailing slash (APPEND_SLASH)', async () => {
    const { status, headers } = await getJson(emulator, `${API}/incidents/101?show_tags=true`);
    expect(status).toBe(301);
    expect(headers.get('location')).toBe(`${API}/incidents/101/?show_tags=true`);
  });

  it('answers 405 for GET on the POST-only /incidents', async () => {
    const { status, body } = await getJson(emulator, `${API}/incidents`);
    expect(status).toBe(405);
    expect((body as Json).errors[0].code).toBe('method_not_allowed');
  });

  it("answers Django's HTML 404 for paths no pattern matches", async () => {
    const { status, headers } = await getJson(emulator, `${API}/raid/jira_update/`);
    expect(status).toBe(404);
    expect(headers.get('content-type')).toContain('text/html');
  });
});

describe('IncidentFilterSet', () => {
  it('filters by id (iexact), id ranges and id__in', async () => {
    expect(ids(await list('?id=105'))).toEqual([105]);
    expect(ids(await list('?id__gte=110&order_by=id'))).toEqual([110, 111, 112]);
    expect(ids(await list('?id__gt=110&id__lte=112&order_by=id'))).toEqual([111, 112]);
    expect(ids(await list('?id__lt=103&order_by=-id'))).toEqual([102, 101]);
    expect(ids(await list('?id__in=104,101,999&order_by=id'))).toEqual([101, 104]);
  });

  it('takes status as repeated integer values, and _status ranges', async () => {
    expect(ids(await list('?status=10&status=50&order_by=id'))).toEqual([105, 108, 111]);
    expect(ids(await list('?_status__gte=40&order_by=id'))).toEqual([103, 108]);
    expect(ids(await list('?_status__lt=20&order_by=id'))).toEqual([105, 111]);
  });

  it('rejects a status label or a comma list with a validation error', async () => {
    for (const value of ['Open', '10,20', '99']) {
      const { status, body } = await getJson(emulator, `${API}/incidents/?status=${encodeURIComponent(value)}`);
      expect(status).toBe(400);
      expect(body).toEqual({
        type: 'validation_error',
        errors: [{ code: 'invalid_choice', detail: `Select a valid choice. ${value} is not one of the available choices.`, attr: 'status' }],
      });
    }
  });

  it('filters created_at by instant, whatever the offset it is written with', async () => {
    // 108 was created 2026-11-06T13:36:19.440027+01:00 = 12:36:19.440027Z.
    expect(ids(await list(`?created_at__gte=${encodeURIComponent('2026-11-06T12:36:19.44Z')}&created_at__lt=2026-11-07&order_by=id`))).toEqual([108]);
    expect(ids(await list(`?created_at__gt=${encodeURIComponent('2026-11-21T15:09:58.044781+01:00')}`))).toEqual([112]);
    // A naive value is read in the server's zone (Europe/Paris): 2026-10-12 09:12:44 local is 101's creation.
    expect(ids(await list('?created_at__lte=2026-10-12T09:12:44.318204'))).toEqual([101]);
  });

  it('rejects an unencoded + offset, which reaches Django as a space', async () => {
    const { status, body } = await getJson(emulator, `${API}/incidents/?created_at__gte=2026-11-01T00:00:00+01:00`);
    expect(status).toBe(400);
    expect((body as Json).errors).toEqual([{ code: 'invalid', detail: 'Enter a valid date/time.', attr: 'created_at__gte' }]);
  });

  it('filters by environment value and orders by every OrderingFilter field', async () => {
    expect(ids(await list('?environment__value=STG&order_by=id'))).toEqual([105, 109, 111]);
    expect(ids(await list('?environment__value=stg'))).toEqual([]);
    const byPriority = await list('?order_by=priority,-id');
    expect(byPriority.map((incident) => incident.priority.value)).toEqual([1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 5]);
    expect(ids(byPriority).slice(1, 4)).toEqual([107, 103, 102]);
    const byTitle = await list('?order_by=-title');
    expect(byTitle[0]!.title).toBe('Warehouse stock sync delayed');
    const byCreator = await list('?order_by=created_by,id');
    expect(byCreator[0]!.created_by.email).toBe('alice@acme.test');
    expect(ids(await list('?order_by=-created_at')).slice(0, 2)).toEqual([112, 111]);
  });

  it('rejects an unknown order_by field', async () => {
    const { status, body } = await getJson(emulator, `${API}/incidents/?order_by=updated_at`);
    expect(status).toBe(400);
    expect((body as Json).errors[0]).toMatchObject({ code: 'invalid_choice', attr: 'order_by' });
  });

  it('ignores parameters it does not declare, and empty values of those it does', async () => {
    expect(await list('?updated_at__gte=2030-01-01&page=2&limit=1&id=')).toHaveLength(12);
  });

  it('reports every invalid filter at once', async () => {
    const { status, body } = await getJson(emulator, `${API}/incidents/?id__gte=x&status=7&order_by=nope`);
    expect(status).toBe(400);
    expect((body as Json).errors.map((error: Json) => error.attr)).toEqual(['id__gte', 'status', 'order_by']);
  });
});

describe('authentication and permissions', () => {
  const paths = [`${API}/incidents/`, `${API}/incidents/101/`];

  it('answers 401 not_authenticated with WWW-Authenticate: Bearer when no credentials are sent', async () => {
    for (const path of paths) {
      const { status, headers, body } = await getJson(emulator, path, null);
      expect(status).toBe(401);
      expect(headers.get('www-authenticate')).toBe('Bearer');
      expect(body).toEqual({
        type: 'client_error',
        errors: [{ code: 'not_authenticated', detail: 'Authentication credentials were not provided.', attr: null }],
      });
    }
  });

  it('does not accept the DRF default "Token" keyword', async () => {
    const response = await fetch(`${emulator.url}${API}/incidents/`, { headers: { Authorization: 'Token tok-view-3f9a1c' } });
    expect(response.status).toBe(401);
    expect(((await response.json()) as Json).errors[0].code).toBe('not_authenticated');
  });

  it('answers 401 authentication_failed for an unknown bearer token', async () => {
    const { status, headers, body } = await getJson(emulator, `${API}/incidents/`, 'not-a-token');
    expect(status).toBe(401);
    expect(headers.get('www-authenticate')).toBe('Bearer');
    expect(body).toEqual({ type: 'client_error', errors: [{ code: 'authentication_failed', detail: 'Invalid token.', attr: null }] });
  });

  it('answers 403 permission_denied to a valid token without incidents.view_incident', async () => {
    for (const path of paths) {
      const { status, body } = await getJson(emulator, path, NO_VIEW_TOKEN);
      expect(status).toBe(403);
      expect((body as Json).errors).toEqual([
        { code: 'permission_denied', detail: 'You do not have permission to perform this action.', attr: null },
      ]);
    }
  });

  it('records every request with its query and status', async () => {
    const before = emulator.requests.length;
    await getJson(emulator, `${API}/incidents/?status=10&status=20`, null);
    expect(emulator.requests.slice(before)).toEqual([
      { method: 'GET', path: `${API}/incidents/`, query: { status: ['10', '20'] }, status: 401 },
    ]);
  });
});
