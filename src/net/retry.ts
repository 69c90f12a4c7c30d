import { RetryWaitTooLongError, seconds, serviceName, ServiceError, type Service } from './errors.js';
import { limiterFor } from './limiter.js';
import { UNEXPECTED_ANSWER } from './unexpected-answer.js';

export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  /** Backoff ceiling of the first retry; it doubles with each further retry. */
  baseDelayMs: number;
  /** Longest single backoff of raidsync's own choosing; never shortens a server's Retry-After. */
  maxDelayMs: number;
  /** Longest time spent in raidsync's own backoff across all retries of one operation. */
  maxTotalWaitMs: number;
  /** Longest time one operation waits out the server's Retry-After, all its retries together (`net.maxRetryWaitSeconds`). */
  maxRetryWaitMs: number;
}

/** A wait the server asked for, as a terminal shows it: "JIRA asked to wait 25 s, 12 s left". */
export interface RetryWait {
  service: Service;
  endpoint: string;
  /** What the server asked for, in ms. */
  askedMs: number;
  /** Epoch ms when the wait ends. */
  until: number;
}

export type RetryWaitListener = (wait: RetryWait) => void;

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface RetryOptions {
  /** False for writes: they are resent only when the server certainly did not apply them. */
  idempotent: boolean;
  /** Whose limiter the operation runs under, e.g. `acme.atlassian.net`. */
  host: string;
  /** `METHOD /path` of the request: the scope a per-endpoint or per-issue rate limit holds back. */
  endpoint?: string;
  signal?: AbortSignal;
  policy?: Partial<RetryPolicy>;
  sleep?: Sleep;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 20_000,
  maxTotalWaitMs: 60_000,
  maxRetryWaitMs: 600_000,
});

let processPolicy: RetryPolicy = { ...DEFAULT_RETRY_POLICY };
const waitListeners = new Set<RetryWaitListener>();

/** Sets the process-wide policy as DEFAULT_RETRY_POLICY overridden by `policy` (so `{}` restores the default). */
export function configureRetries(policy: Partial<RetryPolicy>): void {
  processPolicy = { ...DEFAULT_RETRY_POLICY, ...policy };
}

/** Sets only the bound on server-requested waits (`net.maxRetryWaitSeconds`), leaving the rest of the policy as it is. */
export function configureRetryWaitBound(maxRetryWaitMs: number): void {
  processPolicy = { ...processPolicy, maxRetryWaitMs };
}

/** Hears every server-requested wait before it starts; returns the unsubscribe. */
export function onRetryWait(listener: RetryWaitListener): () => void {
  waitListeners.add(listener);
  return () => waitListeners.delete(listener);
}

/** "JIRA asked to wait 25 s, 12 s left" at `now`. */
export function describeRetryWait(wait: RetryWait, now = Date.now()): string {
  return `${serviceName(wait.service)} asked to wait ${seconds(wait.askedMs)} s, ${seconds(Math.max(0, wait.until - now))} s left`;
}

const TRANSIENT_STATUSES = new Set([502, 503, 504]);

// The connection never carried the request, so even a write can be resent.
const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

// The request may have reached the server before the failure, so only a read can be resent.
const MAYBE_SENT_CODES = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  UNEXPECTED_ANSWER,
]);

// The global timer, not timers/promises: fake clocks replace it, so a test of a 25 s window takes no 25 s.
const sleepFor: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const abort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', abort, { once: true });
  });

/**
 * Runs `operation` under the host's limiter, retrying transient failures with full-jitter exponential
 * backoff; rethrows the last error once it is not retryable or the attempts or wait budget run out.
 */
export async function withRetry<T>(operation: () => Promise<T>, options: RetryOptions): Promise<T> {
  const policy: RetryPolicy = { ...processPolicy, ...options.policy };
  const sleep = options.sleep ?? sleepFor;
  const limiter = limiterFor(options.host);
  const scopes = options.endpoint ? scopesOf(options.endpoint, options.idempotent) : [];
  let backedOffMs = 0;
  let serverWaitedMs = 0;
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    try {
      return await limiter.run(operation, scopes);
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      const asked = error.retryAfterMs;
      if (asked !== null) {
        // Every caller in the limit's scope waits, retried or not: a request sent inside the window only lengthens it.
        limiter.pause(asked, pauseScope(error));
        if (!isRetryable(error, options.idempotent) || attempt >= policy.maxAttempts) throw error;
        if (serverWaitedMs + asked > policy.maxRetryWaitMs) throw new RetryWaitTooLongError(error, asked, policy.maxRetryWaitMs);
        for (const listener of waitListeners) listener({ service: error.service, endpoint: error.endpoint, askedMs: asked, until: Date.now() + asked });
        await sleep(asked, options.signal);
        serverWaitedMs += asked;
        continue;
      }
      const waitMs = backoffWithin(attempt, policy);
      if (error.status === 429) limiter.pause(waitMs, pauseScope(error));
      if (attempt >= policy.maxAttempts || backedOffMs + waitMs > policy.maxTotalWaitMs || !isRetryable(error, options.idempotent)) throw error;
      await sleep(waitMs, options.signal);
      backedOffMs += waitMs;
    }
  }
}

/**
 * Whether a failed write may nevertheless have been applied: the server failed after receiving it (5xx) or the
 * connection broke after it was sent. Such a write is re-read before it is sent again.
 */
export function mayHaveBeenApplied(error: unknown): boolean {
  if (!(error instanceof ServiceError)) return false;
  if (error.status !== null) return error.status >= 500;
  return error.code !== null && MAYBE_SENT_CODES.has(error.code);
}

/** A full-jitter backoff wait before attempt `attempt + 1`, under the process-wide policy. */
export function backoffMs(attempt: number): number {
  return backoffWithin(attempt, processPolicy);
}

function isRetryable(error: ServiceError, idempotent: boolean): boolean {
  // A 429 is refused before any work is done, so a write is safe to resend.
  if (error.status === 429) return true;
  if (error.status !== null) return idempotent && TRANSIENT_STATUSES.has(error.status);
  if (error.code === null) return false;
  return NEVER_SENT_CODES.has(error.code) || (idempotent && MAYBE_SENT_CODES.has(error.code));
}

function backoffWithin(attempt: number, policy: RetryPolicy): number {
  return Math.floor(Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)));
}

// Atlassian's RateLimit-Reason: the burst limit is per endpoint and method, the write limit per issue; any other (quota) is the tenant's.
const ENDPOINT_LIMIT = 'jira-burst-based';
const ISSUE_WRITE_LIMIT = 'jira-per-issue-on-write';
const ISSUE_IN_PATH = /\/issue\/([A-Z][A-Z0-9_]*-\d+|\d+)(?=\/|$)/;

/** `GET /rest/api/2/issue/{id}/transitions` for any issue: the endpoint a burst limit is counted on. */
function endpointScope(endpoint: string): string {
  return `endpoint ${endpoint.replace(/\/([A-Z][A-Z0-9_]*-\d+|\d+)(?=\/|$)/g, '/{id}')}`;
}

function issueWriteScope(endpoint: string): string | null {
  const key = ISSUE_IN_PATH.exec(endpoint)?.[1];
  return key === undefined ? null : `issue-write ${key}`;
}

/** The scopes a request belongs to: its endpoint, and for a write to an issue, that issue's writes. */
function scopesOf(endpoint: string, idempotent: boolean): string[] {
  const issue = idempotent ? null : issueWriteScope(endpoint);
  return issue === null ? [endpointScope(endpoint)] : [endpointScope(endpoint), issue];
}

/** Which requests a rate-limit answer holds back: undefined for the whole host. */
function pauseScope(error: ServiceError): string | undefined {
  if (error.rateLimitReason === ENDPOINT_LIMIT) return endpointScope(error.endpoint);
  if (error.rateLimitReason === ISSUE_WRITE_LIMIT) return issueWriteScope(error.endpoint) ?? undefined;
  return undefined;
}
