import type { JiraMode } from './auth.js';
import { badRequest } from './errors.js';
import type { SeedUser } from './seed.js';
import type { JiraStore } from './store.js';

/** What a handler knows about one authenticated request. */
export interface RequestContext {
  method: string;
  apiVersion: 2 | 3;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body, or undefined when there was none. */
  body: unknown;
  caller: SeedUser;
  now: number;
  /** http://127.0.0.1:<port>, for `self` links. */
  baseUrl: string;
}

export interface HandlerResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface WriteRecord {
  key: string;
  kind: 'edit' | 'transition' | 'create' | 'comment' | 'remotelink' | 'property';
  body: unknown;
  author: { accountId: string; name: string };
  /** Epoch milliseconds. */
  at: number;
}

export interface EmulatorState {
  mode: JiraMode;
  store: JiraStore;
  searchPageCap: number;
  indexLagMs: number;
  writes: WriteRecord[];
  /** JIRA's clock, epoch ms: the machine's, unless a test set it off (an NTP step on JIRA's host). */
  now(): number;
}

export type Handler = (context: RequestContext, state: EmulatorState) => HandlerResult;

/** Values of a list parameter given comma-joined (jira.js 5) or repeated (jira.js 6), or both. */
export function listParam(query: URLSearchParams, name: string): string[] | undefined {
  const raw = query.getAll(name);
  if (raw.length === 0) return undefined;
  return raw.flatMap((value) => value.split(',')).map((value) => value.trim()).filter((value) => value !== '');
}

/** A non-negative integer parameter, or JIRA's 400 when it is not one. */
export function intParam(value: unknown, name: string, fallback: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const parsed = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw badRequest(`The value '${String(value)}' is invalid for the '${name}' parameter.`);
  return parsed;
}

export function recordWrite(state: EmulatorState, context: RequestContext, key: string, kind: WriteRecord['kind']): void {
  state.writes.push({
    key,
    kind,
    body: context.body,
    author: { accountId: context.caller.accountId, name: context.caller.name },
    at: context.now,
  });
}
