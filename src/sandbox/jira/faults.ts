export interface FaultMatcher {
  method?: string;
  pathPrefix?: string;
  /** Let this many matching requests through before the fault applies (e.g. fail only a path's second hop). */
  after?: number;
}

export interface FaultResponse {
  status: number;
  headers?: Record<string, string>;
  /** JSON-encoded unless a string, which is sent as is (to serve bodies that are not JSON). */
  body?: unknown;
  matcher?: FaultMatcher;
}

export type Fault =
  | { kind: 'respond'; response: FaultResponse }
  | { kind: 'reset' }
  | { kind: 'stall'; ms: number }
  | { kind: 'trickle'; msPerByte: number };

/** Cloud's RateLimit-Reason values: the burst limit of an endpoint, the per-issue write limit, the hourly quota. */
export type RateLimitReason = 'jira-burst-based' | 'jira-per-issue-on-write' | 'jira-quota-tenant-based';

export interface RateLimitWindowOptions {
  matcher?: Omit<FaultMatcher, 'after'>;
  reason?: RateLimitReason;
  /** X-RateLimit-Limit. */
  limit?: number;
}

interface RateLimitWindow {
  ms: number;
  /** Epoch ms the window opened (at the first matching request), or null until then. */
  openedAt: number | null;
  options: RateLimitWindowOptions;
}

interface FaultRule {
  remaining: number;
  passThrough: number;
  fault: Fault;
  matcher: FaultMatcher | undefined;
}

/** Queued faults, consumed in order by the requests they match. */
export class FaultQueue {
  private rules: FaultRule[] = [];
  private windows: RateLimitWindow[] = [];

  /**
   * A rate limit of `seconds`, opened by the next matching request: that request and every matching one until the
   * window has passed get a 429 with the seconds left as Retry-After, as Cloud answers a request retried too early.
   */
  rateLimitWindow(seconds: number, options: RateLimitWindowOptions = {}): void {
    this.windows.push({ ms: seconds * 1000, openedAt: null, options });
  }

  /** The next `count` matching requests get `response` instead of their real answer. */
  next(count: number, response: FaultResponse): void {
    this.rules.push({ remaining: count, passThrough: response.matcher?.after ?? 0, fault: { kind: 'respond', response }, matcher: response.matcher });
  }

  /** The next `count` matching requests have their connection destroyed without an answer. */
  resetConnection(count: number, matcher?: FaultMatcher): void {
    this.rules.push({ remaining: count, passThrough: matcher?.after ?? 0, fault: { kind: 'reset' }, matcher });
  }

  /** The next `count` matching requests are handled (a write is applied) but answered only after `ms`: a lost answer once the client has timed out. */
  stall(count: number, ms: number, matcher?: FaultMatcher): void {
    this.rules.push({ remaining: count, passThrough: matcher?.after ?? 0, fault: { kind: 'stall', ms }, matcher });
  }

  /** The next `count` matching requests get a `200 text/html` sign-in page, as from an SSO proxy, and are not applied. */
  loginPage(count: number, matcher?: FaultMatcher): void {
    this.next(count, { status: 200, headers: { 'Content-Type': 'text/html;charset=UTF-8' }, body: SSO_LOGIN_PAGE, ...(matcher ? { matcher } : {}) });
  }

  /** The next `count` matching requests are handled, but their body is sent one byte every `msPerByte`: a socket never idle, a body that does not end. */
  trickle(count: number, msPerByte: number, matcher?: FaultMatcher): void {
    this.rules.push({ remaining: count, passThrough: matcher?.after ?? 0, fault: { kind: 'trickle', msPerByte }, matcher });
  }

  clear(): void {
    this.rules = [];
    this.windows = [];
  }

  /** Faults queued and not yet met by a request, rate-limit windows not yet opened among them. */
  pending(): number {
    return this.rules.reduce((sum, rule) => sum + rule.remaining, 0) + this.windows.filter((window) => window.openedAt === null).length;
  }

  take(method: string, path: string, now = Date.now()): Fault | undefined {
    this.windows = this.windows.filter((window) => window.openedAt === null || now < window.openedAt + window.ms);
    const window = this.windows.find((candidate) => matches(candidate.options.matcher, method, path));
    if (window) {
      window.openedAt ??= now;
      return { kind: 'respond', response: rateLimited(window.openedAt + window.ms, now, window.options) };
    }
    const rule = this.rules.find((candidate) => candidate.remaining > 0 && matches(candidate.matcher, method, path));
    if (!rule) return undefined;
    if (rule.passThrough > 0) {
      rule.passThrough--;
      return undefined;
    }
    rule.remaining--;
    this.rules = this.rules.filter((candidate) => candidate.remaining > 0);
    return rule.fault;
  }
}

function matches(matcher: FaultMatcher | undefined, method: string, path: string): boolean {
  return (!matcher?.method || matcher.method.toUpperCase() === method) && (!matcher?.pathPrefix || path.startsWith(matcher.pathPrefix));
}

/** Cloud's 429: Retry-After in whole seconds, the reason, and X-RateLimit-* (Reset as yyyy-MM-ddTHH:mmZ, rounded up to the minute). */
function rateLimited(until: number, now: number, options: RateLimitWindowOptions): FaultResponse {
  const resetMinute = new Date(Math.ceil(until / 60_000) * 60_000).toISOString().slice(0, 16);
  return {
    status: 429,
    headers: {
      'Retry-After': String(Math.max(1, Math.ceil((until - now) / 1000))),
      'RateLimit-Reason': options.reason ?? 'jira-burst-based',
      'X-RateLimit-Limit': String(options.limit ?? 100),
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': `${resetMinute}Z`,
      'X-RateLimit-NearLimit': 'true',
    },
  };
}

const SSO_LOGIN_PAGE = '<!DOCTYPE html><html><head><title>Sign in</title></head><body><form method="post" action="/sso/login"><input name="username"><input name="password" type="password"></form></body></html>';

const STATUS_MESSAGES: Record<number, string> = {
  429: 'Rate limit exceeded.',
  503: 'Service Unavailable',
};

export function defaultFaultBody(status: number): { errorMessages: string[]; errors: Record<string, string> } {
  return { errorMessages: [STATUS_MESSAGES[status] ?? `Injected fault (HTTP ${status}).`], errors: {} };
}
