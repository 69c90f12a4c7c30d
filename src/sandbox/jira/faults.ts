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

interface FaultRule {
  remaining: number;
  passThrough: number;
  fault: Fault;
  matcher: FaultMatcher | undefined;
}

/** Queued faults, consumed in order by the requests they match. */
export class FaultQueue {
  private rules: FaultRule[] = [];

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
  }

  /** Faults queued and not yet met by a request. */
  pending(): number {
    return this.rules.reduce((sum, rule) => sum + rule.remaining, 0);
  }

  take(method: string, path: string): Fault | undefined {
    const rule = this.rules.find(
      (candidate) =>
        candidate.remaining > 0 &&
        (!candidate.matcher?.method || candidate.matcher.method.toUpperCase() === method) &&
        (!candidate.matcher?.pathPrefix || path.startsWith(candidate.matcher.pathPrefix)),
    );
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

const SSO_LOGIN_PAGE = '<!DOCTYPE html><html><head><title>Sign in</title></head><body><form method="post" action="/sso/login"><input name="username"><input name="password" type="password"></form></body></html>';

const STATUS_MESSAGES: Record<number, string> = {
  429: 'Rate limit exceeded.',
  503: 'Service Unavailable',
};

export function defaultFaultBody(status: number): { errorMessages: string[]; errors: Record<string, string> } {
  return { errorMessages: [STATUS_MESSAGES[status] ?? `Injected fault (HTTP ${status}).`], errors: {} };
}
