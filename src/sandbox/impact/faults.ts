/** Which requests a fault applies to: every one, those matching method and path, or a predicate. */
export type RequestMatcher =
  | { method?: string; path?: string | RegExp }
  | ((request: { method: string; path: string }) => boolean);

export interface CannedResponse {
  status: number;
  headers?: Record<string, string>;
  /** A string is sent as is (text/plain unless headers say otherwise); anything else as JSON. */
  body?: unknown;
  matcher?: RequestMatcher;
}

/** What stands between raidsync and FireFighter misbehaving: a proxy's error, a dropped connection, an SSO login page. */
export type Fault = { kind: 'respond'; response: CannedResponse } | { kind: 'reset' } | { kind: 'html-login' } | { kind: 'stall'; ms: number };

interface PlannedFault {
  fault: Fault;
  remaining: number;
  matcher: RequestMatcher | undefined;
}

export interface FaultKnobs {
  /** The next `count` matching requests get this response instead of FireFighter's. */
  next(count: number, response: CannedResponse): void;
  /** The next `count` matching requests have their connection reset before any answer. */
  resetConnection(count: number, matcher?: RequestMatcher): void;
  /** The next `count` requests get a 200 HTML login page, as from an SSO proxy whose session expired. */
  html(count: number, matcher?: RequestMatcher): void;
  /** The next `count` matching requests are handled (a webhook applied) but answered only after `ms`: a lost answer once the client has timed out. */
  stall(count: number, ms: number, matcher?: RequestMatcher): void;
  clear(): void;
  /** Faults planned and not yet met by a request. */
  pending(): number;
}

/** Planned faults, consumed in the order they were planned. */
export class FaultPlan implements FaultKnobs {
  private planned: PlannedFault[] = [];

  next(count: number, response: CannedResponse): void {
    this.plan({ kind: 'respond', response }, count, response.matcher);
  }

  resetConnection(count: number, matcher?: RequestMatcher): void {
    this.plan({ kind: 'reset' }, count, matcher);
  }

  html(count: number, matcher?: RequestMatcher): void {
    this.plan({ kind: 'html-login' }, count, matcher);
  }

  stall(count: number, ms: number, matcher?: RequestMatcher): void {
    this.plan({ kind: 'stall', ms }, count, matcher);
  }

  clear(): void {
    this.planned = [];
  }

  pending(): number {
    return this.planned.reduce((sum, entry) => sum + entry.remaining, 0);
  }

  /** The fault this request meets, if any, counting it as used. */
  take(request: { method: string; path: string }): Fault | undefined {
    const planned = this.planned.find((entry) => entry.remaining > 0 && matches(entry.matcher, request));
    if (!planned) return undefined;
    planned.remaining -= 1;
    this.planned = this.planned.filter((entry) => entry.remaining > 0);
    return planned.fault;
  }

  private plan(fault: Fault, count: number, matcher: RequestMatcher | undefined): void {
    if (!Number.isInteger(count) || count < 1) throw new Error(`fault count must be a positive integer, got ${count}`);
    this.planned.push({ fault, remaining: count, matcher });
  }
}

function matches(matcher: RequestMatcher | undefined, request: { method: string; path: string }): boolean {
  if (matcher === undefined) return true;
  if (typeof matcher === 'function') return matcher(request);
  if (matcher.method !== undefined && matcher.method.toUpperCase() !== request.method) return false;
  if (matcher.path === undefined) return true;
  return typeof matcher.path === 'string' ? matcher.path === request.path : matcher.path.test(request.path);
}
