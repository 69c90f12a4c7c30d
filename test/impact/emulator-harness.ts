import { createHmac } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { loadImpactSeed, type ParsedImpactSeed } from '../../src/sandbox/impact/seed.js';
import { startImpactEmulator, type ImpactEmulator, type ImpactEmulatorOptions } from '../../src/sandbox/impact/server.js';

export const FIXTURE_PATH = fileURLToPath(new URL('../../fixtures/impact.json', import.meta.url));
export const VIEW_TOKEN = 'tok-view-3f9a1c';
export const NO_VIEW_TOKEN = 'tok-noview-77b2e0';
export const WEBHOOK_SECRET = 'whsec-5d1e8a42c0';
export const FF_ACCOUNT_ID = '557058:ff-service-account';
export const API = '/api/v2/firefighter';

export function fixtureSeed(): Promise<ParsedImpactSeed> {
  return loadImpactSeed(FIXTURE_PATH);
}

/** The fixture's FireFighter with one viewing token, one without the permission, and the webhook secret set. */
export async function startFixtureEmulator(overrides: Partial<ImpactEmulatorOptions> = {}): Promise<ImpactEmulator> {
  return startImpactEmulator({
    seed: await fixtureSeed(),
    tokens: { [VIEW_TOKEN]: { canView: true }, [NO_VIEW_TOKEN]: { canView: false } },
    webhookSecret: WEBHOOK_SECRET,
    jiraMap: 'firefighter',
    selfAccountId: FF_ACCOUNT_ID,
    ...overrides,
  });
}

export async function getJson(emulator: ImpactEmulator, pathAndQuery: string, token: string | null = VIEW_TOKEN): Promise<{ status: number; headers: Headers; body: unknown }> {
  const response = await fetch(`${emulator.url}${pathAndQuery}`, {
    headers: token === null ? {} : { Authorization: `Bearer ${token}` },
    redirect: 'manual',
  });
  const text = await response.text();
  const isJson = (response.headers.get('content-type') ?? '').includes('json');
  return { status: response.status, headers: response.headers, body: isJson ? JSON.parse(text) : text };
}

export function hubSignature(body: string, secret: string = WEBHOOK_SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** POSTs `payload` (or raw text) to raid/jira_update, signed with the fixture secret unless told otherwise. */
export async function postJiraUpdate(
  emulator: ImpactEmulator,
  payload: unknown,
  options: { signature?: string | null; contentType?: string } = {},
): Promise<{ status: number; headers: Headers; text: string }> {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const signature = options.signature === undefined ? hubSignature(body) : options.signature;
  const headers: Record<string, string> = { 'Content-Type': options.contentType ?? 'application/json' };
  if (signature !== null) headers['X-Hub-Signature'] = signature;
  const response = await fetch(`${emulator.url}${API}/raid/jira_update`, { method: 'POST', headers, body });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

export interface ChangeItem {
  field: string;
  fieldId?: string;
  fromString: string | null;
  toString: string | null;
}

/** A `jira:issue_updated` payload as JIRA sends it, by a human account unless `accountId` says otherwise. */
export function issueUpdated(key: string, items: ChangeItem[], accountId = '712020:human-erin'): Record<string, unknown> {
  return {
    timestamp: 1764230400000,
    webhookEvent: 'jira:issue_updated',
    issue_event_type_name: 'issue_generic',
    user: { accountId, displayName: 'Erin Walsh' },
    issue: { id: '10042', key, fields: { summary: 'irrelevant to FireFighter' } },
    changelog: { id: '88001', items },
  };
}

export const statusItem = (fromString: string | null, toString: string | null): ChangeItem => ({ field: 'status', fieldId: 'status', fromString, toString });
