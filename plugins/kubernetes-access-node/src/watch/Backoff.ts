/**
 * Tuning of the exponential backoff used between failed attempts.
 *
 * @public
 */
export interface BackoffOptions {
  /** First delay in milliseconds. Defaults to 500. */
  initialDelayMs?: number;
  /** Upper bound for the delay in milliseconds. Defaults to 30000. */
  maxDelayMs?: number;
  /** Growth factor per consecutive failure. Defaults to 2. */
  multiplier?: number;
  /**
   * Fraction of the delay that is randomised (0..1). Defaults to 0.5: the
   * delay is uniformly drawn from [50%, 100%] of the exponential value, so a
   * fleet of watchers does not reconnect in lockstep after an outage.
   */
  jitter?: number;
}

/**
 * Exponential backoff with jitter; `reset()` after a success.
 */
export class Backoff {
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly multiplier: number;
  private readonly jitter: number;
  private readonly random: () => number;
  private failures = 0;

  constructor(
    options: BackoffOptions = {},
    random: () => number = Math.random,
  ) {
    this.initialDelayMs = Math.max(0, options.initialDelayMs ?? 500);
    this.maxDelayMs = Math.max(
      this.initialDelayMs,
      options.maxDelayMs ?? 30_000,
    );
    this.multiplier = Math.max(1, options.multiplier ?? 2);
    this.jitter = Math.min(1, Math.max(0, options.jitter ?? 0.5));
    this.random = random;
  }

  /** Number of consecutive failures so far. */
  get attempts(): number {
    return this.failures;
  }

  /** Registers a failure and returns how long to wait before retrying. */
  next(): number {
    const exponential = Math.min(
      this.maxDelayMs,
      this.initialDelayMs * this.multiplier ** this.failures,
    );
    this.failures += 1;
    const randomPart = exponential * this.jitter * this.random();
    return Math.round(exponential * (1 - this.jitter) + randomPart);
  }

  /** Forgets previous failures. */
  reset(): void {
    this.failures = 0;
  }
}

/**
 * Resolves after `ms`, or early (without rejecting) when the signal aborts.
 * The timer and listener are always cleaned up.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined = undefined;
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
