import { Backoff, sleep } from './Backoff';

describe('Backoff', () => {
  it('grows exponentially up to the cap and resets', () => {
    const backoff = new Backoff(
      { initialDelayMs: 100, maxDelayMs: 1000, jitter: 0 },
      () => 0.5,
    );
    expect([1, 2, 3, 4, 5, 6].map(() => backoff.next())).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    expect(backoff.attempts).toBe(6);
    backoff.reset();
    expect(backoff.next()).toBe(100);
  });

  it('applies jitter within [1 - jitter, 1] of the exponential delay', () => {
    const low = new Backoff({ initialDelayMs: 1000, jitter: 0.5 }, () => 0);
    const high = new Backoff({ initialDelayMs: 1000, jitter: 0.5 }, () => 1);
    expect(low.next()).toBe(500);
    expect(high.next()).toBe(1000);
    const real = new Backoff({ initialDelayMs: 1000, jitter: 0.5 });
    for (let i = 0; i < 20; i++) {
      real.reset();
      const d = real.next();
      expect(d).toBeGreaterThanOrEqual(500);
      expect(d).toBeLessThanOrEqual(1000);
    }
  });
});

describe('sleep', () => {
  it('resolves early and clears its timer on abort', async () => {
    jest.useFakeTimers();
    try {
      const controller = new AbortController();
      const done = sleep(60_000, controller.signal);
      expect(jest.getTimerCount()).toBe(1);
      controller.abort();
      await done;
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('resolves immediately for an aborted signal', async () => {
    await expect(sleep(60_000, AbortSignal.abort())).resolves.toBeUndefined();
  });
});
