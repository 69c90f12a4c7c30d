import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { authenticate, type JiraMode } from './auth.js';
import type { EmulatorState, HandlerResult, WriteRecord } from './context.js';
import { JiraHttpError } from './errors.js';
import { FaultQueue, defaultFaultBody, type FaultMatcher, type FaultResponse, type RateLimitWindowOptions } from './faults.js';
import { applyHumanEdit, type HumanEdit } from './human-edit.js';
import { matchRoute } from './router.js';
import { parseJiraSeed, type JiraSeed, type SeedProject } from './seed.js';
import { JiraStore, type EmulatedIssue } from './store.js';
import { WebhookDelivery, type WebhookKnobs } from './webhook-delivery.js';

export type { JiraSeed } from './seed.js';
export type { EmulatedIssue } from './store.js';
export type { WriteRecord } from './context.js';
export type { HumanEdit } from './human-edit.js';
export type { DeliveryRecord, WebhookKnobs, WebhookRegistration } from './webhook-delivery.js';

export interface JiraEmulatorOptions {
  mode: JiraMode;
  seed: JiraSeed;
  /** Added before every response. */
  latencyMs?: number;
  /** Max issues per search page when fields are requested (default 100; the default maxResults is 50). */
  searchPageCap?: number;
  /** Searches see a write only this long after it happened (Cloud's lagging index); GET issue is always fresh. */
  indexLagMs?: number;
  port?: number;
}

export interface RequestRecord {
  method: string;
  path: string;
  /** Query parameters; repeated ones are comma-joined. */
  query: Record<string, string>;
  /** null when a fault reset the connection. */
  status: number | null;
  at: number;
}

export interface JiraEmulator {
  url: string;
  close(): Promise<void>;
  requests: RequestRecord[];
  /** Successful API writes; `editAsUser` changes are not API writes and are not listed. */
  writes: WriteRecord[];
  faults: {
    next(count: number, response: FaultResponse): void;
    resetConnection(count: number, matcher?: FaultMatcher): void;
    stall(count: number, ms: number, matcher?: FaultMatcher): void;
    /** 429 with Retry-After to every matching request until `seconds` after the first one. */
    rateLimitWindow(seconds: number, options?: RateLimitWindowOptions): void;
    /** Writes answered `200 text/html` (an SSO sign-in page) without being applied. */
    loginPage(count: number, matcher?: FaultMatcher): void;
    /** Answers whose body comes one byte every `msPerByte`. */
    trickle(count: number, msPerByte: number, matcher?: FaultMatcher): void;
    clear(): void;
    /** Faults queued and not yet met by a request. */
    pending(): number;
  };
  /** The `jira:issue_updated` webhook: silent until a receiver is registered. */
  webhooks: WebhookKnobs;
  issue(key: string): EmulatedIssue | undefined;
  editAsUser(key: string, user: string, fields: HumanEdit): void;
  /** A project's live workflow, for a test to change as an administrator publishing a new version would. */
  workflow(projectKey: string): SeedProject['workflow'];
  /** Sets JIRA's clock `ms` off the machine's (negative: behind), as its `updated` values and `Date` headers show it. */
  setClockOffset(ms: number): void;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJsonBody(raw: string): unknown {
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch (error) {
    throw new JiraHttpError(400, [`Unexpected character in the JSON request body: ${(error as Error).message}`]);
  }
}

function send(response: ServerResponse, result: HandlerResult, now: number, msPerByte?: number): void {
  // JIRA's own clock, not the machine's (Node would send that).
  const headers: Record<string, string> = { Date: new Date(now).toUTCString(), ...result.headers };
  if (result.body === undefined || result.status === 204) {
    response.writeHead(result.status, headers).end();
    return;
  }
  const text = typeof result.body === 'string' ? result.body : JSON.stringify(result.body);
  headers['Content-Type'] ??= typeof result.body === 'string' ? 'text/plain;charset=UTF-8' : 'application/json;charset=UTF-8';
  if (msPerByte === undefined) {
    response.writeHead(result.status, headers).end(text);
    return;
  }
  response.writeHead(result.status, headers);
  const bytes = Buffer.from(text);
  let sent = 0;
  const drip = setInterval(() => {
    // The client gave up (its deadline): stop dripping into a closed socket.
    if (response.destroyed || sent >= bytes.length) {
      clearInterval(drip);
      if (!response.destroyed) response.end();
      return;
    }
    response.write(bytes.subarray(sent, ++sent));
  }, msPerByte);
}

function errorResult(error: unknown): HandlerResult {
  if (error instanceof JiraHttpError) return { status: error.status, body: error.body(), headers: error.headers };
  return { status: 500, body: { errorMessages: [`Internal server error: ${(error as Error).message}`], errors: {} } };
}

export async function startJiraEmulator(options: JiraEmulatorOptions): Promise<JiraEmulator> {
  let clockOffsetMs = 0;
  const state: EmulatorState = {
    mode: options.mode,
    store: new JiraStore(parseJiraSeed(options.seed)),
    searchPageCap: options.searchPageCap ?? 100,
    indexLagMs: options.indexLagMs ?? 0,
    writes: [],
    now: () => Date.now() + clockOffsetMs,
  };
  const requests: RequestRecord[] = [];
  const faults = new FaultQueue();
  let baseUrl = '';
  const webhooks = new WebhookDelivery(state.store, state.mode, () => baseUrl);
  state.store.onChange = (issue, history) => webhooks.changed(issue, history);

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = (request.method ?? 'GET').toUpperCase();
    const url = new URL(request.url ?? '/', baseUrl);
    const record: RequestRecord = {
      method,
      path: url.pathname,
      query: Object.fromEntries([...new Set(url.searchParams.keys())].map((name) => [name, url.searchParams.getAll(name).join(',')])),
      status: null,
      at: Date.now(),
    };
    requests.push(record);
    const rawBody = await readBody(request);
    if (options.latencyMs) await sleep(options.latencyMs);
    const fault = faults.take(method, url.pathname);
    if (fault?.kind === 'reset') {
      request.socket.destroy();
      return;
    }
    let result: HandlerResult;
    if (fault?.kind === 'respond') {
      result = { status: fault.response.status, headers: fault.response.headers, body: fault.response.body ?? defaultFaultBody(fault.response.status) };
    } else {
      try {
        const match = matchRoute(state.mode, method, url.pathname);
        const caller = authenticate(state.mode, state.store.users, request.headers.authorization);
        const context = {
          method,
          apiVersion: match.apiVersion,
          params: match.params,
          query: url.searchParams,
          body: parseJsonBody(rawBody),
          caller,
          now: state.now(),
          baseUrl,
        };
        result = match.handler(context, state);
      } catch (error) {
        result = errorResult(error);
      }
    }
    record.status = result.status;
    if (fault?.kind === 'stall') await sleep(fault.ms);
    send(response, result, state.now(), fault?.kind === 'trickle' ? fault.msPerByte : undefined);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, errorResult(error), state.now());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    requests,
    writes: state.writes,
    faults: {
      next: (count, response) => faults.next(count, response),
      resetConnection: (count, matcher) => faults.resetConnection(count, matcher),
      stall: (count, ms, matcher) => faults.stall(count, ms, matcher),
      rateLimitWindow: (seconds, windowOptions) => faults.rateLimitWindow(seconds, windowOptions),
      loginPage: (count, matcher) => faults.loginPage(count, matcher),
      trickle: (count, msPerByte, matcher) => faults.trickle(count, msPerByte, matcher),
      pending: () => faults.pending(),
      clear: () => faults.clear(),
    },
    webhooks,
    issue: (key) => state.store.issue(key),
    editAsUser: (key, user, edit) => applyHumanEdit(state, key, user, edit),
    workflow: (projectKey) => state.store.requireProject(projectKey).workflow,
    setClockOffset: (ms) => {
      clockOffsetMs = ms;
    },
    // Idempotent, so a test's cleanup can close an emulator whatever happened before.
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (!server.listening) return resolve();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
