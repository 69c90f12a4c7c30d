/** Caps concurrent requests per host and lets a rate-limit answer pause the host, or one scope of it. */
export interface HostLimiter {
  /**
   * Runs `fn` once a slot is free and neither the host nor any of `scopes` is paused; the slot is released when
   * `fn` settles.
   */
  run<T>(fn: () => Promise<T>, scopes?: readonly string[]): Promise<T>;
  /** Holds back every request to this host (or, with `scope`, only those in it) that has not started yet, for `ms` from now (extends, never shortens). */
  pause(ms: number, scope?: string): void;
}

export interface LimiterOptions {
  concurrency: number;
}

const DEFAULT_CONCURRENCY = 8;
const HOST = '';

// Read at every acquisition, so configureLimiter also applies to limiters already handed out.
const settings: LimiterOptions = { concurrency: DEFAULT_CONCURRENCY };

const limitersByHost = new Map<string, HostLimiter>();

export function configureLimiter(options: LimiterOptions): void {
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
    throw new RangeError(`limiter concurrency must be a positive integer, got ${options.concurrency}`);
  }
  settings.concurrency = options.concurrency;
}

/** The one limiter of `host` in this process, shared by every client that talks to it. */
export function limiterFor(host: string): HostLimiter {
  const key = host.toLowerCase();
  let limiter = limitersByHost.get(key);
  if (!limiter) {
    limiter = createHostLimiter(() => settings.concurrency);
    limitersByHost.set(key, limiter);
  }
  return limiter;
}

function createHostLimiter(concurrency: () => number): HostLimiter {
  let active = 0;
  // Epoch ms until which the host ('') or a scope is paused.
  const pausedUntil = new Map<string, number>();
  const waiting: Array<() => void> = [];

  const resumeAt = (scopes: readonly string[]): number => Math.max(...[HOST, ...scopes].map((scope) => pausedUntil.get(scope) ?? 0));

  const pauseOf = async (scopes: readonly string[]): Promise<void> => {
    for (let wait = resumeAt(scopes) - Date.now(); wait > 0; wait = resumeAt(scopes) - Date.now()) {
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  };

  async function acquire(scopes: readonly string[]): Promise<void> {
    // A paused request waits without a slot, so a pause on one scope does not starve the others.
    for (;;) {
      await pauseOf(scopes);
      if (active < concurrency() && waiting.length === 0) {
        active++;
      } else {
        // FIFO: release() hands the slot over, so `active` already counts us when we wake.
        await new Promise<void>((resolve) => waiting.push(resolve));
      }
      // A pause may be set or extended while we waited for the slot.
      if (resumeAt(scopes) <= Date.now()) return;
      release();
    }
  }

  function release(): void {
    active--;
    while (active < concurrency() && waiting.length > 0) {
      active++;
      waiting.shift()?.();
    }
  }

  return {
    async run<T>(fn: () => Promise<T>, scopes: readonly string[] = []): Promise<T> {
      await acquire(scopes);
      try {
        return await fn();
      } finally {
        release();
      }
    },
    pause(ms: number, scope = HOST): void {
      pausedUntil.set(scope, Math.max(pausedUntil.get(scope) ?? 0, Date.now() + ms));
    },
  };
}
