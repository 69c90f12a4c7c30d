/** Caps concurrent requests per host and lets a rate-limit answer pause every caller of that host. */
export interface HostLimiter {
  /** Runs `fn` once a slot is free and the host is not paused; the slot is released when `fn` settles. */
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** Holds back every request to this host that has not started yet, for `ms` from now (extends, never shortens). */
  pause(ms: number): void;
}

export interface LimiterOptions {
  concurrency: number;
}

const DEFAULT_CONCURRENCY = 8;

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
  let pausedUntil = 0;
  const waiting: Array<() => void> = [];

  async function acquire(): Promise<void> {
    if (active < concurrency() && waiting.length === 0) {
      active++;
    } else {
      // FIFO: release() hands the slot over, so `active` already counts us when we wake.
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
    // A pause may be set or extended while we wait, so re-check until it has passed.
    for (let wait = pausedUntil - Date.now(); wait > 0; wait = pausedUntil - Date.now()) {
      await new Promise((resolve) => setTimeout(resolve, wait));
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
    async run<T>(fn: () => Promise<T>): Promise<T> {
      await acquire();
      try {
        return await fn();
      } finally {
        release();
      }
    },
    pause(ms: number): void {
      pausedUntil = Math.max(pausedUntil, Date.now() + ms);
    },
  };
}
