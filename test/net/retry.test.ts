import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RetryWaitTooLongError, ServiceError } from '../../src/net/errors.js';
import { limiterFor } from '../../src/net/limiter.js';
import { configureRetries, describeRetryWait, onRetryWait, withRetry, type RetryOptions, type RetryWait } from '../../src/net/retry.js';

let hostSeq = 0;
const freshHost = (): string => `retry-${++hostSeq}.test`;

function httpError(status: number, retryAfterMs: number | null = null, endpoint = 'GET /rest/api/2/issue/INC-1', rateLimitReason: string | null = null): ServiceError {
  return new ServiceError({ service: 'jira', endpoint, status, retryAfterMs, rateLimitReason });
}
function transportError(code: string): ServiceError {
  return new ServiceError({ service: 'jira', endpoint: 'PUT /rest/api/2/issue/INC-1', status: null, code });
}

/** An operation that throws `failures` in turn, then resolves 'ok'; counts its calls. */
function failingThen(...failures: unknown[]): { operation: () => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    operation: async () => {
      const failure = failures[calls++];
      if (failure !== undefined) throw failure;
      return 'ok';
    },
    calls: () => calls,
  };
}

/** A sleep that records each wait and moves the fake clock by it, so host pauses expire as they would. */
function recordingSleep(): { sleep: NonNullable<RetryOptions['sleep']>; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms) => {
      waits.push(ms);
      await vi.advanceTimersByTimeAsync(ms);
    },
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  configureRetries({});
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('withRetry', () => {
  it('returns the first success without waiting', async () => {
    const { sleep, waits } = recordingSleep();
    const op = failingThen();
    await expect(withRetry(op.operation, { idempotent: true, host: freshHost(), sleep })).resolves.toBe('ok');
    expect(op.calls()).toBe(1);
    expect(waits).toEqual([]);
  });

  it.each([429, 502, 503, 504])('retries a read that got %i', async (status) => {
    const { sleep } = recordingSleep();
    const op = failingThen(httpError(status), httpError(status));
    await expect(withRetry(op.operation, { idempotent: true, host: freshHost(), sleep })).resolves.toBe('ok');
    expect(op.calls()).toBe(3);
  });

  it.each(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'UND_ERR_SOCKET'])(
    'retries a read that failed with %s',
    async (code) => {
      const { sleep } = recordingSleep();
      const op = failingThen(transportError(code));
      await expect(withRetry(op.operation, { idempotent: true, host: freshHost(), sleep })).resolves.toBe('ok');
      expect(op.calls()).toBe(2);
    },
  );

  it.each([400, 401, 403, 404, 409, 500])('rethrows a %i at once', async (status) => {
    const { sleep, waits } = recordingSleep();
    const error = httpError(status);
    const op = failingThen(error);
    await expect(withRetry(op.operation, { idempotent: true, host: freshHost(), sleep })).rejects.toBe(error);
    expect(op.calls()).toBe(1);
    expect(waits).toEqual([]);
  });

  it('rethrows an error that is not a ServiceError at once', async () => {
    const { sleep } = recordingSleep();
    const error = new TypeError('bug');
    const op = failingThen(error);
    await expect(withRetry(op.operation, { idempotent: true, host: freshHost(), sleep })).rejects.toBe(error);
    expect(op.calls()).toBe(1);
  });

  it.each([
    ['503', httpError(503)],
    ['502', httpError(502)],
    ['ECONNRESET', transportError('ECONNRESET')],
    ['ETIMEDOUT', transportError('ETIMEDOUT')],
  ])('does not resend a write after %s, which may have applied', async (_label, error) => {
    const { sleep } = recordingSleep();
    const op = failingThen(error);
    await expect(withRetry(op.operation, { idempotent: false, host: freshHost(), sleep })).rejects.toBe(error);
    expect(op.calls()).toBe(1);
  });

  it.each([
    ['429', httpError(429)],
    ['ECONNREFUSED', transportError('ECONNREFUSED')],
  ])('resends a write after %s, which certainly did not apply', async (_label, error) => {
    const { sleep } = recordingSleep();
    const op = failingThen(error);
    await expect(withRetry(op.operation, { idempotent: false, host: freshHost(), sleep })).resolves.toBe('ok');
    expect(op.calls()).toBe(2);
  });

  it('keeps each wait within the doubling full-jitter ceiling, capped by maxDelayMs', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 6, maxLength: 6 }), async (randoms) => {
        const random = vi.spyOn(Math, 'random');
        for (const value of randoms) random.mockReturnValueOnce(value);
        const { sleep, waits } = recordingSleep();
        const op = failingThen(...Array.from({ length: 6 }, () => httpError(503)));
        const policy = { maxAttempts: 7, baseDelayMs: 100, maxDelayMs: 1_000, maxTotalWaitMs: 100_000 };
        await withRetry(op.operation, { idempotent: true, host: freshHost(), sleep, policy });
        const ceilings = [100, 200, 400, 800, 1_000, 1_000];
        expect(waits).toHaveLength(6);
        waits.forEach((wait, index) => {
          expect(wait).toBeGreaterThanOrEqual(0);
          expect(wait).toBeLessThan(ceilings[index]!);
          expect(wait).toBe(Math.floor(randoms[index]! * ceilings[index]!));
        });
        random.mockRestore();
      }),
      { numRuns: 50 },
    );
  });

  it("waits exactly the server's Retry-After, not a backoff of its own", async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const { sleep, waits } = recordingSleep();
    const op = failingThen(httpError(429, 3_000), httpError(503, 10), httpError(503));
    await withRetry(op.operation, { idempotent: true, host: freshHost(), sleep });
    expect(waits).toEqual([3_000, 10, 500]);
  });

  it("waits the server's Retry-After in full, however far beyond raidsync's own backoff ceiling", async () => {
    const { sleep, waits } = recordingSleep();
    const op = failingThen(httpError(429, 90_000));
    await withRetry(op.operation, { idempotent: true, host: freshHost(), sleep, policy: { maxDelayMs: 5 } });
    expect(waits).toEqual([90_000]);
  });

  it('fails with a rate_limit error naming the wait when the server asks for more than maxRetryWaitMs', async () => {
    const { sleep, waits } = recordingSleep();
    const op = failingThen(httpError(429, 900_000));
    const error = await withRetry(op.operation, { idempotent: true, host: freshHost(), sleep }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RetryWaitTooLongError);
    expect(error).toMatchObject({ category: 'rate_limit', retryAfterMs: 900_000, endpoint: 'GET /rest/api/2/issue/INC-1' });
    expect((error as Error).message).toBe(
      'JIRA asked to wait 900 s before retrying GET /rest/api/2/issue/INC-1, longer than net.maxRetryWaitSeconds (600 s)',
    );
    expect(waits).toEqual([]);
    expect(op.calls()).toBe(1);
  });

  it("counts every server wait of one request against maxRetryWaitMs", async () => {
    const { sleep, waits } = recordingSleep();
    const op = failingThen(httpError(429, 600), httpError(429, 600));
    const policy = { maxRetryWaitMs: 1_000 };
    await expect(withRetry(op.operation, { idempotent: true, host: freshHost(), sleep, policy })).rejects.toBeInstanceOf(RetryWaitTooLongError);
    expect(waits).toEqual([600]);
    expect(op.calls()).toBe(2);
  });

  it('gives up with the last error once the next backoff would overrun the total backoff budget', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.99);
    const { sleep, waits } = recordingSleep();
    const last = httpError(503);
    const op = failingThen(httpError(503), last, httpError(503));
    const policy = { baseDelayMs: 400, maxTotalWaitMs: 1_000 };
    await expect(withRetry(op.operation, { idempotent: true, host: freshHost(), sleep, policy })).rejects.toBe(last);
    expect(waits).toEqual([396]);
    expect(op.calls()).toBe(2);
  });

  it('gives up with the last error after maxAttempts', async () => {
    const { sleep, waits } = recordingSleep();
    const errors = [httpError(503), httpError(503), httpError(504)];
    const op = failingThen(...errors);
    const policy = { maxAttempts: 3 };
    await expect(withRetry(op.operation, { idempotent: true, host: freshHost(), sleep, policy })).rejects.toBe(errors[2]);
    expect(op.calls()).toBe(3);
    expect(waits).toHaveLength(2);
  });

  it('pauses every other caller of the host after a 429', async () => {
    const host = freshHost();
    const op = failingThen(httpError(429, 5_000));
    // This caller's own sleep never returns, so only the host pause can hold the other caller back.
    const waits: number[] = [];
    const sleepForever = (ms: number): Promise<void> => (waits.push(ms), new Promise(() => {}));
    const retrying = withRetry(op.operation, { idempotent: true, host, sleep: sleepForever });
    await vi.advanceTimersByTimeAsync(0);
    expect(waits).toEqual([5_000]);
    let otherRan = false;
    const other = limiterFor(host).run(async () => (otherRan = true));
    await vi.advanceTimersByTimeAsync(4_999);
    expect(otherRan).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await other;
    expect(otherRan).toBe(true);
    void retrying;
  });

  it('follows the process-wide policy set by configureRetries', async () => {
    configureRetries({ maxAttempts: 2 });
    const { sleep } = recordingSleep();
    const op = failingThen(httpError(503), httpError(503), httpError(503));
    await expect(withRetry(op.operation, { idempotent: true, host: freshHost(), sleep })).rejects.toBeInstanceOf(ServiceError);
    expect(op.calls()).toBe(2);
  });

  it('does not start an attempt once the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stopped'));
    const op = failingThen();
    await expect(withRetry(op.operation, { idempotent: true, host: freshHost(), signal: controller.signal })).rejects.toThrow('stopped');
    expect(op.calls()).toBe(0);
  });

  it('stops waiting when the signal is aborted during a backoff', async () => {
    vi.useRealTimers();
    const controller = new AbortController();
    const op = failingThen(httpError(503, 60_000));
    const run = withRetry(op.operation, { idempotent: true, host: freshHost(), signal: controller.signal });
    await vi.waitFor(() => expect(op.calls()).toBe(1));
    controller.abort();
    await expect(run).rejects.toThrow(/abort/i);
    expect(op.calls()).toBe(1);
  });
});

/** An operation sent through withRetry (real sleeps on the fake clock), recording the clock at each attempt. */
function timedOperation(...failures: ServiceError[]): { operation: () => Promise<string>; sentAt: number[] } {
  const sentAt: number[] = [];
  return {
    sentAt,
    operation: async () => {
      const failure = failures[sentAt.length];
      sentAt.push(Date.now());
      if (failure !== undefined) throw failure;
      return 'ok';
    },
  };
}

describe('withRetry under rate limits (fake clock)', () => {
  it('sends nothing to the host before a 25 s Retry-After has passed, then converges', async () => {
    const host = freshHost();
    const start = Date.now();
    const first = timedOperation(httpError(429, 25_000, 'GET /rest/api/2/search/jql'), httpError(429, 25_000, 'GET /rest/api/2/search/jql'));
    const retried = withRetry(first.operation, { idempotent: true, host, endpoint: 'GET /rest/api/2/search/jql' });
    await vi.advanceTimersByTimeAsync(0);
    const other = timedOperation();
    const otherRun = withRetry(other.operation, { idempotent: false, host, endpoint: 'PUT /rest/api/2/issue/INC-9' });
    await vi.advanceTimersByTimeAsync(24_999);
    expect(first.sentAt).toEqual([start]);
    expect(other.sentAt).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(first.sentAt).toEqual([start, start + 25_000]);
    await vi.advanceTimersByTimeAsync(25_000);
    await expect(retried).resolves.toBe('ok');
    await expect(otherRun).resolves.toBe('ok');
    expect(first.sentAt).toEqual([start, start + 25_000, start + 50_000]);
    // The other request waited out the second window too: it was held until the host's last pause ended.
    expect(other.sentAt).toEqual([start + 50_000]);
  });

  it('holds back only the endpoint when RateLimit-Reason says the burst limit of that endpoint was hit', async () => {
    const host = freshHost();
    const start = Date.now();
    const burst = httpError(429, 10_000, 'GET /rest/api/2/issue/INC-1/transitions', 'jira-burst-based');
    void withRetry(timedOperation(burst).operation, { idempotent: true, host, endpoint: 'GET /rest/api/2/issue/INC-1/transitions' });
    await vi.advanceTimersByTimeAsync(0);
    const sameEndpoint = timedOperation();
    const otherEndpoint = timedOperation();
    const same = withRetry(sameEndpoint.operation, { idempotent: true, host, endpoint: 'GET /rest/api/2/issue/INC-2/transitions' });
    const other = withRetry(otherEndpoint.operation, { idempotent: true, host, endpoint: 'GET /rest/api/2/issue/INC-2' });
    await vi.advanceTimersByTimeAsync(1);
    expect(otherEndpoint.sentAt).toEqual([start]);
    expect(sameEndpoint.sentAt).toEqual([]);
    await vi.advanceTimersByTimeAsync(10_000);
    await Promise.all([same, other]);
    expect(sameEndpoint.sentAt).toEqual([start + 10_000]);
  });

  it('holds back only writes to the issue when RateLimit-Reason says the per-issue write limit was hit', async () => {
    const host = freshHost();
    const start = Date.now();
    const perIssue = httpError(429, 8_000, 'PUT /rest/api/2/issue/INC-1', 'jira-per-issue-on-write');
    void withRetry(timedOperation(perIssue).operation, { idempotent: false, host, endpoint: 'PUT /rest/api/2/issue/INC-1' });
    await vi.advanceTimersByTimeAsync(0);
    const sameIssueWrite = timedOperation();
    const sameIssueRead = timedOperation();
    const otherIssueWrite = timedOperation();
    const runs = [
      withRetry(sameIssueWrite.operation, { idempotent: false, host, endpoint: 'POST /rest/api/2/issue/INC-1/transitions' }),
      withRetry(sameIssueRead.operation, { idempotent: true, host, endpoint: 'GET /rest/api/2/issue/INC-1' }),
      withRetry(otherIssueWrite.operation, { idempotent: false, host, endpoint: 'PUT /rest/api/2/issue/INC-2' }),
    ];
    await vi.advanceTimersByTimeAsync(1);
    expect(sameIssueRead.sentAt).toEqual([start]);
    expect(otherIssueWrite.sentAt).toEqual([start]);
    expect(sameIssueWrite.sentAt).toEqual([]);
    await vi.advanceTimersByTimeAsync(8_000);
    await Promise.all(runs);
    expect(sameIssueWrite.sentAt).toEqual([start + 8_000]);
  });

  it('tells listeners how long the server asked to wait, for a terminal to count down', async () => {
    const heard: RetryWait[] = [];
    const stop = onRetryWait((wait) => heard.push(wait));
    try {
      const start = Date.now();
      const op = timedOperation(httpError(429, 25_000));
      const run = withRetry(op.operation, { idempotent: true, host: freshHost() });
      await vi.advanceTimersByTimeAsync(13_000);
      expect(heard).toEqual([{ service: 'jira', endpoint: 'GET /rest/api/2/issue/INC-1', askedMs: 25_000, until: start + 25_000 }]);
      expect(describeRetryWait(heard[0]!)).toBe('JIRA asked to wait 25 s, 12 s left');
      await vi.advanceTimersByTimeAsync(12_000);
      await expect(run).resolves.toBe('ok');
    } finally {
      stop();
    }
  });
});
