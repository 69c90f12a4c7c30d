import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { TokenGrant } from './auth.js';
import { FaultPlan, type Fault, type FaultKnobs } from './faults.js';
import { answerIncidentRoute, type IncidentRoute } from './incident-routes.js';
import { RenderedIncidents } from './rendered-incidents.js';
import { jiraToImpactStatusMap, type JiraStatusMapName } from './jira-maps.js';
import { answerJiraUpdate, type WebhookRecord } from './jira-update-route.js';
import { loginPageReply } from './login-page.js';
import { djangoNotFoundReply, writeReply, type Reply } from './responses.js';
import { parseImpactSeed, type ImpactSeed } from './seed.js';
import { RealtimeSync, type RealtimeSyncKnobs, type RealtimeSyncOptions } from './realtime-sync.js';
import { SlackAlerts, type SlackKnobs } from './slack-alerts.js';
import { IncidentStore, type EmulatedIncident, type HumanEdit } from './store.js';
import { SyncCache } from './sync-cache.js';

export interface ImpactEmulatorOptions {
  /** Parsed (and validated) on start; `loadImpactSeed('fixtures/impact.json')` or one built by a test. */
  seed: ImpactSeed;
  /** API tokens; `canView: false` is a valid token whose user lacks `incidents.view_incident` (→ 403). */
  tokens: Record<string, TokenGrant>;
  /** RAID_JIRA_WEBHOOK_SECRET; '' = not configured (→ 401). */
  webhookSecret: string;
  /** Which JIRA→Impact status map the webhook applies: the seed document's, or FireFighter's code. */
  jiraMap: JiraStatusMapName;
  /** RAID_DEFAULT_JIRA_QRAFT_USER_ID: changelog items authored by this account are ignored. */
  selfAccountId?: string;
  /** FireFighter's own Impact→JIRA sync; without it incident edits stay in FireFighter. */
  jiraSync?: RealtimeSyncOptions;
  /** JIRA_SYNC_CACHE_TIMEOUT in ms (FireFighter's 60 s by default). */
  syncCacheTtlMs?: number;
  /** Added before every answer. */
  latencyMs?: number;
  port?: number;
}

export interface RequestRecord {
  method: string;
  path: string;
  /** Every query parameter with all its values, decoded. */
  query: Record<string, string[]>;
  /** null when the connection was reset instead of answered. */
  status: number | null;
}

export interface ImpactEmulator {
  /** Base URL, e.g. `http://127.0.0.1:51234`; FireFighter's BASE_URL too. */
  url: string;
  close(): Promise<void>;
  requests: RequestRecord[];
  webhooks: WebhookRecord[];
  faults: FaultKnobs;
  /** The watchers' "modified issue" DMs, and a knob to make them fail. */
  slack: SlackKnobs;
  /** FireFighter's pushes to JIRA (none unless `jiraSync` is set). */
  jiraSync: RealtimeSyncKnobs;
  /** The loop-prevention keys FireFighter holds now. */
  syncCacheKeys(): string[];
  /** A copy of the incident's current state. */
  incident(id: number): EmulatedIncident | undefined;
  /** Simulates a person editing the incident in FireFighter. */
  update(id: number, patch: HumanEdit): void;
}

const API = '/api/v2/firefighter';

export async function startImpactEmulator(options: ImpactEmulatorOptions): Promise<ImpactEmulator> {
  const store = new IncidentStore(parseImpactSeed(options.seed));
  const rendered = new RenderedIncidents(store);
  const faults = new FaultPlan();
  const requests: RequestRecord[] = [];
  const webhooks: WebhookRecord[] = [];
  const statusMap = jiraToImpactStatusMap(options.jiraMap);
  const cache = new SyncCache(options.syncCacheTtlMs);
  const slack = new SlackAlerts();
  const jiraSync = options.jiraSync ? new RealtimeSync(options.jiraSync, cache) : undefined;
  if (jiraSync) store.onUpdate = (incident, update) => jiraSync.updated(incident, update);
  let baseUrl = '';

  const answer = (request: IncomingMessage, url: URL, rawBody: Buffer): Reply => {
    const method = (request.method ?? 'GET').toUpperCase();
    const route = routeOf(url.pathname);
    if (route === 'webhook') {
      const { reply, record } = answerJiraUpdate(
        {
          method,
          signature: request.headers['x-hub-signature'] as string | undefined,
          contentType: request.headers['content-type'],
          accept: request.headers.accept,
          rawBody,
        },
        { store, statusMap, selfAccountId: options.selfAccountId ?? '', webhookSecret: options.webhookSecret, cache, slack },
      );
      if (record) webhooks.push(record);
      return reply;
    }
    if (route) {
      return answerIncidentRoute(
        route,
        { method, query: url.searchParams, authorization: request.headers.authorization, accept: request.headers.accept },
        { store, rendered, tokens: options.tokens, baseUrl },
      );
    }
    // Django's APPEND_SLASH: a path that only matches with a trailing slash is redirected there.
    if (!url.pathname.endsWith('/') && routeOf(`${url.pathname}/`)) {
      return { status: 301, headers: { Location: `${url.pathname}/${url.search}`, 'Content-Type': 'text/html; charset=utf-8' }, body: '' };
    }
    return djangoNotFoundReply();
  };

  const server = createServer((request, response) => {
    void handle(request, response);
  });

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const rawBody = await readBody(request);
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = (request.method ?? 'GET').toUpperCase();
    const record: RequestRecord = { method, path: url.pathname, query: queryRecord(url.searchParams), status: null };
    requests.push(record);
    if (options.latencyMs) await delay(options.latencyMs);
    const fault = faults.take({ method, path: url.pathname });
    if (fault?.kind === 'reset') {
      request.socket.resetAndDestroy();
      return;
    }
    const reply = fault && fault.kind !== 'stall' ? faultReply(fault) : answerSafely(() => answer(request, url, rawBody));
    record.status = reply.status;
    if (fault?.kind === 'stall') await delay(fault.ms);
    writeReply(response, reply);
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;

  return {
    url: baseUrl,
    requests,
    webhooks,
    faults,
    slack,
    jiraSync: jiraSync ?? { pushes: [], settled: () => Promise.resolve() },
    syncCacheKeys: () => cache.keys(),
    incident: (id) => {
      const incident = store.find(id);
      return incident === undefined ? undefined : structuredClone(incident);
    },
    update: (id, patch) => store.applyHumanEdit(id, patch),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

type Route = IncidentRoute | 'webhook';

function routeOf(path: string): Route | undefined {
  if (path === `${API}/incidents/`) return { kind: 'list' };
  if (path === `${API}/incidents`) return { kind: 'create' };
  if (path === `${API}/raid/jira_update`) return 'webhook';
  // DRF's router lookup pattern for the pk is [^/.]+.
  const detail = new RegExp(`^${API}/incidents/([^/.]+)/$`).exec(path);
  return detail?.[1] === undefined ? undefined : { kind: 'detail', id: decodeURIComponent(detail[1]) };
}

function faultReply(fault: Exclude<Fault, { kind: 'reset' } | { kind: 'stall' }>): Reply {
  if (fault.kind === 'html-login') return loginPageReply();
  const { status, headers = {}, body } = fault.response;
  if (body === undefined) return { status, headers, body: '' };
  if (typeof body === 'string') return { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...headers }, body };
  return { status, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** An emulator bug still answers like Django would: a 500, not a hung socket. */
function answerSafely(answer: () => Reply): Reply {
  try {
    return answer();
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { status: 500, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: `emulator error: ${detail}` };
  }
}

function queryRecord(params: URLSearchParams): Record<string, string[]> {
  const query: Record<string, string[]> = {};
  for (const [name, value] of params) (query[name] ??= []).push(value);
  return query;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
