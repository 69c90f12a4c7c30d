import { afterEach, describe, expect, it, vi } from 'vitest';
import { configureLimiter, limiterFor } from '../../src/net/limiter.js';

let hostSeq = 0;
const freshHost = (): string => `limiter-${++hostSeq}.test`;

interface Gate {
  promise: Promise<void>;
  open: () => void;
}
function gate(): Gate {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

afterEach(() => {
  configureLimiter({ concurrency: 8 });
  vi.useRealTimers();
});

describe('limiterFor', () => {
  it('never runs more than the configured number of operations of one host at once', async () => {
    configureLimiter({ concurrency: 3 });
    const limiter = limiterFor(freshHost());
    const gates = Array.from({ length: 10 }, gate);
    let active = 0;
    let maxActive = 0;
    const started: number[] = [];
    const runs = gates.map((g, index) =>
      limiter.run(async () => {
        started.push(index);
        active++;
        maxActive = Math.max(maxActive, active);
        await g.promise;
        active--;
        return index;
      }),
    );
    await vi.waitFor(() => expect(started).toHaveLength(3));
    for (const g of gates) g.open();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(maxActive).toBe(3);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('frees the slot when the operation rejects', async () => {
    configureLimiter({ concurrency: 1 });
    const limiter = limiterFor(freshHost());
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run(async () => 'next')).resolves.toBe('next');
  });

  it('gives each host its own slots', async () => {
    configureLimiter({ concurrency: 1 });
    const blocked = gate();
    const first = limiterFor(freshHost()).run(() => blocked.promise);
    await expect(limiterFor(freshHost()).run(async () => 'other host')).resolves.toBe('other host');
    blocked.open();
    await first;
  });

  it('hands out the same limiter for the same host, whatever its case', () => {
    const host = freshHost();
    expect(limiterFor(host.toUpperCase())).toBe(limiterFor(host));
  });

  it('holds back every caller of a paused host until the pause ends', async () => {
    vi.useFakeTimers();
    const host = freshHost();
    limiterFor(host).pause(5_000);
    const ran: string[] = [];
    const a = limiterFor(host).run(async () => ran.push('a'));
    const b = limiterFor(host).run(async () => ran.push('b'));
    await vi.advanceTimersByTimeAsync(4_999);
    expect(ran).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await Promise.all([a, b]);
    expect(ran).toEqual(['a', 'b']);
  });

  it('extends a pause but never shortens it', async () => {
    vi.useFakeTimers();
    const limiter = limiterFor(freshHost());
    limiter.pause(3_000);
    limiter.pause(1_000);
    let ran = false;
    const run = limiter.run(async () => (ran = true));
    await vi.advanceTimersByTimeAsync(2_000);
    limiter.pause(2_000);
    await vi.advanceTimersByTimeAsync(1_500);
    expect(ran).toBe(false);
    await vi.advanceTimersByTimeAsync(500);
    await run;
    expect(ran).toBe(true);
  });

  it('rejects a concurrency below one', () => {
    expect(() => configureLimiter({ concurrency: 0 })).toThrow(RangeError);
  });
});
