/** Error categories, as recorded per run and shown by `status` (and in metrics). */
export type ErrorCategory =
  | 'auth'
  | 'rate_limit'
  | 'network'
  | 'timeout'
  | 'not_found'
  | 'validation'
  | 'workflow'
  | 'impact_refused'
  | 'mapping'
  | 'internal';

export type Service = 'jira' | 'impact';

export interface ServiceErrorInit {
  service: Service;
  /** Method and path, never the query string's secrets nor credentials: `GET /rest/api/2/issue/INC-7`. */
  endpoint: string;
  /** HTTP status, or null for a transport failure. */
  status: number | null;
  /** Transport error code (ECONNREFUSED, ETIMEDOUT, ...) or null. */
  code?: string | null;
  /** Server-requested wait before retrying (Retry-After / X-RateLimit-Reset), in milliseconds. */
  retryAfterMs?: number | null;
  /** JIRA Cloud's `RateLimit-Reason` on a 429: which limit was hit, and so which requests must wait. */
  rateLimitReason?: string | null;
  /** A short, secret-free excerpt of what the server said (JIRA errorMessages, DRF error detail). */
  detail?: string | null;
}

/** A call to JIRA or FireFighter that failed: carries what a person and the retry loop need, no secrets. */
export class ServiceError extends Error {
  readonly service: Service;
  readonly endpoint: string;
  readonly status: number | null;
  readonly code: string | null;
  readonly retryAfterMs: number | null;
  readonly rateLimitReason: string | null;
  readonly detail: string | null;

  constructor(init: ServiceErrorInit, message?: string) {
    const what =
      init.status !== null ? `returned ${init.status}` : `could not be reached (${init.code ?? 'network error'})`;
    super(message ?? `${serviceName(init.service)} ${what} for ${init.endpoint}${init.detail ? `: ${init.detail}` : ''}`);
    this.name = 'ServiceError';
    this.service = init.service;
    this.endpoint = init.endpoint;
    this.status = init.status;
    this.code = init.code ?? null;
    this.retryAfterMs = init.retryAfterMs ?? null;
    this.rateLimitReason = init.rateLimitReason ?? null;
    this.detail = init.detail ?? null;
  }

  get category(): ErrorCategory {
    if (this.status === null) return this.code === 'ETIMEDOUT' || this.code === 'ECONNABORTED' ? 'timeout' : 'network';
    if (this.status === 401 || this.status === 403) return 'auth';
    if (this.status === 429) return 'rate_limit';
    if (this.status === 404) return 'not_found';
    if (this.status === 400 || this.status === 409 || this.status === 422) return 'validation';
    if (this.status === 504) return 'timeout';
    return 'network';
  }
}

/** The server asked for a longer wait than `net.maxRetryWaitSeconds` allows one request: the work fails instead of waiting. */
export class RetryWaitTooLongError extends ServiceError {
  /** The longest wait allowed, in milliseconds. */
  readonly maxWaitMs: number;

  constructor(cause: ServiceError, askedMs: number, maxWaitMs: number) {
    super(
      { ...cause, retryAfterMs: askedMs },
      `${serviceName(cause.service)} asked to wait ${seconds(askedMs)} s before retrying ${cause.endpoint}, longer than net.maxRetryWaitSeconds (${seconds(maxWaitMs)} s)`,
    );
    this.name = 'RetryWaitTooLongError';
    this.maxWaitMs = maxWaitMs;
  }

  override get category(): ErrorCategory {
    return 'rate_limit';
  }
}

export function serviceName(service: Service): string {
  return service === 'jira' ? 'JIRA' : 'FireFighter';
}

/** Whole seconds, rounded up: "asked to wait 25 s" for 24.2 s left, never "0 s" for a wait still running. */
export function seconds(ms: number): number {
  return Math.ceil(ms / 1000);
}

/** A response that arrived but does not have the shape raidsync relies on. */
export class MalformedResponseError extends Error {
  readonly service: Service;
  readonly endpoint: string;
  /** Dotted path of the offending field, e.g. `issues[3].fields.status.name`. */
  readonly field: string;

  constructor(service: Service, endpoint: string, field: string, problem: string) {
    super(`${serviceName(service)} sent a malformed response for ${endpoint}: ${field || '(body)'} ${problem}`);
    this.name = 'MalformedResponseError';
    this.service = service;
    this.endpoint = endpoint;
    this.field = field;
  }

  get category(): ErrorCategory {
    return 'internal';
  }
}

const VALUE_EXCERPT = 60;

/** One record of a list that does not have the shape raidsync relies on: it fails its own pair, not the run. */
export class InvalidRecordError extends Error {
  readonly service: Service;
  readonly endpoint: string;
  /** The record's dotted field path, e.g. `roles.commander.email` or `fields.status.name`. */
  readonly field: string;
  /** The offending value, JSON-encoded and cut short; `(missing)` when absent. */
  readonly value: string;

  constructor(init: { service: Service; endpoint: string; record: string; field: string; problem: string; value: unknown }) {
    const value = init.value === undefined ? '(missing)' : excerpt(JSON.stringify(init.value) ?? String(init.value));
    super(`${serviceName(init.service)} sent an invalid ${init.record}: ${init.field || '(record)'} ${init.problem}, got ${value}`);
    this.name = 'InvalidRecordError';
    this.service = init.service;
    this.endpoint = init.endpoint;
    this.field = init.field;
    this.value = value;
  }

  get category(): ErrorCategory {
    return 'validation';
  }
}

function excerpt(text: string): string {
  return text.length > VALUE_EXCERPT ? `${text.slice(0, VALUE_EXCERPT)}…` : text;
}

/** The value at a zod issue path inside `record`, or undefined. */
export function valueAt(record: unknown, path: readonly PropertyKey[]): unknown {
  let value = record;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function errorCategory(error: unknown): ErrorCategory {
  if (error instanceof ServiceError || error instanceof MalformedResponseError || error instanceof InvalidRecordError) return error.category;
  return 'internal';
}
