import { setTimeout as delay } from 'node:timers/promises';
import { ServiceError } from './errors.js';
import { limiterFor } from './limiter.js';
import { UNEXPECTED_ANSWER } from './unexpected-answer.js';

export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  /** Backoff ceiling of the first retry; it doubles with each further retry. */
  baseDelayMs: number;
  /** Longest single wait, also the cap on a server's Retry-After. */
  maxDelayMs: number;
  /** Longest time spent waiting across all retries of one operation. */
  maxTotalWaitMs: number;
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface RetryOptions {
  /** False for writes: they are resent only when the server certainly did not apply them. */
  idempotent: boolean;
  /** Whose limiter the operation runs under, e.g. `acme.atlassian.net`. */
  host: string;
  signal?: AbortSignal;
  policy?: Partial<RetryPolicy>;
  sleep?: Sleep;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 20_000,
  maxTotalWaitMs: 60_000,
});

let processPolicy: RetryPolicy = { ...DEFAULT_RETRY_POLICY };

/** Sets the process-wide policy as DEFAULT_RETRY_POLICY overridden by `policy` (so `{}` restores the default). */
export function configureRetries(policy: Partial<RetryPolicy>): void {
  processPolicy = { ...DEFAULT_RETRY_POLICY, ...policy };
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

const sleepFor: Sleep = (ms, signal) => delay(ms, undefined, { signal });

/**
 * Runs `operation` under the host's limiter, retrying transient failures with full-jitter exponential
 * backoff; rethrows the last error once it is not retryable or the attempts or wait budget run out.
 */
export async function withRetry<T>(operation: () => Promise<T>, options: RetryOptions): Promise<T> {
  const policy: RetryPolicy = { ...processPolicy, ...options.policy };
  const sleep = options.sleep ?? sleepFor;
  const limiter = limiterFor(options.host);
  let waitedMs = 0;
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    try {
      return await limiter.run(operation);
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      const waitMs = retryDelayMs(error, attempt, policy);
      // The server's request to slow down applies to every caller of the host, retried or not.
      if (error.status === 429 || error.retryAfterMs !== null) limiter.pause(waitMs);
      const exhausted = attempt >= policy.maxAttempts || waitedMs + waitMs > policy.maxTotalWaitMs;
      if (exhausted || !isRetryable(error, options.idempotent)) throw error;
      await sleep(waitMs, options.signal);
      waitedMs += waitMs;
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
  return Math.floor(Math.random() * Math.min(processPolicy.maxDelayMs, processPolicy.baseDelayMs * 2 ** (attempt - 1)));
}

function isRetryable(error: ServiceError, idempotent: boolean): boolean {
  // A 429 is refused before any work is done, so a write is safe to resend.
  if (error.status === 429) return true;
  if (error.status !== null) return idempotent && TRANSIENT_STATUSES.has(error.status);
  if (error.code === null) return false;
  return NEVER_SENT_CODES.has(error.code) || (idempotent && MAYBE_SENT_CODES.has(error.code));
}

function retryDelayMs(error: ServiceError, attempt: number, policy: RetryPolicy): number {
  const backoffCeiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.floor(Math.random() * backoffCeiling);
  const serverWait = Math.min(error.retryAfterMs ?? 0, policy.maxDelayMs);
  return Math.max(jittered, serverWait);
}
